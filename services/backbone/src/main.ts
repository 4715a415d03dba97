import { parseArgs } from 'node:util';
import { createLogger, startTracing } from '@pcn/observability';
import { ConfigError, loadConfig, TARGETS } from './config';
import { DataDirLockedError } from './data-dir-lock';
import { PortInUseError, startSystem } from './system';
import { NirKeyError } from '@pcn/attribution';

/**
 * `node services/backbone/dist/main.js [--target=all|registry|staff|attribution]`: the one binary of the network.
 * Exit codes: 0 after a clean shutdown, 2 for a configuration error, 1 for anything else.
 */
async function main(): Promise<void> {
  // Everything this process creates (the embedded database, the NIR key, the lock) is for its
  // owner only: the data directory holds patient data.
  process.umask(0o077);
  const { values } = parseArgs({ options: { target: { type: 'string' } }, strict: true });
  const config = loadConfig(process.env, values.target);
  const tracing = startTracing({
    serviceName: `pcn-${config.PCN_TARGET === 'all' ? 'backbone' : config.PCN_TARGET}`,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT && { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }),
  });
  const logger = createLogger({ service: `pcn-${config.PCN_TARGET}`, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

  const system = await startSystem(config, logger);
  logger.info(
    {
      target: config.PCN_TARGET,
      http: `http://${config.PCN_HOST}:${system.httpPort}`,
      grpc: `${config.PCN_HOST}:${system.grpcPort}`,
      database: system.database,
      tracing: tracing.exporting ? tracing.tracesUrl : 'off',
    },
    'pcn started',
  );

  let stopping = false;
  let failure: Error | undefined;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.PCN_SHUTDOWN_GRACE_MS }, 'shutting down');
    // The grace period, then the drain and the stops, which PCN_SHUTDOWN_TIMEOUT_MS bounds.
    const limitMs = config.PCN_SHUTDOWN_GRACE_MS + config.PCN_SHUTDOWN_TIMEOUT_MS + 2000;
    const force = setTimeout(() => {
      logger.error({ timeoutMs: limitMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, limitMs);
    force.unref();
    system
      .stop()
      .then(() => tracing.shutdown())
      .then(() => {
        if (failure) {
          logger.fatal({ err: failure }, 'stopped after a failure');
          process.exitCode = 1;
          return;
        }
        logger.info('stopped cleanly');
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  void system.failed.then((error) => {
    failure = error;
    logger.fatal({ err: error }, 'cannot go on: refusing every request and shutting down');
    shutdown('failure');
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nValid targets: ${TARGETS.join(', ')}. See README.md, "Configuration".\n`);
    process.exit(2);
  }
  if (error instanceof DataDirLockedError || error instanceof PortInUseError || error instanceof NirKeyError) {
    process.stderr.write(`pcn: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`pcn failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
