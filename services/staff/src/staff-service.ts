import { millisecondsSetting } from '@pcn/validation';
import { staffV1 } from '@pcn/contracts';
import type { EventReactor } from '@pcn/eventsourcing';
import { REGISTRY_TOPIC, STAFF_TOPIC } from '@pcn/messaging';
import { validateFiness, validateRpps } from '@pcn/referential';
import { composeService, defineService, type ServiceInputs, type ServiceModule, type ServiceParts } from '@pcn/service';
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
import type { IdentifierCheck } from './application/ports';
import type { StaffServices } from './application/staff-services';
import { MOBILITY_PREFIX, PROFESSIONAL_PREFIX, VACANCY_PREFIX } from './application/stream-ids';
import { STATUTE_STREAM } from './domain/statute/statute-decider';
import { staffProjection } from './adapters/persistence/staff-projection';
import { SqlStaffReadModel } from './adapters/persistence/sql-staff-read-model';
import { SqlCentreDirectory } from './adapters/persistence/sql-centre-directory';
import { migrateStaffTables, SqlMovementOutcomes } from './adapters/persistence/staff-tables';
import { STAFF_REGISTRY_GROUP, registryConsumer } from './adapters/messaging/registry-consumer';
import { staffEventMapper } from './adapters/messaging/staff-integration-events';
import { staffRoutes } from './adapters/http/staff-routes';
import { staffStatuteGrpc } from './adapters/grpc/staff-statute-grpc';

/** The streams of the staff service's event store (KurrentDB reads its log filtered on them). */
export const STAFF_STREAM_PREFIXES = [PROFESSIONAL_PREFIX, VACANCY_PREFIX, MOBILITY_PREFIX, STATUTE_STREAM, 'rpps-claim-'] as const;

/** Interval of the scheduled échelon advancements when nothing is configured: one hour. */
export const DEFAULT_ADVANCEMENT_INTERVAL_MS = 3_600_000;

export interface StaffOptions {
  readonly checkRpps: IdentifierCheck;
  readonly checkFiness: IdentifierCheck;
  /** Directory with the statute files to publish at start; the shipped data by default. */
  readonly statuteDirectory?: string;
  /** Interval of the scheduled échelon advancements; 0 disables the schedule. Default: one hour. */
  readonly advancementIntervalMs?: number;
  readonly onAdvancementRun?: (run: AdvancementRun) => void;
}

export interface StaffApp extends StaffServices {
  readonly movements: EventReactor;
  readonly closures: CentreClosures;
  readonly centres: SqlCentreDirectory;
}

/**
 * Staff statute and mobility: REST `/v1/staff`, gRPC `pcn.staff.v1.StaffStatute`, topic
 * `pcn.staff.v1`; learns centres from `pcn.registry.v1` (a closure ends the assignments there).
 */
export const staffService = defineService({
  name: 'staff',
  streamPrefixes: STAFF_STREAM_PREFIXES,
  publishes: STAFF_TOPIC,
  consumes: [REGISTRY_TOPIC],
  config: {
    shape: {
      PCN_STAFF_ADVANCEMENT_INTERVAL_MS: millisecondsSetting(86_400_000, DEFAULT_ADVANCEMENT_INTERVAL_MS),
    },
  },
  configure: (settings, { metrics }): StaffOptions => ({
    checkFiness: validateFiness,
    checkRpps: validateRpps,
    advancementIntervalMs: settings.PCN_STAFF_ADVANCEMENT_INTERVAL_MS,
    ...(metrics && { onAdvancementRun: (run: AdvancementRun) => metrics.staffAdvancements.inc(run.advancementsRecorded) }),
  }),
  async compose(ctx, options: StaffOptions): Promise<ServiceParts<StaffApp>> {
    const { sql, schema, store, clock, logger } = ctx;
    await migrateStaffTables(sql, schema);
    const projection = ctx.projection(staffProjection(schema), { schemas: staffEventSchemas });
    const readModel = new SqlStaffReadModel(sql, schema, projection);
    const centres = new SqlCentreDirectory(sql, schema);
    const common = {
      store,
      readModel,
      clock,
      ...(ctx.onCommand && { onCommand: ctx.onCommand }),
      ...(ctx.readModelWaitMs !== undefined && { readModelWaitMs: ctx.readModelWaitMs }),
    };
    const statute = new StatuteBook(store, clock, ctx.onCommand);
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
      logger,
    );
    const movementProcess = new MovementProcess(store, vacancies, new SqlMovementOutcomes(sql, schema));
    const movements = ctx.reactor({
      name: 'mobility-movements',
      streamPrefixes: [MOBILITY_PREFIX],
      schemas: staffEventSchemas,
      react: (event) => movementProcess.react(event),
    });
    const interval = options.advancementIntervalMs ?? DEFAULT_ADVANCEMENT_INTERVAL_MS;
    const schedule = interval > 0 ? new AdvancementSchedule(careers, interval, logger) : undefined;
    const services: StaffServices = { statute, careers, vacancies, mobilities, teams };
    return {
      application: { ...services, movements, closures, centres },
      async beforeStart() {
        const shipped = await statute.publishShipped(loadPublishedStatute(options.statuteDirectory));
        for (const { id, reason } of shipped.skipped) {
          logger?.warn({ gridVersion: id, reason }, `shipped pay grid ${id} not published: a coordinator's publication rules it out`);
        }
      },
      relay: { streamPrefixes: [PROFESSIONAL_PREFIX, MOBILITY_PREFIX, STATUTE_STREAM], map: staffEventMapper(store) },
      consumers: [{ topic: REGISTRY_TOPIC, groupId: STAFF_REGISTRY_GROUP, handler: registryConsumer({ sql, directory: centres, closures }) }],
      jobs: schedule ? [schedule] : [],
      http: { path: '/v1/staff', router: staffRoutes.router(services), openApi: staffRoutes.openApi(), operations: staffRoutes.operations() },
      grpc: { service: staffV1.StaffStatuteService, implementation: (unary) => staffStatuteGrpc(services, unary) },
    };
  },
});

export type StaffModuleOptions = ServiceInputs & StaffOptions;
export type StaffModule = ServiceModule<StaffApp>;

/** The staff service composed on its store, ready to start (tests drive it directly). */
export const createStaffModule = (options: StaffModuleOptions): Promise<StaffModule> => composeService(staffService, options);
