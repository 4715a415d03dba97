import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, deadLetters, type Logger, Registry } from '@pcn/observability';
import type { MessageBus, MessageHandler, SubscribeOptions, Subscription } from '../bus';
import { DLQ_HEADERS, parseDeadLetter } from '../consumer/dead-letter';
import { InvalidMessageError, InvalidTopicError, BusClosedError, UnprocessableMessageError } from '../errors';
import { newIntegrationMessage, type IntegrationMessage, type ReceivedMessage } from '../message';
import { eventually } from '@pcn/eventsourcing/testing';

export interface BusContractContext {
  /** Lines are captured by the suite, which checks what a dead letter logs. */
  readonly logger: Logger;
  /** The suite reads the dead-letter counter from it. */
  readonly registry: Registry;
}

export interface BusContractFactory {
  /** A bus of the adapter under test, wired to the given logger and registry. */
  create(context: BusContractContext): Promise<MessageBus>;
  /** The adapter family's idempotent consumer: `effect` runs once per (consumer, message id). */
  idempotent(consumer: string, effect: (message: ReceivedMessage) => Promise<void>): MessageHandler;
  /** How long to watch for a delivery that must NOT happen (default 150 ms). */
  readonly quietPeriodMs?: number;
}

const TEST_TIMEOUT_MS = 20_000;
const text = new TextEncoder();
const decode = (m: { data: Uint8Array }): string => new TextDecoder().decode(m.data);

export function testMessage(key: string, body: string, headers: Record<string, string> = {}): IntegrationMessage {
  return newIntegrationMessage({ type: 'pcn.test.v1.Tested', source: '/pcn/test', key, subject: key, data: text.encode(body), headers });
}

/**
 * The one contract every MessageBus adapter passes (DESIGN.md: Kafka and the in-process
 * buses). Call it inside a `describe` of the adapter's test file with its factory. Topics and
 * groups are fresh per test, so adapters may share storage between tests.
 */
