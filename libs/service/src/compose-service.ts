import { EventReactor, ProjectionRunner, SqlEventStore, type CommandObserver, type EventStore, type SqlClient } from '@pcn/eventsourcing';
import { Relay, type MessageBus, type Subscription } from '@pcn/messaging';
import { systemClock, type Clock } from '@pcn/time';
import type { GrpcHandlers, HttpRoutes, ServiceContext, ServiceDefinition, ServiceLogger } from './service-definition';
import type { z } from 'zod';

/** What every service takes, in a deployed process or a test. */
export interface ServiceInputs {
  /** Database of the read models (and of the event store unless `store` is given). */
  readonly sql: SqlClient;
  /** SQL schema owned by the service; its name by default. */
  readonly schema?: string;
  /** Event store; defaults to the SQL store in `schema`. KurrentDB in production. */
  readonly store?: EventStore;
  readonly clock?: Clock;
  readonly logger?: ServiceLogger;
  /** Where the relay publishes and the consumers subscribe; without it, nothing is published and nothing learnt (tests feed the service directly). */
  readonly bus?: MessageBus;
  readonly onCommand?: CommandObserver;
  readonly onRelayProgress?: (position: number) => void;
  readonly onProjectionProgress?: (progress: { projection: string; position: number }) => void;
  readonly readModelWaitMs?: number;
}

/** A composed service: its application's members, and what the host wires and starts. */
export type ServiceModule<App> = App & {
  readonly name: string;
  readonly store: EventStore;
  /** Its first (main) projection. */
  readonly projection: ProjectionRunner;
  readonly projections: readonly ProjectionRunner[];
  readonly reactors: readonly EventReactor[];
  readonly relay?: Relay;
  readonly http: HttpRoutes;
  /** Mount at `http.path`. */
  readonly httpRouter: HttpRoutes['router'];
  readonly openApi: object;
  readonly grpc: GrpcHandlers;
  /**
   * In order: `beforeStart`, projections, reactors, relay, consumers, jobs. If a step fails,
   * what was started is stopped again (in reverse order) and the error is thrown.
   */
  start(): Promise<void>;
  /** Stops in the reverse order of the start. */
  stop(): Promise<void>;
};

export class ServiceDefinitionError extends Error {
  constructor(
    readonly service: string,
    reason: string,
  ) {
    super(`service ${service}: ${reason}`);
    this.name = 'ServiceDefinitionError';
  }
}

/**
 * Composes a service on its store: opens the SQL store unless one is given, builds its
 * application and runners through `definition.compose`, and returns it ready to start.
 */
export async function composeService<Name extends string, Options, App, Shape extends z.ZodRawShape>(
  definition: ServiceDefinition<Name, Options, App, Shape>,
  inputs: ServiceInputs & Options,
): Promise<ServiceModule<App>> {
  const { name } = definition;
  const { sql, logger, bus } = inputs;
  const schema = inputs.schema ?? name;
  const opened = inputs.store ?? (await SqlEventStore.open(sql, schema));
  const store = definition.decorateStore ? await definition.decorateStore(opened, { sql, schema }) : opened;
  const projections: ProjectionRunner[] = [];
  const reactors: EventReactor[] = [];
  const context: ServiceContext = {
    name,
    schema,
    sql,
    store,
    clock: inputs.clock ?? systemClock,
    ...(logger && { logger }),
    ...(inputs.onCommand && { onCommand: inputs.onCommand }),
    ...(inputs.readModelWaitMs !== undefined && { readModelWaitMs: inputs.readModelWaitMs }),
    projection(projection, options = {}) {
      const runner = new ProjectionRunner(store, sql, projection, {
        schema,
        ...options,
        ...(logger && { logger }),
        ...(inputs.onProjectionProgress && { onProgress: inputs.onProjectionProgress }),
      });
      projections.push(runner);
      return runner;
    },
    reactor({ name: reactorName, streamPrefixes, schemas, react }) {
      const reactor = new EventReactor(store, sql, {
        name: reactorName,
        schema,
        filter: { streamPrefixes: [...streamPrefixes] },
        ...(schemas && { schemas }),
        react,
        ...(logger && { logger }),
      });
      reactors.push(reactor);
      return reactor;
    },
  };
  const parts = await definition.compose(context, inputs);
  const main = projections[0];
  if (!main) throw new ServiceDefinitionError(name, 'composes no projection: every service keeps a read model');
  for (const consumer of parts.consumers ?? []) {
    if (!definition.consumes.includes(consumer.topic)) throw new ServiceDefinitionError(name, `consumes ${consumer.topic}, which its definition does not list`);
  }
  if (parts.relay && !definition.publishes) throw new ServiceDefinitionError(name, 'has a relay but its definition names no topic it publishes');
  const relay =
    bus &&
    parts.relay &&
    new Relay(store, bus, sql, {
      name: `${name}-relay`,
      schema,
      filter: { streamPrefixes: [...parts.relay.streamPrefixes] },
      map: parts.relay.map,
      ...(logger && { logger }),
      ...(inputs.onRelayProgress && { onProgress: inputs.onRelayProgress }),
    });

  // What start has started, stopped in reverse order by stop or by a failed start.
  const running: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    let first: unknown;
    for (const stopOne of running.splice(0).reverse()) {
      try {
        await stopOne();
      } catch (error) {
        first ??= error;
        logger?.error({ err: error, service: name }, 'error while stopping');
      }
    }
    if (first !== undefined) throw first;
  };
  const start = async (): Promise<void> => {
    try {
      await parts.beforeStart?.();
      for (const runner of projections) {
        await runner.start();
        running.push(() => runner.stop());
      }
      for (const reactor of reactors) {
        await reactor.start();
        running.push(() => reactor.stop());
      }
      if (relay) {
        await relay.start();
        running.push(() => relay.stop());
      }
      for (const { topic, groupId, handler } of (bus && parts.consumers) || []) {
        const subscription: Subscription = await bus!.subscribe({ topic, groupId, handler });
        running.push(() => subscription.stop());
      }
      for (const job of parts.jobs ?? []) {
        job.start();
        running.push(() => job.stop());
      }
    } catch (error) {
      // The start's error is the one to report; stop has logged any of its own.
      await stop().catch(() => undefined);
      throw error;
    }
  };

  return {
    ...parts.application,
    name,
    store,
    projection: main,
    projections,
    reactors,
    ...(relay && { relay }),
    http: parts.http,
    httpRouter: parts.http.router,
    openApi: parts.http.openApi,
    grpc: parts.grpc,
    start,
    stop,
  };
}
