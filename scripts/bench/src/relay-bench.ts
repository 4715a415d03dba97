import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { PgliteSqlClient, PgSqlClient, SqlEventStore, type NewEvent, type SqlClient } from '@pcn/eventsourcing';
import { KafkaBus, PROTOBUF_CONTENT_TYPE, Relay, toKafkaMessage, type IntegrationMessage, type OutgoingMessage } from '@pcn/messaging';
import { createLogger, createMetrics } from '@pcn/observability';
import { printTable, timed } from './report';
import { summary } from './percentiles';

export interface RelayBenchOptions {
  readonly brokers: string[];
  readonly events: number;
  readonly latencySamples: number;
  readonly pgUrl?: string;
}

const PAYLOAD = randomBytes(300);

function event(i: number): NewEvent {
  return { id: randomUUID(), type: 'CentreAmended', schemaVersion: 1, data: { i, name: `Centre ${i}` }, metadata: { occurredAt: new Date().toISOString() } };
}

function message(topic: string, id: string, key: string): OutgoingMessage {
  const msg: IntegrationMessage = {
    id,
    type: 'bench.v1.Event',
    source: '/bench',
    time: new Date().toISOString(),
    key,
    contentType: PROTOBUF_CONTENT_TYPE,
    data: PAYLOAD,
    headers: {},
  };
  return { topic, message: msg };
}

async function untilTrue(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Raw kafkajs: the same number of messages, same size and batch, to another topic of the broker. */
async function rawProducer(producer: Producer, topic: string, n: number, batch: number): Promise<number> {
  const { seconds } = await timed(async () => {
    for (let i = 0; i < n; i += batch) {
      const messages = Array.from({ length: Math.min(batch, n - i) }, (_, j) => toKafkaMessage(message(topic, randomUUID(), `k${(i + j) % 100}`).message));
      await producer.send({ topic, messages, acks: -1 });
    }
  });
  return seconds;
}

export async function relayBench(options: RelayBenchOptions): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const logger = createLogger({ service: 'bench', level: 'error' });
  const registry = createMetrics({ defaultMetrics: false }).registry;
  const sql: SqlClient = options.pgUrl ? new PgSqlClient({ connectionString: options.pgUrl, max: 4 }) : await PgliteSqlClient.open();
  const schema = `bench_relay_${run}`;
  const bus = new KafkaBus({ brokers: options.brokers, clientId: 'bench', logger, registry });
  const kafka = new Kafka({ brokers: options.brokers, clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const rows = [];
  try {
    const store = await SqlEventStore.open(sql, schema);
    const n = options.events;
    process.stdout.write(
      `\nRelay: ${n} events (~300-byte payload) already in the event store (${options.pgUrl ? 'PostgreSQL' : 'PGlite'}), relayed to Kafka at ${options.brokers.join(',')} in batches of 200.\n` +
        `Baseline: the raw kafkajs producer (idempotent, acks=all) sending ${n} messages of the same size in batches of 200 to the same broker.\n`,
    );
    for (let i = 0; i < n; i += 100)
      await store.append(
        `bench-${i % 1000}-${run}`,
        Array.from({ length: 100 }, (_, j) => event(i + j)),
        'any',
      );

    // Warm both paths (topic creation, metadata) outside the measurement.
    const rawTopic = `bench.raw.${run}`;
    await rawProducer(producer, rawTopic, 200, 200);
    const relayTopic = `bench.relay.${run}`;
    await bus.publish(relayTopic, [message(relayTopic, randomUUID(), 'warm').message]);

    const head = await store.headPosition();
    const relay = new Relay(store, bus, sql, { name: 'bench', schema, batchSize: 200, map: async (e) => message(relayTopic, e.id, e.streamId) });
    const relayed = await timed(async () => {
      await relay.start();
      await untilTrue(() => relay.position >= head, 300_000, 'the relay');
    });
    await relay.stop();
    const raw = await rawProducer(producer, rawTopic, n, 200);
    rows.push({ target: 'relay → kafka', operation: 'store to broker (acked)', count: n, seconds: relayed.seconds, baselinePerSecond: n / raw });

    // Latency: append one event at a time; a consumer on the topic records when each arrives.
    const latencyTopic = `bench.latency.${run}`;
    const appendedAt = new Map<string, number>();
    const latencies: number[] = [];
    const sub = await bus.subscribe({
      topic: latencyTopic,
      groupId: `bench-${run}`,
      handler: async (m) => {
        const t = appendedAt.get(m.id);
        if (t !== undefined) latencies.push(performance.now() - t);
      },
    });
    const live = new Relay(store, bus, sql, {
      name: 'bench-latency',
      schema,
      filter: { streamPrefixes: [`latency-${run}`] },
      map: async (e) => message(latencyTopic, e.id, e.streamId),
    });
    await live.start();
    for (let i = 0; i < options.latencySamples; i++) {
      const e = event(i);
      appendedAt.set(e.id, performance.now());
      await store.append(`latency-${run}-${i % 10}`, [e], 'any');
      await new Promise((r) => setTimeout(r, 5));
    }
    await untilTrue(() => latencies.length >= options.latencySamples, 60_000, 'the consumer');
    await live.stop();
    await sub.stop();

    // Raw latency baseline: kafkajs producer to kafkajs consumer on the same broker.
    const rawLatencyTopic = `bench.rawlatency.${run}`;
    await rawProducer(producer, rawLatencyTopic, 1, 1);
    const consumer = kafka.consumer({ groupId: `bench-raw-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic: rawLatencyTopic, fromBeginning: false });
    const sentAt = new Map<string, number>();
    const rawLatencies: number[] = [];
    await consumer.run({
      eachMessage: async ({ message: m }) => {
        const id = m.key?.toString() ?? '';
        const t = sentAt.get(id);
        if (t !== undefined) rawLatencies.push(performance.now() - t);
      },
    });
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < options.latencySamples; i++) {
      const id = randomUUID();
      sentAt.set(id, performance.now());
      await producer.send({ topic: rawLatencyTopic, messages: [{ key: id, value: Buffer.from(PAYLOAD) }], acks: -1 });
      await new Promise((r) => setTimeout(r, 5));
    }
    await untilTrue(() => rawLatencies.length >= options.latencySamples, 60_000, 'the raw consumer');
    await consumer.disconnect();

    printTable('Relay throughput (ratio = relay / raw producer)', rows);
    const ours = summary(latencies);
    const base = summary(rawLatencies);
    process.stdout.write(
      `\nEnd-to-end latency, ${options.latencySamples} events, one every ~5 ms (ms)\n` +
        `path                                  p50      p99      max\n` +
        `append → relay → kafka → consumer  ${ours.p50.toFixed(1).padStart(7)}  ${ours.p99.toFixed(1).padStart(7)}  ${ours.max.toFixed(1).padStart(7)}\n` +
        `raw kafkajs produce → consume      ${base.p50.toFixed(1).padStart(7)}  ${base.p99.toFixed(1).padStart(7)}  ${base.max.toFixed(1).padStart(7)}\n`,
    );
  } finally {
    await producer.disconnect();
    await bus.close();
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await sql.close();
  }
}