export function busContract(factory: BusContractFactory): void {
  let bus: MessageBus;
  let registry: Registry;
  let lines: Record<string, unknown>[];
  const quiet = (): Promise<void> => sleep(factory.quietPeriodMs ?? 150);
  const topicName = (): string => `contract.${randomUUID()}`;
  const group = (name: string): string => `${name}-${randomUUID()}`;
  const fast = { maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 10 };

  /** Subscribes with a handler that records what it received (and may fail on demand). */
  async function collect(
    options: Omit<SubscribeOptions, 'handler'>,
    onMessage: (m: ReceivedMessage) => Promise<void> | void = () => undefined,
  ): Promise<{ got: ReceivedMessage[]; sub: Subscription }> {
    const got: ReceivedMessage[] = [];
    const sub = await bus.subscribe({
      retry: fast,
      ...options,
      handler: async (m) => {
        got.push(m);
        await onMessage(m);
      },
    });
    return { got, sub };
  }

  beforeEach(async () => {
    lines = [];
    registry = new Registry();
    const logger = createLogger({
      service: 'bus-contract',
      level: 'info',
      destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
    });
    bus = await factory.create({ logger, registry });
  });
  afterEach(async () => {
    await bus.close();
  });

  it(
    'delivers the envelope, payload and headers as published, with topic, offset and attempt',
    async () => {
      const topic = topicName();
      const withAll: IntegrationMessage = {
        id: randomUUID(),
        type: 'pcn.registry.v1.CentreRegistered',
        source: '/pcn/registry',
        time: '2025-03-31T08:15:00.123Z',
        subject: 'centre-42',
        key: 'centre-42',
        contentType: 'application/protobuf',
        data: new Uint8Array([0, 1, 127, 128, 255]),
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'pcn=1', ce_centrekind: 'csp' },
      };
      const { subject: _subject, ...withoutSubject } = withAll;
      const minimal: IntegrationMessage = { ...withoutSubject, id: randomUUID(), data: new Uint8Array(), headers: {} };
      const { got } = await collect({ topic, groupId: group('envelope') });
      await bus.publish(topic, [withAll, minimal]);
      await eventually(() => expect(got).toHaveLength(2));
      const [first, second] = got;
      expect({ ...first, data: Array.from(first!.data) }).toEqual({
        ...withAll,
        data: [0, 1, 127, 128, 255],
        topic,
        partition: expect.any(Number),
        offset: expect.stringMatching(/^\d+$/),
        attempt: 1,
      });
      expect(first!.data).toBeInstanceOf(Uint8Array);
      expect(second).not.toHaveProperty('subject');
      expect(second!.data).toHaveLength(0);
      expect(second!.headers).toEqual({});
      expect(BigInt(second!.offset)).toBeGreaterThan(BigInt(first!.offset));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps per-key order under interleaved concurrent publishers, and a live subscriber misses nothing',
    async () => {
      const topic = topicName();
      const { got } = await collect({ topic, groupId: group('order') });
      const keys = ['centre-a', 'centre-b', 'centre-c', 'centre-d'];
      const perKey = 25;
      await Promise.all(
        keys.map(async (key) => {
          for (let i = 0; i < perKey; i++) await bus.publish(topic, [testMessage(key, `${key}:${i}`)]);
        }),
      );
      await bus.publish(
        topic,
        keys.map((key) => testMessage(key, `${key}:${perKey}`)),
      );
      await eventually(() => expect(got).toHaveLength(keys.length * (perKey + 1)), 10_000);
      await quiet();
      expect(got).toHaveLength(keys.length * (perKey + 1));
      expect(new Set(got.map((m) => m.id)).size).toBe(got.length);
      for (const key of keys) {
        expect(got.filter((m) => m.key === key).map(decode)).toEqual(Array.from({ length: perKey + 1 }, (_, i) => `${key}:${i}`));
      }
      // An offset is a place within a partition: the pair identifies a message in the topic.
      const positions = got.map((m) => `${m.partition}/${m.offset}`);
      expect(new Set(positions).size).toBe(positions.length);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'delivers every message once to each of two groups',
    async () => {
      const topic = topicName();
      await bus.publish(topic, [testMessage('k1', 'm0'), testMessage('k2', 'm1')]);
      const a = await collect({ topic, groupId: group('billing') });
      const b = await collect({ topic, groupId: group('planning') });
      await bus.publish(
        topic,
        Array.from({ length: 8 }, (_, i) => testMessage(i % 2 ? 'k2' : 'k1', `m${i + 2}`)),
      );
      await eventually(() => {
        expect(a.got).toHaveLength(10);
        expect(b.got).toHaveLength(10);
      });
      await quiet();
      const sorted = (g: ReceivedMessage[]): string[] => g.map(decode).sort();
      const all = Array.from({ length: 10 }, (_, i) => `m${i}`).sort();
      expect(sorted(a.got)).toEqual(all);
      expect(sorted(b.got)).toEqual(all);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'starts a new group at the earliest message, and a known group where it left off',
    async () => {
      const topic = topicName();
      await bus.publish(
        topic,
        ['m1', 'm2', 'm3'].map((b) => testMessage('k', b)),
      );
      const known = group('known');
      const first = await collect({ topic, groupId: known });
      await eventually(() => expect(first.got.map(decode)).toEqual(['m1', 'm2', 'm3']));
      await first.sub.stop();
      await bus.publish(
        topic,
        ['m4', 'm5'].map((b) => testMessage('k', b)),
      );
      const fresh = await collect({ topic, groupId: group('fresh') });
      const again = await collect({ topic, groupId: known });
      await eventually(() => {
        expect(fresh.got.map(decode)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
        expect(again.got.map(decode)).toEqual(['m4', 'm5']);
      });
      await quiet();
      expect(again.got).toHaveLength(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'redelivers to the next subscription of the group a message whose handler kept failing when the consumer stopped',
    async () => {
      const topic = topicName();
      const groupId = group('crash');
      await bus.publish(
        topic,
        ['m1', 'm2', 'm3', 'm4'].map((b) => testMessage('k', b)),
      );
      const crashing = await collect({ topic, groupId, retry: { maxAttempts: 1000, initialBackoffMs: 20, maxBackoffMs: 20 } }, (m) => {
        if (decode(m) === 'm2') throw new Error('database unavailable');
      });
      await eventually(() => expect(crashing.got.filter((m) => decode(m) === 'm2').length).toBeGreaterThanOrEqual(2));
      await crashing.sub.stop();
      expect(crashing.got.map(decode).filter((b) => b !== 'm2')).toEqual(['m1']);
      const recovered = await collect({ topic, groupId });
      await eventually(() => expect(recovered.got.map(decode)).toEqual(['m2', 'm3', 'm4']));
      expect(recovered.got[0]!.attempt).toBe(1);
      await quiet();
      expect(recovered.got).toHaveLength(3);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaves unacknowledged the message in flight at stop() when its handler then fails, without retrying it',
    async () => {
      const topic = topicName();
      const groupId = group('in-flight');
      await bus.publish(
        topic,
        ['m1', 'm2', 'm3'].map((b) => testMessage('k', b)),
      );
      let fail!: (e: Error) => void;
      const gate = new Promise<void>((_, reject) => (fail = reject));
      const first = await collect({ topic, groupId, retry: { maxAttempts: 5, initialBackoffMs: 5, maxBackoffMs: 5 } }, async (m) => {
        if (decode(m) === 'm2') await gate;
      });
      await eventually(() => expect(first.got.map(decode)).toEqual(['m1', 'm2']));
      const stopping = first.sub.stop();
      fail(new Error('process killed'));
      await stopping;
      expect(first.got.map(decode)).toEqual(['m1', 'm2']);
      const next = await collect({ topic, groupId });
      await eventually(() => expect(next.got.map(decode)).toEqual(['m2', 'm3']));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'acknowledges the message in flight at stop() when its handler then succeeds',
    async () => {
      const topic = topicName();
      const groupId = group('in-flight-ok');
      await bus.publish(
        topic,
        ['m1', 'm2', 'm3'].map((b) => testMessage('k', b)),
      );
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = await collect({ topic, groupId }, async (m) => {
        if (decode(m) === 'm2') await gate;
      });
      await eventually(() => expect(first.got.map(decode)).toEqual(['m1', 'm2']));
      const stopping = first.sub.stop();
      release();
      await stopping;
      expect(first.got.map(decode)).toEqual(['m1', 'm2']);
      const next = await collect({ topic, groupId });
      await eventually(() => expect(next.got.map(decode)).toEqual(['m3']));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'absorbs a duplicate publication of one message id with the idempotent consumer',
    async () => {
      const topic = topicName();
      const once = testMessage('centre-1', 'declared');
      const other = testMessage('centre-1', 'changed');
      const effects: string[] = [];
      const deliveries: string[] = [];
      const idempotent = factory.idempotent(`effects-${randomUUID()}`, async (m) => void effects.push(decode(m)));
      await bus.subscribe({
        topic,
        groupId: group('idempotent'),
        retry: fast,
        handler: async (m) => {
          await idempotent(m);
          // Counted once handled, so that three deliveries mean three finished handlings.
          deliveries.push(m.id);
        },
      });
      await bus.publish(topic, [once]);
      await bus.publish(topic, [once, other]);
      await eventually(() => expect(deliveries).toEqual([once.id, once.id, other.id]));
      expect(effects).toEqual(['declared', 'changed']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'dead-letters a poison message after maxAttempts with its reason, logs and counts it, and the next messages still flow',
    async () => {
      const topic = topicName();
      const groupId = group('attribution');
      const poison = testMessage('k', 'poison', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
      await bus.publish(topic, [testMessage('k', 'm1'), poison, testMessage('k', 'm3')]);
      const consumer = await collect({ topic, groupId }, (m) => {
        if (m.id === poison.id) throw new Error('cannot decode payload');
      });
      const dlq = await collect({ topic: `${topic}.dlq`, groupId: group('dlq-reader') });
      await eventually(() => {
        expect(consumer.got.map(decode)).toEqual(['m1', 'poison', 'poison', 'poison', 'm3']);
        expect(dlq.got).toHaveLength(1);
      });
      expect(consumer.got.filter((m) => m.id === poison.id).map((m) => m.attempt)).toEqual([1, 2, 3]);
      const dead = dlq.got[0]!;
      expect({ id: dead.id, key: dead.key, type: dead.type, source: dead.source, time: dead.time, body: decode(dead) }).toEqual({
        id: poison.id,
        key: poison.key,
        type: poison.type,
        source: poison.source,
        time: poison.time,
        body: 'poison',
      });
      expect(dead.headers).toMatchObject({
        traceparent: poison.headers.traceparent,
        [DLQ_HEADERS.reason]: 'Error: cannot decode payload',
        [DLQ_HEADERS.consumer]: groupId,
        [DLQ_HEADERS.attempts]: '3',
        [DLQ_HEADERS.originalTopic]: topic,
      });
      expect(parseDeadLetter(dead)).toMatchObject({ originalTopic: topic, consumer: groupId, attempts: 3, reason: 'Error: cannot decode payload' });
      const counted = (await deadLetters(registry).get()).values.find((v) => v.labels.topic === topic && v.labels.consumer === groupId);
      expect(counted?.value).toBe(1);
      const logged = lines.filter((l) => l.msg === 'message dead-lettered');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 'error', topic, consumer: groupId, message_id: poison.id, attempts: 3, reason: 'Error: cannot decode payload' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'dead-letters at once a message the handler declares unprocessable, to the chosen dead-letter topic',
    async () => {
      const topic = topicName();
      const deadLetterTopic = `${topic}.poison`;
      const consumer = await collect(
        { topic, groupId: group('strict'), deadLetterTopic, retry: { maxAttempts: 5, initialBackoffMs: 5, maxBackoffMs: 5 } },
        (m) => {
          if (decode(m) === 'v0') throw new UnprocessableMessageError('schema version 0 is not supported');
        },
      );
      const dlq = await collect({ topic: deadLetterTopic, groupId: group('dlq-reader') });
      await bus.publish(topic, [testMessage('k', 'v0'), testMessage('k', 'v1')]);
      await eventually(() => {
        expect(consumer.got.map(decode)).toEqual(['v0', 'v1']);
        expect(dlq.got.map(decode)).toEqual(['v0']);
      });
      expect(dlq.got[0]!.headers[DLQ_HEADERS.attempts]).toBe('1');
      expect(dlq.got[0]!.headers[DLQ_HEADERS.reason]).toBe('UnprocessableMessageError: schema version 0 is not supported');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'retries a failing handler with growing backoff and acknowledges the message once it succeeds',
    async () => {
      const topic = topicName();
      const groupId = group('flaky');
      const at: number[] = [];
      const consumer = await collect({ topic, groupId, retry: { maxAttempts: 5, initialBackoffMs: 30, maxBackoffMs: 60 } }, (m) => {
        if (decode(m) !== 'flaky') return;
        at.push(performance.now());
        if (m.attempt < 3) throw new Error(`transient failure ${m.attempt}`);
      });
      await bus.publish(topic, [testMessage('k', 'flaky'), testMessage('k', 'next')]);
      await eventually(() => expect(consumer.got.map((m) => `${decode(m)}#${m.attempt}`)).toEqual(['flaky#1', 'flaky#2', 'flaky#3', 'next#1']));
      // Timers may fire a little early or late; the backoff doubles from 30 ms.
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(25);
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(55);
      expect((await deadLetters(registry).get()).values.filter((v) => v.labels.topic === topic)).toEqual([]);
      expect(lines.filter((l) => l.msg === 'message handler failed, retrying')).toHaveLength(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stop() ends delivery; later messages wait for the next subscription of the group',
    async () => {
      const topic = topicName();
      const groupId = group('stopper');
      const first = await collect({ topic, groupId });
      await bus.publish(topic, [testMessage('k', 'm1')]);
      await eventually(() => expect(first.got.map(decode)).toEqual(['m1']));
      await first.sub.stop();
      await bus.publish(topic, [testMessage('k', 'm2')]);
      await quiet();
      expect(first.got.map(decode)).toEqual(['m1']);
      const next = await collect({ topic, groupId });
      await eventually(() => expect(next.got.map(decode)).toEqual(['m2']));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses an invalid message or topic and publishes nothing of the batch',
    async () => {
      const topic = topicName();
      const bad = { ...testMessage('k', 'bad'), time: 'yesterday' };
      await expect(bus.publish(topic, [testMessage('k', 'good'), bad])).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(bus.publish(topic, [bad])).rejects.toMatchObject({ violations: [{ field: 'time' }] });
      await expect(bus.publish(topic, [{ ...testMessage('k', 'x'), headers: { ce_id: 'spoofed' } }])).rejects.toBeInstanceOf(InvalidMessageError);
      await expect(bus.publish('not a topic!', [testMessage('k', 'x')])).rejects.toBeInstanceOf(InvalidTopicError);
      await bus.publish(topic, [testMessage('k', 'after')]);
      const { got } = await collect({ topic, groupId: group('validation') });
      await eventually(() => expect(got.map(decode)).toEqual(['after']));
      await quiet();
      expect(got).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'close() stops the subscriptions and refuses further use',
    async () => {
      const topic = topicName();
      const { got } = await collect({ topic, groupId: group('closing') });
      await bus.publish(topic, [testMessage('k', 'm1')]);
      await eventually(() => expect(got).toHaveLength(1));
      await bus.close();
      await expect(bus.publish(topic, [testMessage('k', 'm2')])).rejects.toBeInstanceOf(BusClosedError);
      await expect(bus.subscribe({ topic, groupId: group('late'), handler: async () => undefined })).rejects.toBeInstanceOf(BusClosedError);
      expect(got).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );
}
