import type { Router } from 'express';
import { EventReactor, ProjectionRunner, SqlEventStore, type CommandObserver, type EventStore, type RunnerLogger, type SqlClient } from '@pcn/eventsourcing';
import { Relay, type MessageBus, type RelayLogger, type Subscription } from '@pcn/messaging';
import { loadPublishedStatute } from './adapters/statute-files';
import { StatuteBook } from './application/statute-book';
import { Careers, type AdvancementRun } from './application/careers';
import { Vacancies } from './application/vacancies';
import { Mobilities } from './application/mobilities';
import { Teams } from './application/teams';
import { CentreClosures } from './application/centre-closures';
import { MovementProcess } from './application/movement-process';
import { AdvancementSchedule } from './application/advancement-schedule';
import { staffEventSchemas } from './application/event-schemas';
import { systemClock, type Clock, type IdentifierCheck } from './application/ports';
import type { StaffServices } from './application/staff-services';
import { MOBILITY_PREFIX, PROFESSIONAL_PREFIX, VACANCY_PREFIX } from './application/stream-ids';
import { STATUTE_STREAM } from './domain/statute/statute-decider';
import { staffProjection } from './adapters/persistence/staff-projection';
import { SqlStaffReadModel } from './adapters/persistence/sql-staff-read-model';
import { SqlCentreDirectory } from './adapters/persistence/sql-centre-directory';
import { migrateStaffTables, SqlMovementOutcomes } from './adapters/persistence/staff-tables';
import { REGISTRY_TOPIC, STAFF_REGISTRY_GROUP, registryConsumer } from './adapters/messaging/registry-consumer';
import { staffEventMapper } from './adapters/messaging/staff-integration-events';
import { staffRoutes } from './adapters/http/staff-routes';

export interface StaffModuleOptions {
  /** Database of the read model (and of the event store unless `store` is given). */
  readonly sql: SqlClient;
  /** SQL schema owned by the staff service. */
  readonly schema?: string;
  /** Event store; defaults to the SQL store in `schema`. */
  readonly store?: EventStore;
  readonly checkRpps: IdentifierCheck;
  readonly checkFiness: IdentifierCheck;
  readonly clock?: Clock;
  readonly logger?: RunnerLogger & RelayLogger & { warn(obj: object, msg: string): void };
  /**
   * The bus: staff publishes `pcn.staff.v1` on it and learns centres from `pcn.registry.v1`.
   * Without it, nothing is published and no centre is known (tests feed the directory).
   */
  readonly bus?: MessageBus;
  /** Directory with the statute files to publish at start; the shipped data by default. */
  readonly statuteDirectory?: string;
  /** Interval of the scheduled échelon advancements; 0 disables the schedule. Default: one hour. */
  readonly advancementIntervalMs?: number;
  readonly onAdvancementRun?: (run: AdvancementRun) => void;
  readonly onCommand?: CommandObserver;
  readonly onRelayProgress?: (position: number) => void;
  readonly onProjectionProgress?: (p: { projection: string; position: number }) => void;
  readonly readModelWaitMs?: number;
}

export interface StaffModule extends StaffServices {
  readonly store: EventStore;
  readonly projection: ProjectionRunner;
  readonly movements: EventReactor;
  readonly closures: CentreClosures;
  readonly centres: SqlCentreDirectory;
  readonly relay?: Relay;
  /** Mount at `/v1/staff`. */
  readonly httpRouter: Router;
  readonly openApi: object;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createStaffModule(options: StaffModuleOptions): Promise<StaffModule> {
  const schema = options.schema ?? 'staff';
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await SqlEventStore.open(options.sql, schema));
  await migrateStaffTables(options.sql, schema);
  const projection = new ProjectionRunner(store, options.sql, staffProjection(schema), {
    schema,
    schemas: staffEventSchemas,
    ...(options.logger && { logger: options.logger }),
    ...(options.onProjectionProgress && { onProgress: options.onProjectionProgress }),
  });
  const readModel = new SqlStaffReadModel(options.sql, schema, projection);
  const centres = new SqlCentreDirectory(options.sql, schema);
  const common = {
    store,
    readModel,
    clock,
    ...(options.onCommand && { onCommand: options.onCommand }),
    ...(options.readModelWaitMs !== undefined && { readModelWaitMs: options.readModelWaitMs }),
  };
  const statute = new StatuteBook(store, clock, options.onCommand);
  const careers = new Careers({
    ...common,
    statute,
    centres,
    checkRpps: options.checkRpps,
    checkFiness: options.checkFiness,
    ...(options.onAdvancementRun && { onAdvancementRun: options.onAdvancementRun }),
  });
  const vacancies = new Vacancies({ ...common, centres, checkFiness: options.checkFiness });
  const mobilities = new Mobilities({ ...common, careers, vacancies });
  const teams = new Teams({ readModel, statute, centres, checkFiness: options.checkFiness, clock });
  // The projection's own head: the last event it will ever see (statute events are not its business).
  const closures = new CentreClosures(
    careers,
    vacancies,
    readModel,
    () => store.headPosition({ streamPrefixes: [PROFESSIONAL_PREFIX, VACANCY_PREFIX, MOBILITY_PREFIX] }),
    options.logger,
  );
  const movementProcess = new MovementProcess(store, vacancies, new SqlMovementOutcomes(options.sql, schema));
  const movements = new EventReactor(store, options.sql, {
    name: 'mobility-movements',
    schema,
    filter: { streamPrefixes: [MOBILITY_PREFIX] },
    schemas: staffEventSchemas,
    react: (event) => movementProcess.react(event),
    ...(options.logger && { logger: options.logger }),
  });
  const relay =
    options.bus &&
    new Relay(store, options.bus, options.sql, {
      name: 'staff-relay',
      schema,
      filter: { streamPrefixes: [PROFESSIONAL_PREFIX, MOBILITY_PREFIX, STATUTE_STREAM] },
      map: staffEventMapper(store),
      ...(options.logger && { logger: options.logger }),
      ...(options.onRelayProgress && { onProgress: options.onRelayProgress }),
    });
  const interval = options.advancementIntervalMs ?? 3_600_000;
  const schedule = interval > 0 ? new AdvancementSchedule(careers, interval, options.logger) : undefined;
  let registrySubscription: Subscription | undefined;
  const services: StaffServices = { statute, careers, vacancies, mobilities, teams };

  return {
    ...services,
    store,
    projection,
    movements,
    closures,
    centres,
    ...(relay && { relay }),
    httpRouter: staffRoutes.router(services),
    openApi: staffRoutes.openApi(),
    async start() {
      const shipped = await statute.publishShipped(loadPublishedStatute(options.statuteDirectory));
      for (const { id, reason } of shipped.skipped) {
        options.logger?.warn({ gridVersion: id, reason }, `shipped pay grid ${id} not published: a coordinator's publication rules it out`);
      }
      await projection.start();
      await movements.start();
      await relay?.start();
      if (options.bus) {
        registrySubscription = await options.bus.subscribe({
          topic: REGISTRY_TOPIC,
          groupId: STAFF_REGISTRY_GROUP,
          handler: registryConsumer({ sql: options.sql, directory: centres, closures }),
        });
      }
      schedule?.start();
    },
    async stop() {
      await schedule?.stop();
      await registrySubscription?.stop();
      await relay?.stop();
      await movements.stop();
      await projection.stop();
    },
  };
}
