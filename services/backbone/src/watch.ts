import { parseArgs } from 'node:util';
import { createLogger, createMetrics, startTracing } from '@pcn/observability';
import { KafkaBus } from '@pcn/messaging';
import { codecOf } from './contract-codecs';

const USAGE = `usage: pcn-watch <topic> [--brokers host:port,...] [--group id]
  Prints every integration event of a topic as a JSON line, payload decoded from protobuf.
  e.g. pcn-watch pcn.registry.v1 --brokers 127.0.0.1:9092`;

/**
 * Tails a topic as a consumer group (a new group reads from the beginning), like any other
 * consumer of the network would: each line carries the trace id the event was produced under.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      group: { type: 'string', default: `pcn-watch-${process.pid}` },
    },
  });
  const topic = positionals[0];
  if (!topic) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const tracing = startTracing({ serviceName: 'pcn-watch' });
  const logger = createLogger({ service: 'pcn-watch', level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info' });
  const bus = new KafkaBus({ brokers: values.brokers!.split(','), clientId: 'pcn-watch', logger, registry: createMetrics({ defaultMetrics: false }).registry });
  const subscription = await bus.subscribe({
    topic,
    groupId: values.group!,
    handler: async (message) => {
      const codec = codecOf(message.type);
      logger.info(
        {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          id: message.id,
          type: message.type,
          key: message.key,
          time: message.time,
          data: codec ? codec.toJSON(codec.decode(message.data)) : Buffer.from(message.data).toString('base64'),
        },
        'event',
      );
    },
  });
  logger.info({ topic, group: values.group }, 'watching');
  const stop = (): void => {
    void subscription
      .stop()
      .then(() => bus.close())
      .then(() => tracing.shutdown())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`pcn-watch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
