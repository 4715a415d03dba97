import { KurrentDbEventStore, type EventStore, type ProjectionRunner, type SqlClient } from '@pcn/eventsourcing';
import type { ServiceDefinition as GrpcService, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { UnaryOptions } from '@pcn/grpc';
import type { ApiMount } from '@pcn/http';
import type { MessageBus } from '@pcn/messaging';
import type { Logger, Metrics } from '@pcn/observability';
import type { z } from 'zod';
import { composeService, type ServiceModule } from './compose-service';
import type { Deployment, ServiceDefinition, SettingsOf } from './service-definition';

/** What the process gives every service it runs, and where the services plug their transports. */
export interface ServiceHost {
  readonly deployment: Deployment;
  /** The database of read models and checkpoints, and of the events unless `kurrentDbUrl` is set. */
  readonly sql: SqlClient;
  /** With the KurrentDB store: where the events are. */
  readonly kurrentDbUrl?: string;
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Where a service adds its gRPC service (the host may wrap it, e.g. behind a fence). */
  readonly grpc: { addService(service: GrpcService, implementation: UntypedServiceImplementation): void };
  readonly unaryOptions: UnaryOptions;
  readonly mounts: ApiMount[];
  readonly openApis: object[];
  /** The projections whose position and lag the host publishes. */
  readonly projections: { runner: ProjectionRunner; store: EventStore }[];
  /** Called in reverse order at shutdown, or when a later step of the start fails. */
  onStop(stop: () => Promise<void>): void;
}

/**
 * Starts one service in the host: opens its event store (KurrentDB, filtered on its streams, or
 * the SQL store in the schema named after it), names its logger, labels its metrics with its
 * name, composes it from its configuration slice, starts it and mounts its REST routes and gRPC
 * service. Its stop is registered with the host, after the store's close.
 */
export async function startService<Name extends string, Options, App, Shape extends z.ZodRawShape>(
  definition: ServiceDefinition<Name, Options, App, Shape>,
  host: ServiceHost,
  settings: SettingsOf<Shape>,
): Promise<ServiceModule<App>> {
  const { name } = definition;
  const { metrics } = host;
  const store = host.kurrentDbUrl ? await KurrentDbEventStore.connect(host.kurrentDbUrl, { streamPrefixes: [...definition.streamPrefixes] }) : undefined;
  if (store) host.onStop(() => store.close());
  const logger = host.logger.child({ module: name });
  const options = definition.configure(settings, { deployment: host.deployment, logger, metrics });
  const service = await composeService(definition, {
    ...options,
    sql: host.sql,
    ...(store && { store }),
    logger,
    bus: host.bus,
    onRelayProgress: (position) => metrics.relayPosition.set({ relay: name }, position),
    onCommand: ({ command, outcome, seconds }) => metrics.commandDuration.observe({ service: name, command, outcome }, seconds),
  });
  await service.start();
  host.onStop(() => service.stop());
  for (const runner of service.projections) host.projections.push({ runner, store: service.store });
  host.mounts.push({ path: service.http.path, router: service.http.router });
  host.grpc.addService(service.grpc.service, service.grpc.implementation(host.unaryOptions));
  host.openApis.push(service.http.openApi);
  return service;
}
