import { Router } from 'express';
import { ProjectionRunner, SqlEventStore, type CommandObserver, type EventStore, type RunnerLogger, type SqlClient } from '@pcn/eventsourcing';
import { CentreRegistry } from './application/centre-registry';
import { systemClock, type Clock, type CommuneLookup, type IdentifierCheck } from './application/ports';
import { centreEventSchemas } from './application/event-schemas';
import { centresProjection } from './adapters/persistence/centres-projection';
import { SqlCentreReadModel } from './adapters/persistence/sql-centre-read-model';
import { centreRoutes } from './adapters/http/centres-routes';
import { Relay, type MessageBus, type RelayLogger } from '@pcn/messaging';
import { registryEventMapper } from './adapters/messaging/registry-integration-events';

export interface RegistryModuleOptions {
  /** Database of the read model (and of the event store unless `store` is given). */
  readonly sql: SqlClient;
  /** SQL schema owned by the registry. */
  readonly schema?: string;
  /** Event store; defaults to the SQL store in `schema`. KurrentDB in production. */
  readonly store?: EventStore;
  readonly communes: CommuneLookup;
  readonly checkFiness: IdentifierCheck;
  readonly clock?: Clock;
  readonly logger?: RunnerLogger & RelayLogger;
  /** Where the registry publishes `pcn.registry.v1`; without it, nothing is published. */
  readonly bus?: MessageBus;
  readonly onRelayProgress?: (position: number) => void;
  readonly onCommand?: CommandObserver;
  readonly readModelWaitMs?: number;
  readonly onProjectionProgress?: (p: { projection: string; position: number }) => void;
}

export interface RegistryModule {
  readonly registry: CentreRegistry;
  readonly store: EventStore;
  readonly projection: ProjectionRunner;
  readonly relay?: Relay;
  /** Mount at `/v1/centres`. */
  readonly httpRouter: Router;
  readonly openApi: object;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createRegistryModule(options: RegistryModuleOptions): Promise<RegistryModule> {
  const schema = options.schema ?? 'registry';
  const store = options.store ?? (await SqlEventStore.open(options.sql, schema));
  const projection = new ProjectionRunner(store, options.sql, centresProjection(schema), {
    schema,
    schemas: centreEventSchemas,
    ...(options.logger && { logger: options.logger }),
    ...(options.onProjectionProgress && { onProgress: options.onProjectionProgress }),
  });
  const readModel = new SqlCentreReadModel(options.sql, schema, projection);
  const registry = new CentreRegistry({
    store,
    readModel,
    communes: options.communes,
    checkFiness: options.checkFiness,
    clock: options.clock ?? systemClock,
    ...(options.onCommand && { onCommand: options.onCommand }),
    ...(options.readModelWaitMs !== undefined && { readModelWaitMs: options.readModelWaitMs }),
  });
  const relay =
    options.bus &&
    new Relay(store, options.bus, options.sql, {
      name: 'registry-relay',
      schema,
      filter: { streamPrefixes: ['centre-'] },
      map: registryEventMapper(store),
      ...(options.logger && { logger: options.logger }),
      ...(options.onRelayProgress && { onProgress: options.onRelayProgress }),
    });
  return {
    registry,
    store,
    projection,
    ...(relay && { relay }),
    httpRouter: centreRoutes.router(registry),
    openApi: centreRoutes.openApi(),
    async start() {
      await projection.start();
      await relay?.start();
    },
    async stop() {
      await relay?.stop();
      await projection.stop();
    },
  };
}
