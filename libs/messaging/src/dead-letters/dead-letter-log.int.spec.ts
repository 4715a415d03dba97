import { randomUUID } from 'node:crypto';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { createLogger, Registry } from '@pcn/observability';
import { DLQ_HEADERS, parseDeadLetter, toDeadLetterMessage } from '../consumer/dead-letter';
import { InvalidMessageError } from '../errors';
import { InMemoryBus } from '../in-memory/in-memory-bus';
import type { ReceivedMessage } from '../message';
import { SqlBus } from '../sql/sql-bus';
import { testMessage } from '../testing/bus-contract';
import { eventually } from '@pcn/eventsourcing/testing';
import { InMemoryDeadLetterLog, recordDeadLetters, SqlDeadLetterLog, type DeadLetterLog } from './dead-letter-log';

let sql: PgliteSqlClient;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(async () => {
  await sql.close();
});

const silent = () => ({ logger: createLogger({ service: 'test', level: 'silent' }), registry: new Registry() });
const received = (topic: string, offset: string, body = 'poison'): ReceivedMessage => ({
  ...testMessage('centre-1', body),
  topic,
  partition: 0,
  offset,
  attempt: 3,
});

describe('dead letters', () => {
  it('round-trips the cause through the dead-letter headers, keeping the original envelope', () => {
    const original = received('pcn.registry.v1', '41');
    const dlq = toDeadLetterMessage(original, {
      consumer: 'attribution',
      attempts: 3,
      error: new TypeError('bad payload'),
      at: new Date('2025-04-01T00:00:00Z'),
    });
    expect(dlq.id).toBe(original.id);
    expect(dlq.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'TypeError: bad payload',
      [DLQ_HEADERS.consumer]: 'attribution',
      [DLQ_HEADERS.attempts]: '3',
      [DLQ_HEADERS.originalTopic]: 'pcn.registry.v1',
      [DLQ_HEADERS.originalOffset]: '41',
      [DLQ_HEADERS.at]: '2025-04-01T00:00:00.000Z',
    });
    const parsed = parseDeadLetter({ ...dlq, topic: 'pcn.registry.v1.dlq', partition: 0, offset: '1', attempt: 1 });
    expect(parsed).toMatchObject({
      deadLetterTopic: 'pcn.registry.v1.dlq',
      originalTopic: 'pcn.registry.v1',
      originalOffset: '41',
      attempts: 3,
      reason: 'TypeError: bad payload',
    });
    expect(parsed.message.headers).toEqual(original.headers);
    expect(() => parseDeadLetter(original)).toThrow(InvalidMessageError);
  });

  it('cuts an overlong reason and describes a thrown non-error', () => {
    const long = toDeadLetterMessage(received('t', '1'), { consumer: 'c', attempts: 1, error: new Error('x'.repeat(5000)) });
    expect(long.headers[DLQ_HEADERS.reason]!.length).toBe(2000);
    const odd = toDeadLetterMessage(received('t', '1'), { consumer: 'c', attempts: 1, error: 42 });
    expect(odd.headers[DLQ_HEADERS.reason]).toBe('non-error thrown: 42');
  });

  describe.each([
    ['in memory', async (): Promise<DeadLetterLog> => new InMemoryDeadLetterLog()],
    [
      'in SQL',
      async (): Promise<DeadLetterLog> => {
        const log = new SqlDeadLetterLog(sql, { schema: `dlq_${randomUUID().replace(/-/g, '').slice(0, 12)}` });
        await log.migrate();
        await log.migrate();
        return log;
      },
    ],
  ])('DeadLetterLog %s', (_name, create) => {
    const dead = (topic: string, consumer: string, offset: string) =>
      parseDeadLetter({
        ...toDeadLetterMessage(received(topic, offset, `body-${offset}`), { consumer, attempts: 5, error: new Error(`failed ${offset}`) }),
        topic: `${topic}.dlq`,
        partition: 0,
        offset,
        attempt: 1,
      });

    it('records each dead letter once and lists them by topic and consumer, page by page', async () => {
      const log = await create();
      const a1 = dead('pcn.registry.v1', 'attribution', '1');
      await log.record(a1);
      await log.record(a1);
      await log.record(dead('pcn.registry.v1', 'billing', '2'));
      await log.record(dead('pcn.staff.v1', 'attribution', '3'));
      const all = await log.list();
      expect(all.map((e) => [e.originalTopic, e.consumer, e.originalOffset])).toEqual([
        ['pcn.registry.v1', 'attribution', '1'],
        ['pcn.registry.v1', 'billing', '2'],
        ['pcn.staff.v1', 'attribution', '3'],
      ]);
      expect(all[0]).toMatchObject({
        reason: 'Error: failed 1',
        attempts: 5,
        deadLetterTopic: 'pcn.registry.v1.dlq',
        message: { id: a1.message.id, key: 'centre-1' },
      });
      expect(new TextDecoder().decode(all[0]!.message.data)).toBe('body-1');
      expect((await log.list({ originalTopic: 'pcn.registry.v1' })).map((e) => e.consumer)).toEqual(['attribution', 'billing']);
      expect((await log.list({ consumer: 'attribution' })).map((e) => e.originalTopic)).toEqual(['pcn.registry.v1', 'pcn.staff.v1']);
      const page1 = await log.list({ limit: 2 });
      const page2 = await log.list({ limit: 2, after: page1[1]!.sequence });
      expect([...page1, ...page2].map((e) => e.originalOffset)).toEqual(['1', '2', '3']);
    });

    it('gives one dead letter by its sequence and notes its first replay only', async () => {
      const log = await create();
      await log.record(dead('pcn.registry.v1', 'attribution', '7'));
      const [entry] = await log.list();
      expect(await log.get(entry!.sequence)).toEqual(entry);
      expect(entry).not.toHaveProperty('replayedAt');
      expect(await log.get(entry!.sequence + 1000)).toBeUndefined();
      expect(await log.markReplayed(entry!.sequence, '2026-12-06T03:00:00.000Z')).toBe(true);
      expect(await log.markReplayed(entry!.sequence, '2026-12-06T04:00:00.000Z')).toBe(false);
      expect(await log.get(entry!.sequence)).toMatchObject({ replayedAt: '2026-12-06T03:00:00.000Z', originalOffset: '7' });
      expect(await log.markReplayed(entry!.sequence + 1000, '2026-12-06T04:00:00.000Z')).toBe(false);
    });
  });

  it('fills the log from the dead-letter topic of a durable bus, and sends non-dead-letters aside', async () => {
    const schema = `dlqbus_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const bus = new SqlBus(sql, { ...silent(), schema, pollIntervalMs: 20 });
    await bus.migrate();
    const log = new SqlDeadLetterLog(sql, { schema });
    await log.migrate();
    try {
      await bus.subscribe({
        topic: 'pcn.registry.v1',
        groupId: 'attribution',
        retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 },
        handler: async (m) => {
          if (new TextDecoder().decode(m.data) === 'poison') throw new Error('unknown centre type');
        },
      });
      const subs = await recordDeadLetters({ bus, log, topics: ['pcn.registry.v1.dlq'] });
      expect(subs).toHaveLength(1);
      const poison = testMessage('centre-9', 'poison');
      await bus.publish('pcn.registry.v1', [testMessage('centre-9', 'ok'), poison]);
      await bus.publish('pcn.registry.v1.dlq', [testMessage('centre-9', 'not a dead letter')]);
      await eventually(async () => expect(await log.list()).toHaveLength(1));
      expect((await log.list())[0]).toMatchObject({ consumer: 'attribution', attempts: 2, reason: 'Error: unknown centre type', message: { id: poison.id } });
      const aside: string[] = [];
      await bus.subscribe({ topic: 'pcn.registry.v1.dlq.dlq', groupId: 'ops', handler: async (m) => void aside.push(m.headers[DLQ_HEADERS.reason]!) });
      await eventually(() => expect(aside).toEqual([expect.stringMatching(/^UnprocessableMessageError: not a dead letter: invalid message/)]));
    } finally {
      await bus.close();
    }
  });

  it('stops the subscriptions already made when one of the topics is refused', async () => {
    const bus = new InMemoryBus(silent());
    try {
      await expect(recordDeadLetters({ bus, log: new InMemoryDeadLetterLog(), topics: ['a.dlq', 'not valid!'] })).rejects.toThrow(/invalid topic/);
      // The first subscription was stopped: its group slot is free again.
      await bus.subscribe({ topic: 'a.dlq', groupId: 'pcn-dead-letter-log', handler: async () => undefined });
    } finally {
      await bus.close();
    }
  });
});
