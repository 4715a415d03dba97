import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiApp, createApiServer, type ApiMount } from '@pcn/http';
import { createGrpcServer, type GrpcServer } from '@pcn/grpc';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { createMetrics, metricsHandler, type Logger, type Registry } from '@pcn/observability';
import { KafkaBus, SqlBus, type MessageBus } from '@pcn/messaging';
import type { RegistryModule } from '@pcn/registry';
import type { StaffModule } from '@pcn/staff';
import type { AttributionModule } from '@pcn/attribution';
import type { Config, Target } from './config';
import { mergeOpenApi } from './openapi-merge';
import { startRegistryTarget } from './targets/registry-target';
import { startStaffTarget } from './targets/staff-target';
import { startAttributionTarget } from './targets/attribution-target';
import type { TargetContext } from './targets/target-context';
import { openDatabase, type Database } from './database';
import { watchProjections } from './projection-metrics';

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

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port, 'HTTP (PCN_HTTP_PORT)') : error));
    server.listen(port, host, () => resolve(server));
  });
}

export interface RunningSystem {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly database: string;
  readonly registry?: RegistryModule;
  readonly staff?: StaffModule;
  readonly attribution?: AttributionModule;
  readonly bus: MessageBus;
  /** The REST routers and where they are mounted, and the gRPC services served (as the fuzz suite walks them). */
  readonly mounts: readonly ApiMount[];
  readonly grpcServices: readonly ServiceDefinition[];
  stop(): Promise<void>;
}

/**
 * Starts the services chosen by PCN_TARGET in this process: `all` is the monolithic (embedded)
 * mode, a service name runs that service alone. Whatever was started is stopped again if a
 * later step fails, so a failed start leaves no port or lock behind.
 */
export async function startSystem(config: Config, logger: Logger): Promise<RunningSystem> {
  const stops: (() => Promise<void>)[] = [];
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
    const database: Database = await openDatabase(config);
    stops.push(() => database.close());
    logger.info({ database: database.description }, 'database open');

    const bus = await openBus(config, database, logger, metrics.registry);
    stops.push(() => bus.close());

    const grpc: GrpcServer = createGrpcServer({ logger });
    const ctx: TargetContext = {
      config,
      database,
      bus,
      logger,
      metrics,
      grpc,
      unaryOptions: { logger, registry: metrics.registry },
      mounts: [],
      openApis: [],
      projections: [],
      onStop: (stop) => void stops.push(stop),
    };
    const wanted = (target: Exclude<Target, 'all'>): boolean => config.PCN_TARGET === 'all' || config.PCN_TARGET === target;
    // The registry first: staff learns its centres from the registry's events.
    const registry = wanted('registry') ? await startRegistryTarget(ctx) : undefined;
    const staff = wanted('staff') ? await startStaffTarget(ctx) : undefined;
    // Attribution learns centres and GPs from the registry's and staff's events.
    const attribution = wanted('attribution') ? await startAttributionTarget(ctx) : undefined;
    const unwatch = watchProjections(ctx.projections, metrics);
    stops.push(async () => unwatch());

    let ready = false;
    const openApi = ctx.openApis.length > 0 ? mergeOpenApi(ctx.openApis) : undefined;
    const app = createApiApp({ mounts: ctx.mounts, logger, ...(openApi && { openApi }), metrics: metricsHandler(metrics.registry), ready: () => ready });
    const http = await listen(createApiServer(app), config.PCN_HTTP_PORT, config.PCN_HOST);
    stops.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const grpcPort = await grpc.start(config.PCN_HOST, config.PCN_GRPC_PORT).catch((error: Error) => {
      // grpc-js reports a taken port only as "No address added out of total 1 resolved".
      throw /No address added/.test(error.message) ? new PortInUseError(config.PCN_HOST, config.PCN_GRPC_PORT, 'gRPC (PCN_GRPC_PORT)') : error;
    });
    stops.push(() => grpc.shutdown(config.PCN_SHUTDOWN_TIMEOUT_MS));
    ready = true;
    // Not ready from the first step of a shutdown, so load balancers stop sending requests.
    stops.push(async () => {
      ready = false;
    });

    return {
      httpPort: (http.address() as AddressInfo).port,
      grpcPort,
      database: database.description,
      ...(registry && { registry }),
      ...(staff && { staff }),
      ...(attribution && { attribution }),
      bus,
      mounts: ctx.mounts,
      grpcServices: grpc.definitions,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
