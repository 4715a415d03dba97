import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { eventStoreBench } from './event-store-bench';
import { relayBench } from './relay-bench';

async function brokerReachable(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({ brokers, clientId: 'bench-probe', logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect();
  }
}

/**
 * `npm run bench [-- --events 20000 --only event-store|relay]`. PG_URL selects the PostgreSQL
 * server, KAFKA_BROKERS the broker of the relay benchmark.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '10' },
      writers: { type: 'string', default: '8' },
      'no-postgres': { type: 'boolean', default: false },
      'latency-samples': { type: 'string', default: '500' },
      only: { type: 'string' },
    },
  });
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 100) throw new Error(`--events must be an integer >= 100, got ${values.events}`);
  const pgUrl = values['no-postgres'] ? undefined : (process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (!values.only || values.only === 'event-store') {
    await eventStoreBench({ events, batch: Number(values.batch), writers: Number(values.writers), ...(pgUrl && { pgUrl }) });
  }
  if (!values.only || values.only === 'relay') {
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    if (await brokerReachable(brokers)) {
      await relayBench({ brokers, events, latencySamples: Number(values['latency-samples']), ...(pgUrl && { pgUrl }) });
    } else {
      process.stdout.write(`
Relay: not measured: no Kafka broker answers at ${brokers.join(',')} (start one with npm run infra:up).\n`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
