import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiApp, type ApiMount } from '@pcn/http';
import { createGrpcServer, type GrpcServer } from '@pcn/grpc';
import { createMetrics, metricsHandler, type Logger } from '@pcn/observability';
import { SqlBus, type MessageBus } from '@pcn/messaging';
import { CommuneDirectory, validateFiness } from '@pcn/referential';
import { centreRegistryGrpc, createRegistryModule, type RegistryModule } from '@pcn/registry';
import { registryV1 } from '@pcn/contracts';
import type { Config } from './config';
import { openDatabase, type Database } from './database';
import { watchProjections } from './projection-metrics';

export interface RunningSystem {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly database: string;
  readonly registry?: RegistryModule;
  readonly bus: MessageBus;
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

    // The embedded bus: a durable log in the same database (schema `messaging`), so what the
    // relays publish survives a restart like the events themselves.
    const sqlBus = new SqlBus(database.sql, { schema: 'messaging', logger: logger.child({ module: 'bus' }), registry: metrics.registry });
    await sqlBus.migrate();
    const bus: MessageBus = sqlBus;
    stops.push(() => bus.close());

    const communes = CommuneDirectory.shared();
    const mounts: ApiMount[] = [];
    const grpc: GrpcServer = createGrpcServer({ logger });
    const unaryOptions = { logger, registry: metrics.registry };
    let registry: RegistryModule | undefined;
    let openApi: object | undefined;

    if (config.PCN_TARGET === 'all' || config.PCN_TARGET === 'registry') {
      registry = await createRegistryModule({
        sql: database.sql,
        schema: 'registry',
        communes,
        checkFiness: validateFiness,
        logger: logger.child({ module: 'registry' }),
        bus,
        onRelayProgress: (position) => metrics.relayPosition.set({ relay: 'registry' }, position),
      });
      await registry.start();
      stops.push(() => registry!.stop());
      stops.push(async () => watchProjections([{ runner: registry!.projection, store: registry!.store }], metrics)());
      mounts.push({ path: '/v1/centres', router: registry.httpRouter });
      grpc.addService(registryV1.CentreRegistryService, centreRegistryGrpc(registry.registry, unaryOptions));
      openApi = registry.openApi;
    }

    const app = createApiApp({ mounts, logger, ...(openApi && { openApi }), metrics: metricsHandler(metrics.registry) });
    const http: Server = await new Promise((resolve, reject) => {
      const server = app.listen(config.PCN_HTTP_PORT, config.PCN_HOST, () => resolve(server));
      server.once('error', reject);
    });
    stops.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const grpcPort = await grpc.start(config.PCN_HOST, config.PCN_GRPC_PORT);
    stops.push(() => grpc.shutdown(config.PCN_SHUTDOWN_TIMEOUT_MS));

    return {
      httpPort: (http.address() as AddressInfo).port,
      grpcPort,
      database: database.description,
      ...(registry && { registry }),
      bus,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
