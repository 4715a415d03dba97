import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { trace } from '@opentelemetry/api';
import { Kafka, logLevel, Partitioners, type Admin, type ISocketFactory, type KafkaMessage, type Producer } from 'kafkajs';
import { eventually } from '@pcn/eventsourcing/testing';
import { consumerLag, createLogger, deadLetters, Registry, startTracing, type Logger } from '@pcn/observability';
import type { MessageHandler } from '../bus';
import { DLQ_HEADERS } from '../consumer/dead-letter';
import { inMemoryIdempotentHandler, InMemoryProcessedMessages } from '../idempotency/idempotent-handler';
import type { ReceivedMessage } from '../message';
import { busContract, testMessage } from '../testing/bus-contract';
import { KafkaBus } from './kafka-bus';
import type { KafkaBusOptions } from './options';

// The broker is shared (other suites, other engineers): every topic and group name is unique.
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const run = randomUUID().slice(0, 8);
// Group timings scaled down for tests: 6 s is the broker's minimum session timeout; short
// fetch waits make stop() quick.
const fastGroups = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 } satisfies Partial<KafkaBusOptions>;
const decode = (m: { data: Uint8Array }): string => new TextDecoder().decode(m.data);

jest.setTimeout(30_000);

describe('KafkaBus on a Kafka broker', () => {
  describe('bus contract', () => {
    const processed = new InMemoryProcessedMessages();
    busContract({
      create: async (ctx) => new KafkaBus({ brokers, clientId: 'bus-contract', ...fastGroups, ...ctx }),
      idempotent: (consumer, effect) => inMemoryIdempotentHandler({ processed, consumer, handler: effect }),
      // A delivery that must not happen takes a fetch round trip to show up.
      quietPeriodMs: 500,
    });
  });

  describe('Kafka specifics', () => {
    const created: string[] = [];
    const buses: KafkaBus[] = [];
    let kafka: Kafka;
    let admin: Admin;
    let rawProducer: Producer;
    let lines: Record<string, unknown>[];
    let registry: Registry;

    const topicName = (name: string): string => {
      const topic = `kafka-spec.${run}.${name}.${randomUUID().slice(0, 8)}`;
      created.push(topic, `${topic}.dlq`);
      return topic;
    };
    const group = (name: string): string => `${name}-${randomUUID()}`;
    const capturingLogger = (): Logger =>
      createLogger({
        service: 'kafka-bus-spec',
        level: 'info',
        destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
      });
    const newBus = (options: Partial<KafkaBusOptions> = {}): KafkaBus => {
      const bus = new KafkaBus({ brokers, clientId: 'kafka-bus-spec', logger: capturingLogger(), registry, ...fastGroups, ...options });
      buses.push(bus);
      return bus;
    };
    const recorder = (onMessage: (m: ReceivedMessage) => Promise<void> | void = () => undefined): { got: ReceivedMessage[]; handler: MessageHandler } => {
      const got: ReceivedMessage[] = [];
      return {
        got,
        handler: async (m) => {
          got.push(m);
          await onMessage(m);
        },
      };
    };
    /** Every record of a topic, read by a plain kafkajs consumer (no CloudEvents decoding). */
    const readRaw = async (topic: string, count: number): Promise<KafkaMessage[]> => {
      const consumer = kafka.consumer({ groupId: group('raw-reader'), maxWaitTimeInMs: 100 });
      const records: KafkaMessage[] = [];
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => void records.push(message) });
        await eventually(() => expect(records).toHaveLength(count), 10_000);
        await sleep(300);
        return [...records];
      } finally {
        await consumer.disconnect();
      }
    };

    beforeAll(async () => {
      kafka = new Kafka({ clientId: 'kafka-bus-spec-raw', brokers, logLevel: logLevel.NOTHING });
      admin = kafka.admin();
      rawProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await Promise.all([admin.connect(), rawProducer.connect()]);
    });
    beforeEach(() => {
      lines = [];
      registry = new Registry();
    });
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });
    afterAll(async () => {
      const existing = new Set(await admin.listTopics());
      const mine = created.filter((t) => existing.has(t));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      await Promise.all([admin.disconnect(), rawProducer.disconnect()]);
    });

    it('redelivers to a new member of the group what a member that crashed before committing was handling', async () => {
      const topic = topicName('crash');
      const groupId = group('crash');
      // Connections this bus opens can all be cut at once, with no LeaveGroup sent: to the
      // broker it is a process that died. Afterwards, connecting is refused.
      const sockets = new Set<Socket>();
      let crashed = false;
      const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
        const socket = crashed ? connect({ host: '127.0.0.1', port: 1 }) : connect({ host, port }, onConnect);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      };
      // Silent: it logs every refused reconnection until it is closed.
      const crashing = newBus({ socketFactory, logger: createLogger({ service: 'crashing', level: 'silent' }) });
      const survivor = newBus();
      await survivor.publish(
        topic,
        ['m1', 'm2', 'm3', 'm4'].map((b) => testMessage('k', b)),
      );

      let release!: (e: Error) => void;
      const stuck = new Promise<void>((_, reject) => (release = reject));
      const first = recorder(async (m) => {
        if (decode(m) === 'm2') await stuck;
      });
      try {
        await crashing.subscribe({ topic, groupId, handler: first.handler });
        await eventually(() => expect(first.got.map(decode)).toEqual(['m1', 'm2']));
        crashed = true;
        for (const socket of sockets) socket.destroy(new Error('simulated crash: connection lost'));

        const second = recorder();
        // Joins once the broker has given up on the silent member (its 6 s session).
        await survivor.subscribe({ topic, groupId, handler: second.handler });
        await eventually(() => expect(second.got.map(decode)).toEqual(['m2', 'm3', 'm4']), 10_000);
        expect(second.got[0]!.attempt).toBe(1);
        expect(first.got.map(decode)).toEqual(['m1', 'm2']);
      } finally {
        // The network heals and the stuck handler returns, so the crashed bus can be closed
        // (its LeaveGroup now fails fast: the coordinator no longer knows the member).
        crashed = false;
        release(new Error('process gone'));
      }
    });

    it('shares the partitions between two members of a group, which together see every message once', async () => {
      const topic = topicName('members');
      const groupId = group('members');
      const bus = newBus();
      const a = recorder();
      const b = recorder();
      await bus.subscribe({ topic, groupId, handler: a.handler });
      // Resolves when the rebalance is complete: the first member holds its new share too.
      await bus.subscribe({ topic, groupId, handler: b.handler });
      const keys = Array.from({ length: 12 }, (_, i) => `centre-${i}`);
      await bus.publish(
        topic,
        keys.flatMap((key) => [0, 1, 2].map((i) => testMessage(key, `${key}:${i}`))),
      );
      await eventually(() => expect(a.got.length + b.got.length).toBe(36), 10_000);
      await sleep(500);
      const all = [...a.got, ...b.got];
      expect(all).toHaveLength(36);
      expect(new Set(all.map((m) => m.id)).size).toBe(36);
      expect(a.got.length).toBeGreaterThan(0);
      expect(b.got.length).toBeGreaterThan(0);
      const partitionsOf = (got: ReceivedMessage[]): Set<number> => new Set(got.map((m) => m.partition));
      const shared = [...partitionsOf(a.got)].filter((p) => partitionsOf(b.got).has(p));
      expect(shared).toEqual([]);
      expect(new Set([...partitionsOf(a.got), ...partitionsOf(b.got)])).toEqual(new Set([0, 1, 2]));
    });

    it('starts two instances at once on a new topic: both create it, join one group and share it, every message seen', async () => {
      const topic = topicName('concurrent-start');
      const groupId = group('concurrent-start');
      // Two processes of one service starting together: one of them finds the topic already
      // created by the other (TOPIC_ALREADY_EXISTS) and must still wait for its leaders.
      const [first, second] = [newBus(), newBus()];
      const a = recorder();
      const b = recorder();
      await Promise.all([first.subscribe({ topic, groupId, handler: a.handler }), second.subscribe({ topic, groupId, handler: b.handler })]);
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(metadata!.partitions.map((p) => p.leader >= 0)).toEqual([true, true, true]);
      const keys = Array.from({ length: 12 }, (_, i) => `finess-${i}`);
      await second.publish(
        topic,
        keys.map((key) => testMessage(key, key)),
      );
      await eventually(() => expect(new Set([...a.got, ...b.got].map(decode))).toEqual(new Set(keys)), 15_000);
      expect(lines.filter((l) => l.level === 'fatal')).toEqual([]);
    });

    it('releases a message stuck in retries when the group rebalances, so a new member joins at once', async () => {
      const topic = topicName('rebalance');
      const groupId = group('rebalance');
      const bus = newBus();
      await bus.publish(topic, [testMessage('k', 'stuck')]);
      let joined = false;
      const a = recorder((m) => {
        if (decode(m) === 'stuck' && !joined) throw new Error('dependency down');
      });
      await bus.subscribe({ topic, groupId, handler: a.handler, retry: { maxAttempts: 1000, initialBackoffMs: 200, maxBackoffMs: 200 } });
      await eventually(() => expect(a.got.length).toBeGreaterThanOrEqual(2));
      const joining = performance.now();
      const b = recorder();
      // Without the release, the rebalance would wait for the first member's 1000 attempts,
      // up to the 60 s rebalance timeout.
      await bus.subscribe({ topic, groupId, handler: b.handler });
      joined = true;
      expect(performance.now() - joining).toBeLessThan(5_000);
      const attempts = (): string[] => [...a.got, ...b.got].map((m) => `${decode(m)}#${m.attempt}`);
      // Its owner after the rebalance starts over at attempt 1: it was left uncommitted.
      await eventually(() => expect(attempts().filter((x) => x === 'stuck#1')).toHaveLength(2), 10_000);
      expect(lines.filter((l) => l.msg === 'message dead-lettered')).toEqual([]);
    });

    it('dead-letters a record without CloudEvents headers, as it came and with the reason, while the rest flows', async () => {
      const topic = topicName('raw');
      const groupId = group('raw');
      const bus = newBus();
      const consumer = recorder();
      await bus.subscribe({ topic, groupId, handler: consumer.handler });
      await bus.publish(topic, [testMessage('k', 'm1')]);
      await rawProducer.send({ topic, messages: [{ key: 'k', value: Buffer.from([0xde, 0xad]), headers: { origin: 'legacy-system' } }] });
      await bus.publish(topic, [testMessage('k', 'm3')]);
      await eventually(() => expect(consumer.got.map(decode)).toEqual(['m1', 'm3']), 10_000);

      const [dead] = await readRaw(`${topic}.dlq`, 1);
      const headers = Object.fromEntries(Object.entries(dead!.headers ?? {}).map(([k, v]) => [k, String(v)]));
      expect(dead!.key?.toString()).toBe('k');
      expect([...dead!.value!]).toEqual([0xde, 0xad]);
      expect(headers).toMatchObject({
        origin: 'legacy-system',
        [DLQ_HEADERS.consumer]: groupId,
        [DLQ_HEADERS.attempts]: '1',
        [DLQ_HEADERS.originalTopic]: topic,
        [DLQ_HEADERS.originalOffset]: '1',
      });
      expect(headers[DLQ_HEADERS.reason]).toMatch(/^InvalidMessageError: .*ce_specversion must be "1\.0", got none.*ce_id must be a non-empty string/);
      const counted = (await deadLetters(registry).get()).values.find((v) => v.labels.topic === topic);
      expect(counted?.value).toBe(1);
      const logged = lines.filter((l) => l.msg === 'message dead-lettered');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 'error', topic, consumer: groupId, offset: '1', reason: headers[DLQ_HEADERS.reason] });
    });

    it('keeps per-key order across the 3 partitions, which are processed concurrently', async () => {
      const topic = topicName('order');
      const bus = newBus();
      let inFlight = 0;
      let maxInFlight = 0;
      const consumer = recorder(async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(2);
        inFlight -= 1;
      });
      await bus.subscribe({ topic, groupId: group('order'), handler: consumer.handler });
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(metadata!.partitions).toHaveLength(3);
      const keys = Array.from({ length: 12 }, (_, i) => `patient-${i}`);
      const perKey = 20;
      // Three publishers at once, each interleaving its keys message by message.
      await Promise.all(
        [0, 1, 2].map(async (p) => {
          const mine = keys.filter((_, i) => i % 3 === p);
          for (let i = 0; i < perKey; i++)
            await bus.publish(
              topic,
              mine.map((key) => testMessage(key, `${key}:${i}`)),
            );
        }),
      );
      await eventually(() => expect(consumer.got).toHaveLength(keys.length * perKey), 15_000);
      for (const key of keys) {
        const mine = consumer.got.filter((m) => m.key === key);
        expect(mine.map(decode)).toEqual(Array.from({ length: perKey }, (_, i) => `${key}:${i}`));
        expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      }
      expect(new Set(consumer.got.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
      // Offsets count per partition: a position is the pair.
      expect(new Set(consumer.got.map((m) => `${m.partition}/${m.offset}`)).size).toBe(consumer.got.length);
      expect(maxInFlight).toBeGreaterThan(1);
    });

    it('keeps the membership through retries longer than the session timeout', async () => {
      const topic = topicName('heartbeat');
      const groupId = group('heartbeat');
      const bus = newBus();
      const consumer = recorder((m) => {
        if (decode(m) === 'slow' && m.attempt < 3) throw new Error(`dependency down (${m.attempt})`);
      });
      // 2 × 4 s of backoff in place: past the 6 s session unless heartbeats keep flowing.
      await bus.subscribe({ topic, groupId, handler: consumer.handler, retry: { maxAttempts: 3, initialBackoffMs: 4_000, maxBackoffMs: 4_000 } });
      await bus.publish(topic, [testMessage('k', 'slow'), testMessage('k', 'next')]);
      await eventually(() => expect(consumer.got.map((m) => `${decode(m)}#${m.attempt}`)).toEqual(['slow#1', 'slow#2', 'slow#3', 'next#1']), 15_000);
      await sleep(500);
      expect(consumer.got).toHaveLength(4);
      expect(lines.filter((l) => l.msg === 'joined the consumer group' && l.consumer === groupId)).toHaveLength(1);
    });

    it('reports the consumer lag of the partitions it owns', async () => {
      const topic = topicName('lag');
      const groupId = group('lag');
      const bus = newBus();
      await bus.publish(
        topic,
        ['m1', 'm2', 'm3', 'm4', 'm5'].map((b) => testMessage('k', b)),
      );
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const consumer = recorder(async (m) => {
        if (decode(m) === 'm1') await gate;
      });
      const lag = async (): Promise<number | undefined> =>
        (await consumerLag(registry).get()).values.find((v) => v.labels.topic === topic && v.labels.consumer === groupId)?.value;
      const sub = await bus.subscribe({ topic, groupId, handler: consumer.handler });
      await eventually(() => expect(consumer.got.map(decode)).toEqual(['m1']));
      expect(await lag()).toBe(5);
      open();
      await eventually(async () => expect(await lag()).toBe(0));
      expect(consumer.got).toHaveLength(5);
      await sub.stop();
      expect(await lag()).toBeUndefined();
    });

    it('carries the trace from the publisher to the handler, and keeps a trace context the message already has', async () => {
      const tracing = startTracing({ serviceName: 'kafka-bus-spec', env: {} });
      try {
        const topic = topicName('trace');
        const bus = newBus();
        const logger = capturingLogger();
        const seen: { body: string; traceId: string | undefined }[] = [];
        await bus.subscribe({
          topic,
          groupId: group('trace'),
          handler: async (m) => {
            seen.push({ body: decode(m), traceId: trace.getActiveSpan()?.spanContext().traceId });
            logger.info({ body: decode(m) }, 'handled in the consumer');
          },
        });
        const fromCommand = testMessage('centre-1', 'from-command');
        expect(fromCommand.headers.traceparent).toBeUndefined();
        const relayedTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
        const relayed = testMessage('centre-1', 'relayed', { traceparent: `00-${relayedTraceId}-00f067aa0ba902b7-01` });
        const commandTraceId = await trace.getTracer('kafka-bus-spec').startActiveSpan('RegisterCentre', async (span) => {
          await bus.publish(topic, [fromCommand, relayed]);
          span.end();
          return span.spanContext().traceId;
        });
        await eventually(() => expect(seen).toHaveLength(2), 10_000);
        expect(seen).toEqual([
          { body: 'from-command', traceId: commandTraceId },
          { body: 'relayed', traceId: relayedTraceId },
        ]);
        const handledLine = lines.find((l) => l.msg === 'handled in the consumer' && l.body === 'from-command');
        expect(handledLine).toMatchObject({ trace_id: commandTraceId });
      } finally {
        await tracing.shutdown();
      }
    });

    it('with topic creation off, works on provisioned topics and creates none', async () => {
      const provisioned = topicName('provisioned');
      await admin.createTopics({ topics: [{ topic: provisioned, numPartitions: 1 }] });
      const bus = newBus({ createTopics: false });
      const consumer = recorder();
      await bus.subscribe({ topic: provisioned, groupId: group('provisioned'), handler: consumer.handler });
      await bus.publish(provisioned, [testMessage('k', 'm1')]);
      await eventually(() => expect(consumer.got.map(decode)).toEqual(['m1']));
      // With creation on, subscribe would have created the dead-letter topic up front.
      expect(await admin.listTopics()).not.toContain(`${provisioned}.dlq`);
    });

    it('publishes records that kcat reads, key and ce_type header included', async () => {
      const topic = topicName('kcat');
      const bus = newBus();
      await bus.publish(topic, [testMessage('centre-750000001', 'for kcat')]);
      const { stdout } = await promisify(execFile)('kcat', ['-b', brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-c', '1', '-e', '-f', '%k %h\n'], {
        timeout: 20_000,
      });
      const [key, headers] = stdout.trim().split(' ');
      expect(key).toBe('centre-750000001');
      expect(headers!.split(',')).toEqual(
        expect.arrayContaining(['ce_specversion=1.0', 'ce_type=pcn.test.v1.Tested', 'ce_source=/pcn/test', 'content-type=application/protobuf']),
      );
    });
  });
});
