import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PgSqlClient, SqlEventStore, type NewEvent } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { createLogger, createMetrics } from '@pcn/observability';
import { KafkaBus } from '../kafka';
import { PROTOBUF_CONTENT_TYPE, type ReceivedMessage } from '../message';
import { Relay } from './relay';

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const KAFKA_SH = join(__dirname, '..', '..', '..', '..', 'scripts', 'kafka', 'kafka.sh');
// The broker of scripts/kafka on the port of KAFKA_BROKERS (CI runs its own on 19092).
const kafka = (command: 'stop' | 'start'): void => {
  execFileSync('bash', [KAFKA_SH, command], { stdio: 'ignore', env: { ...process.env, KAFKA_PORT: KAFKA_BROKERS[0]!.split(':')[1]! }, timeout: 120_000 });
};

const event = (i: number): NewEvent => ({
  id: randomUUID(),
  type: 'Tested',
  schemaVersion: 1,
  data: { i },
  metadata: { occurredAt: new Date().toISOString() },
});

describe('the relay across a broker restart', () => {
  const schema = `relay_restart_${randomBytes(4).toString('hex')}`;
  const topic = `relay.restart.${randomBytes(4).toString('hex')}`;
  const logger = createLogger({ service: 'relay-restart-test', level: 'silent' });
  const sql = new PgSqlClient(PG_URL);
  let bus: KafkaBus;

  afterAll(async () => {
    kafka('start');
    await bus?.close();
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql.close();
  });

  it('publishes what was appended while the broker was down once it is back, losing nothing and keeping per-key order', async () => {
    const store = await SqlEventStore.open(sql, schema, { pollIntervalMs: 20 });
    bus = new KafkaBus({ brokers: KAFKA_BROKERS, clientId: 'relay-restart-test', logger, registry: createMetrics({ defaultMetrics: false }).registry });
    const relay = new Relay(store, bus, sql, {
      name: 'restart-test',
      schema,
      restartDelayMs: 200,
      map: async (e) => ({
        topic,
        message: {
          id: e.id,
          type: 'test.v1.Tested',
          source: '/test',
          time: e.metadata.occurredAt,
          key: e.streamId,
          contentType: PROTOBUF_CONTENT_TYPE,
          data: Buffer.from(String((e.data as { i: number }).i)),
          headers: {},
        },
      }),
    });
    await relay.start();
    const keys = ['a', 'b', 'c'].map((k) => `${k}-${randomBytes(2).toString('hex')}`);
    for (let i = 0; i < 15; i++) await store.append(keys[i % 3]!, [event(i)], 'any');
    await eventually(() => expect(relay.position).toBe(15), 30_000, 50);

    kafka('stop');
    for (let i = 15; i < 30; i++) await store.append(keys[i % 3]!, [event(i)], 'any');
    await new Promise((r) => setTimeout(r, 1500));
    expect(relay.position).toBe(15);
    kafka('start');
    await eventually(() => expect(relay.position).toBe(30), 90_000, 100);
    await relay.stop();

    // Read the topic from the beginning with a new group: every event is there, in order per key.
    const got: ReceivedMessage[] = [];
    const sub = await bus.subscribe({ topic, groupId: `verify-${randomBytes(3).toString('hex')}`, handler: async (m) => void got.push(m) });
    await eventually(() => expect(new Set(got.map((m) => m.id)).size).toBe(30), 60_000, 100);
    await sub.stop();
    for (const key of keys) {
      const firsts = [...new Map(got.filter((m) => m.key === key).map((m) => [m.id, Number(Buffer.from(m.data).toString())])).values()];
      expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
      expect(firsts).toHaveLength(10);
    }
  }, 240_000);
});
