import { randomUUID } from 'node:crypto';
import { PgSqlClient } from '@pcn/eventsourcing';
import { createLogger, Registry } from '@pcn/observability';
import { idempotentHandler, migrateProcessedMessages } from '../idempotency/idempotent-handler';
import type { ReceivedMessage } from '../message';
import { busContract, testMessage } from '../testing/bus-contract';
import { eventually } from '@pcn/eventsourcing/testing';
import { SqlBus } from './sql-bus';

// A real PostgreSQL server: publishers really run in parallel on a connection pool, which is
// where commit order and offset order could disagree without the advisory lock.
const url = process.env.PCN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = randomUUID().replace(/-/g, '').slice(0, 12);
const schemas: string[] = [];
const newSchema = (): string => {
  const schema = `bus_${run}_${schemas.length}`;
  schemas.push(schema);
  return schema;
};
const effectsSchema = `bus_${run}_effects`;
const silent = () => ({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });

let sql: PgSqlClient;

beforeAll(async () => {
  sql = new PgSqlClient({ connectionString: url, max: 10 });
  await migrateProcessedMessages(sql, effectsSchema);
});
afterAll(async () => {
  for (const schema of [...schemas, effectsSchema]) await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.close();
});

describe('SqlBus on PostgreSQL', () => {
  describe('bus contract', () => {
    busContract({
      create: async (ctx) => {
        const bus = new SqlBus(sql, { ...ctx, schema: newSchema(), pollIntervalMs: 20 });
        await bus.migrate();
        return bus;
      },
      idempotent: (consumer, effect) => idempotentHandler({ sql, consumer, schema: effectsSchema, handler: (m) => effect(m) }),
    });
  });

  it('never lets a subscriber skip a message while processes publish concurrently', async () => {
    const schema = newSchema();
    // Separate pools and bus instances stand for separate processes: no in-process wake-up
    // reaches the subscriber, which only polls.
    const publishers = Array.from({ length: 4 }, () => new PgSqlClient({ connectionString: url, max: 4 }));
    const reader = new SqlBus(sql, { ...silent(), schema, pollIntervalMs: 2, batchSize: 7 });
    await reader.migrate();
    const got: ReceivedMessage[] = [];
    await reader.subscribe({ topic: 'busy', groupId: 'reader', handler: async (m) => void got.push(m) });
    const perWorker = 40;
    const workers = 12;
    try {
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          const bus = new SqlBus(publishers[w % publishers.length]!, { ...silent(), schema });
          for (let i = 0; i < perWorker; i++) await bus.publish('busy', [testMessage(`key-${w}`, `${w}:${i}`), testMessage(`key-${w}`, `${w}:${i}b`)]);
          await bus.close();
        }),
      );
      const total = workers * perWorker * 2;
      await eventually(() => expect(got).toHaveLength(total), 20_000);
      expect(got.map((m) => m.offset)).toEqual(Array.from({ length: total }, (_, i) => String(i + 1)));
      for (let w = 0; w < workers; w++) {
        const bodies = got.filter((m) => m.key === `key-${w}`).map((m) => new TextDecoder().decode(m.data));
        expect(bodies).toEqual(Array.from({ length: perWorker }, (_, i) => [`${w}:${i}`, `${w}:${i}b`]).flat());
      }
    } finally {
      await reader.close();
      await Promise.all(publishers.map((p) => p.close()));
    }
  }, 60_000);

  it('applies an effect once when two consumers race on the same message (idempotent handler)', async () => {
    const schema = newSchema();
    await sql.query(`CREATE SCHEMA ${schema}`);
    await sql.query(`CREATE TABLE ${schema}.effects (message_id text NOT NULL)`);
    await migrateProcessedMessages(sql, schema);
    const handler = idempotentHandler({
      sql,
      consumer: 'attribution',
      schema,
      handler: async (m, tx) => {
        await tx.query(`INSERT INTO ${schema}.effects VALUES ($1)`, [m.id]);
        await new Promise((r) => setTimeout(r, 30));
      },
    });
    const msg = { ...testMessage('k', 'once'), topic: 't', partition: 0, offset: '1', attempt: 1 };
    await Promise.all(Array.from({ length: 5 }, () => handler(msg)));
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.effects`);
    expect(rows[0]!.n).toBe(1);
  });
});
