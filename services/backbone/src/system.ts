import { setTimeout as sleep } from 'node:timers/promises';
import { answerClientErrors, createApiApp, GracefulHttpServer, operationResolver, type ApiMount, type OperationResolver } from '@pcn/http';
import { createGrpcServer, type GrpcServer } from '@pcn/grpc';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { createMetrics, metricsHandler, type Logger, type Registry } from '@pcn/observability';
import { KafkaBus, ReplayableBus, SqlBus, type MessageBus } from '@pcn/messaging';
import { startService, type ServiceHost } from '@pcn/service';
import type { Config } from './config';
import { mergeOpenApi } from './openapi-merge';
import { START_ORDER, type ServiceModules } from './services';
import { openDatabase, type Database } from './database';
import { watchProjections } from './projection-metrics';
import { Fence } from './fence';
import { startDeadLetters } from './dead-letters/dead-letters';
import { deadLetterRoutes } from './dead-letters/dead-letter-routes';
import { grpcCredentials, openAccessGate } from './access';
import { SqlAccessTrail } from './access-trail/sql-access-trail';
import { accessTrailRoutes } from './access-trail/access-trail-routes';

/**
 * Kafka in the distributed mode. Embedded: a durable log in the same database (schema
 * `messaging`), so what the relays publish survives a restart like the events themselves.
 */
async function openBus(config: Config, database: Database, logger: Logger, registry: Registry): Promise<MessageBus> {
  const busLogger = logger.child({ module: 'bus' });
  if (config.PCN_BUS === 'kafka') {
    return new KafkaBus({ brokers: config.KAFKA_BROKERS!, clientId: `pcn-${config.PCN_TARGET}`, logger: busLogger, registry });
  }
  const bus = new SqlBus(database.sql, { schema: 'messaging', logger: busLogger, registry });
  await bus.migrate();
  return bus;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly what: string,
  ) {
    super(`${what} port ${host}:${port} is already in use: stop what uses it or choose another port`);
    this.name = 'PortInUseError';
  }
}

async function listen(server: GracefulHttpServer, port: number, host: string): Promise<number> {
  return server.listen(port, host).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new PortInUseError(host, port, 'HTTP (PCN_HTTP_PORT)') : error;
  });
}

/** The services it runs, by name (`system.registry`, ...), and its transports. */
export type RunningSystem = ServiceModules & {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly database: string;
  readonly bus: MessageBus;
  /** The REST routers and where they are mounted, and the gRPC services served (as the fuzz suite walks them). */
  readonly mounts: readonly ApiMount[];
  readonly grpcServices: readonly ServiceDefinition[];
  /** How the REST access gate names a request in the policy table (the policy test walks every route with it). */
  readonly resolveOperation: OperationResolver;
  /**
   * Drains, then stops: readiness down and gRPC NOT_SERVING at once, REST answers carry
   * `Connection: close`; both keep serving for PCN_SHUTDOWN_GRACE_MS, then refuse new
   * connections and let calls in flight finish (PCN_SHUTDOWN_TIMEOUT_MS at most); then the
   * services, the bus and the database stop.
   */
  stop(): Promise<void>;
  /**
   * Resolves if the system fails for good while running (its data-directory lock was lost): by
   * then it refuses every request and is not ready; the caller stops it and exits non-zero.
   */
  readonly failed: Promise<Error>;
};

export class DataDirLostError extends Error {
  constructor(readonly reason: string) {
    super(`lost the data directory: ${reason}. Another instance may be using it; this one stopped writing and shuts down`);
    this.name = 'DataDirLostError';
  }
}

/**
 * Starts the services chosen by PCN_TARGET in this process: `all` is the monolithic (embedded)
 * mode, a service name runs that service alone. Whatever was started is stopped again if a
 * later step fails, so a failed start leaves no port or lock behind.
 */
