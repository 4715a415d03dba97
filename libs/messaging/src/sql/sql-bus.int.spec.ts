import { randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { consumerLag, createLogger, Registry } from '@pcn/observability';
import { BusStorageError, ConsumerGroupBusyError } from '../errors';
import { idempotentHandler, migrateProcessedMessages } from '../idempotency/idempotent-handler';
import type { ReceivedMessage } from '../message';
import { busContract, testMessage } from '../testing/bus-contract';
import { eventually } from '@pcn/eventsourcing/testing';
import { SqlBus } from './sql-bus';

// One PGlite per file (it takes seconds and hundreds of MB to start); a schema per bus.
let sql: PgliteSqlClient;
const schemaName = (): string => `bus_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const silent = () => ({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  await migrateProcessedMessages(sql, 'contract_effects');
}, 60_000);
afterAll(async () => {
  await sql.close();
});

describe('SqlBus on PGlite', () => {
  describe('bus contract', () => {
    busContract({
      create: async (ctx) => {
        const bus = new SqlBus(sql, { ...ctx, schema: schemaName(), pollIntervalMs: 20 });
        await bus.migrate();
        return bus;
      },
      idempotent: (consumer, effect) => idempotentHandler({ sql, consumer, schema: 'contract_effects', handler: (m) => effect(m) }),
    });
  });

  it('migrates idempotently and keeps messages and group offsets for the next bus instance (a restart)', async () => {
    const schema = schemaName();
    const first = new SqlBus(sql, { ...silent(), schema, pollIntervalMs: 20 });
    await first.migrate();
    await first.migrate();
    await first.publish(
      'pcn.registry.v1',
      ['m1', 'm2', 'm3'].map((b) => testMessage('centre-1', b)),
    );
    const got: string[] = [];
    await first.subscribe({ topic: 'pcn.registry.v1', groupId: 'attribution', handler: async (m) => void got.push(new TextDecoder().decode(m.data)) });
    await eventually(() => expect(got).toEqual(['m1', 'm2', 'm3']));
    await first.close();

    const second = new SqlBus(sql, { ...silent(), schema, pollIntervalMs: 20 });
    await second.migrate();
    await second.publish('pcn.registry.v1', [testMessage('centre-1', 'm4')]);
    const resumed: ReceivedMessage[] = [];
    const fresh: ReceivedMessage[] = [];
    await second.subscribe({ topic: 'pcn.registry.v1', groupId: 'attribution', handler: async (m) => void resumed.push(m) });
    await second.subscribe({ topic: 'pcn.registry.v1', groupId: 'planning', handler: async (m) => void fresh.push(m) });
    await eventually(() => {
      expect(resumed.map((m) => m.offset)).toEqual(['4']);
      expect(fresh.map((m) => m.offset)).toEqual(['1', '2', '3', '4']);
    });
    await second.close();
    const { rows } = await sql.query<{ group_id: string; offset: number }>(`SELECT group_id, "offset" FROM ${schema}.consumer_offsets ORDER BY group_id`);
    expect(rows).toEqual([
      { group_id: 'attribution', offset: 4 },
      { group_id: 'planning', offset: 4 },
    ]);
  });

  it('numbers offsets densely per topic and publishes batches larger than one INSERT', async () => {
    const bus = new SqlBus(sql, { ...silent(), schema: schemaName(), pollIntervalMs: 20, batchSize: 300 });
    await bus.migrate();
    try {
      await bus.publish('a', [testMessage('k', 'a1')]);
      await bus.publish(
        'b',
        Array.from({ length: 1234 }, (_, i) => testMessage(`k${i % 7}`, `b${i}`)),
      );
      await bus.publish('a', [testMessage('k', 'a2')]);
      const a: string[] = [];
      const b: string[] = [];
      await bus.subscribe({ topic: 'a', groupId: 'g', handler: async (m) => void a.push(m.offset) });
      await bus.subscribe({ topic: 'b', groupId: 'g', handler: async (m) => void b.push(m.offset) });
      await eventually(() => {
        expect(a).toEqual(['1', '2']);
        expect(b).toHaveLength(1234);
      }, 15_000);
      expect(b).toEqual(Array.from({ length: 1234 }, (_, i) => String(i + 1)));
    } finally {
      await bus.close();
    }
  }, 30_000);

  it('reports the consumer lag of a group', async () => {
    const ctx = silent();
    const bus = new SqlBus(sql, { ...ctx, schema: schemaName(), pollIntervalMs: 20 });
    await bus.migrate();
    try {
      await bus.publish(
        'lagging',
        Array.from({ length: 5 }, (_, i) => testMessage('k', `m${i}`)),
      );
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      await bus.subscribe({
        topic: 'lagging',
        groupId: 'slow',
        handler: async (m) => {
          if (m.offset === '3') await gate;
          handled.push(m.offset);
        },
      });
      const lag = async (): Promise<number | undefined> =>
        (await consumerLag(ctx.registry).get()).values.find((v) => v.labels.topic === 'lagging' && v.labels.consumer === 'slow')?.value;
      await eventually(async () => expect(await lag()).toBe(3));
      release();
      await eventually(async () => expect(await lag()).toBe(0));
      expect(handled).toEqual(['1', '2', '3', '4', '5']);
    } finally {
      await bus.close();
    }
  });

  it('refuses a second subscription of a group on a topic in the process', async () => {
    const bus = new SqlBus(sql, { ...silent(), schema: schemaName() });
    await bus.migrate();
    try {
      await bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined });
      await expect(bus.subscribe({ topic: 't', groupId: 'g', handler: async () => undefined })).rejects.toBeInstanceOf(ConsumerGroupBusyError);
    } finally {
      await bus.close();
    }
  });

  it('reports a storage failure as a typed error carrying the driver error', async () => {
    const bus = new SqlBus(sql, { ...silent(), schema: schemaName() });
    const publishing = bus.publish('t', [testMessage('k', 'm')]);
    await expect(publishing).rejects.toBeInstanceOf(BusStorageError);
    await expect(publishing).rejects.toMatchObject({
      operation: 'publish',
      topic: 't',
      cause: expect.objectContaining({ message: expect.stringContaining('does not exist') }),
    });
    await bus.close();
  });

  it('keeps a subscription alive through storage failures, logging each, and resumes once storage is back', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'test',
      level: 'error',
      destination: { write: (c: string) => void lines.push(JSON.parse(c) as Record<string, unknown>) },
    });
    const schema = schemaName();
    const bus = new SqlBus(sql, { logger, registry: new Registry(), schema, pollIntervalMs: 20 });
    const got: string[] = [];
    try {
      await bus.subscribe({
        topic: 't',
        groupId: 'g',
        retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 20 },
        handler: async (m) => void got.push(m.offset),
      });
      await eventually(() => expect(lines.filter((l) => l.msg === 'bus storage failed while reading the committed offset').length).toBeGreaterThanOrEqual(2));
      await bus.migrate();
      await bus.publish('t', [testMessage('k', 'm')]);
      await eventually(() => expect(got).toEqual(['1']));
      expect(lines[0]).toMatchObject({ topic: 't', consumer: 'g', err: expect.objectContaining({ type: 'BusStorageError' }) });
    } finally {
      await bus.close();
    }
  });
});