export async function startSystem(config: Config, logger: Logger, options: { lockCheckIntervalMs?: number } = {}): Promise<RunningSystem> {
  const fence = new Fence();
  let ready = false;
  let fail!: (error: Error) => void;
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  const stops: (() => Promise<void>)[] = [];
  // Created before the database, so that a lock lost during the start can already report NOT_SERVING.
  const credentials = grpcCredentials(config);
  const grpc: GrpcServer = createGrpcServer({ logger, maxReceiveMessageBytes: config.PCN_GRPC_MAX_MESSAGE_BYTES, ...(credentials && { credentials }) });
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    const metrics = createMetrics({ defaultLabels: { target: config.PCN_TARGET } });
    const database: Database = await openDatabase(config, {
      logger,
      ...(options.lockCheckIntervalMs !== undefined && { lockCheckIntervalMs: options.lockCheckIntervalMs }),
      onLockLost: (reason) => {
        fence.close(reason);
        ready = false;
        grpc.setServingStatus('', 'NOT_SERVING');
        fail(new DataDirLostError(reason));
      },
    });
    stops.push(() => database.close());
    logger.info({ database: database.description }, 'database open');
    // Every call of both transports passes this gate: no token or a bad one → 401/UNAUTHENTICATED,
    // a role or scope the policy does not allow → 403/PERMISSION_DENIED, before any handler runs.
    // Opened once the data directory is locked: the development issuer's key lives there.
    const trail = new SqlAccessTrail(database.sql);
    await trail.migrate();
    const gate = await openAccessGate(config, logger, trail);

    // Remembers each consumer group's handler, so a dead letter can be replayed to its group.
    const bus = new ReplayableBus(await openBus(config, database, logger, metrics.registry));
    stops.push(() => bus.close());

    const ctx: ServiceHost = {
      deployment: { store: config.PCN_STORE, dataDir: config.PCN_DATA_DIR },
      sql: database.sql,
      ...(config.PCN_STORE === 'kurrentdb' && { kurrentDbUrl: config.KURRENTDB_URL! }),
      bus,
      logger,
      metrics,
      grpc: { addService: (definition, implementation) => grpc.addService(definition, fence.grpc(implementation)) },
      unaryOptions: { logger, registry: metrics.registry, access: gate },
      mounts: [],
      openApis: [],
      operations: [],
      projections: [],
      onStop: (stop) => void stops.push(stop),
    };
    const services: Record<string, unknown> = {};
    for (const definition of START_ORDER) {
      if (config.PCN_TARGET === 'all' || config.PCN_TARGET === definition.name) services[definition.name] = await startService(definition, ctx, config);
    }
    // Once every service has subscribed: the dead letters of their consumer groups, listed and replayed at /v1/dead-letters.
    const deadLetters = await startDeadLetters({ bus, sql: database.sql, target: config.PCN_TARGET });
    stops.push(() => deadLetters.stop());
    ctx.mounts.push({ path: deadLetterRoutes.spec.prefix, router: deadLetters.router });
    ctx.openApis.push(deadLetterRoutes.openApi());
    ctx.operations.push(...deadLetterRoutes.operations());
    ctx.mounts.push({ path: accessTrailRoutes.spec.prefix, router: accessTrailRoutes.router(trail) });
    ctx.openApis.push(accessTrailRoutes.openApi());
    ctx.operations.push(...accessTrailRoutes.operations());
    const unwatch = watchProjections(ctx.projections, metrics);
    stops.push(async () => unwatch());

    let draining = false;
    const openApi = ctx.openApis.length > 0 ? mergeOpenApi(ctx.openApis) : undefined;
    const resolveOperation = operationResolver(ctx.operations);
    const app = createApiApp({
      mounts: ctx.mounts,
      logger,
      ...(openApi && { openApi }),
      metrics: metricsHandler(metrics.registry),
      requestMetrics: metrics.registry,
      access: { gate, resolve: resolveOperation },
      bodyLimit: config.PCN_HTTP_BODY_LIMIT,
      fileLimitBytes: config.PCN_HTTP_FILE_LIMIT,
      rateLimit: { limit: config.PCN_HTTP_RATE_LIMIT, windowMs: 60_000 },
      ready: () => ready,
      draining: () => draining,
    });
    const http = new GracefulHttpServer(fence.http(app), logger.child({ module: 'http' }));
    answerClientErrors(http.server);
    const httpPort = await listen(http, config.PCN_HTTP_PORT, config.PCN_HOST);
    // On a failed start, or after `drain` below (then the same promise): closes at once.
    stops.push(async () => void (await http.drain({ graceMs: 0, timeoutMs: config.PCN_SHUTDOWN_TIMEOUT_MS })));
    const grpcPort = await grpc.start(config.PCN_HOST, config.PCN_GRPC_PORT).catch((error: Error) => {
      // grpc-js reports a taken port only as "No address added out of total 1 resolved".
      throw /No address added/.test(error.message) ? new PortInUseError(config.PCN_HOST, config.PCN_GRPC_PORT, 'gRPC (PCN_GRPC_PORT)') : error;
    });
    stops.push(() => grpc.shutdown(config.PCN_SHUTDOWN_TIMEOUT_MS));
    ready = !fence.closed;

    const drain = async (): Promise<void> => {
      // Not ready from the first step of a shutdown, so load balancers stop sending requests;
      // both servers go on serving what still comes for the grace period, then drain.
      ready = false;
      draining = true;
      for (const name of ['', ...grpc.serviceNames]) grpc.setServingStatus(name, 'NOT_SERVING');
      const graceMs = config.PCN_SHUTDOWN_GRACE_MS;
      logger.info({ graceMs }, 'draining: not ready, gRPC NOT_SERVING, REST answers with Connection: close');
      const [httpOutcome] = await Promise.all([
        http.drain({ graceMs, timeoutMs: config.PCN_SHUTDOWN_TIMEOUT_MS }),
        sleep(graceMs).then(() => grpc.shutdown(config.PCN_SHUTDOWN_TIMEOUT_MS)),
      ]);
      logger.info(httpOutcome, 'HTTP server stopped');
    };
    let stopped: Promise<void> | undefined;

    return {
      httpPort,
      grpcPort,
      database: database.description,
      ...(services as ServiceModules),
      bus,
      failed,
      stop: () => (stopped ??= drain().finally(stopAll)),
      mounts: ctx.mounts,
      grpcServices: grpc.definitions,
      resolveOperation,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
