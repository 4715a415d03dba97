import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, type Consumer, type ConsumerConfig } from 'kafkajs';
import { createLogger, Registry } from '@pcn/observability';
import { BusClosedError, BusStorageError } from '../errors';
import { protocolError } from '../testing/kafka-errors';
import { KafkaSubscription } from './kafka-subscription';
import { resolveKafkaBusOptions, resolveSubscription } from './options';
import { KafkaNotReadyError, type StartupRetryPolicy } from './startup-retry';

const TOPIC = 'pcn.registry.v1';

/** What the fake consumer answers: errors thrown by its first calls, then success. */
interface Script {
  connect?: Error[];
  subscribe?: Error[];
  /** Errors the group join crashes with, one per attempt; `forever` repeats the last one. */
  join?: Error[];
  forever?: boolean;
}

type Listener = (event: { payload: Record<string, unknown> }) => void;

/**
 * A kafkajs consumer without a broker. `run` joins like kafkajs's runner: a failed join is a
 * crash, restarted when the error is retriable and `retry.restartOnFailure` agrees, with the
 * CRASH event saying which; a successful one emits GROUP_JOIN.
 */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  readonly calls = { connect: 0, subscribe: 0, run: 0, join: 0, disconnect: 0 };
  readonly crashes: { error: Error; restart: boolean }[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly config: ConsumerConfig,
    private readonly script: Script,
  ) {}

  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  async connect(): Promise<void> {
    const error = this.script.connect?.[this.calls.connect++];
    if (error) throw error;
  }

  async subscribe(): Promise<void> {
    const error = this.script.subscribe?.[this.calls.subscribe++];
    if (error) throw error;
  }

  async run(): Promise<void> {
    this.calls.run++;
    await this.join();
  }

  async disconnect(): Promise<void> {
    this.calls.disconnect++;
    clearTimeout(this.restartTimer);
  }

  private async join(): Promise<void> {
    const errors = this.script.join ?? [];
    const attempt = this.calls.join++;
    const error = this.script.forever ? errors[Math.min(attempt, errors.length - 1)] : errors[attempt];
    if (!error) {
      this.emit('consumer.group_join', { memberId: 'member-1', memberAssignment: { [TOPIC]: [0, 1, 2] }, duration: 1 });
      return;
    }
    // As kafkajs's consumer onCrash: retriable errors ask restartOnFailure.
    const original = (e: Error): Error => (e.cause instanceof Error ? original(e.cause) : e);
    const retriable = error.name === 'KafkaJSNumberOfRetriesExceeded' || (original(error) as { retriable?: boolean }).retriable === true;
    const restart = retriable && (await (this.config.retry?.restartOnFailure?.(error) ?? Promise.resolve(true)));
    this.crashes.push({ error, restart });
    this.emit('consumer.crash', { error, groupId: this.config.groupId, restart });
    if (restart) this.restartTimer = setTimeout(() => void this.join(), 1);
  }

  private emit(event: string, payload: Record<string, unknown>): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
}

const fastRetry: Partial<StartupRetryPolicy> = { initialBackoffMs: 1, maxBackoffMs: 2 };

function subscriptionWith(
  script: Script,
  startupRetry: Partial<StartupRetryPolicy> = fastRetry,
): { subscription: KafkaSubscription; consumer: () => FakeConsumer; stopped: () => number; lines: Record<string, unknown>[] } {
  let consumer: FakeConsumer | undefined;
  let stopped = 0;
  const lines: Record<string, unknown>[] = [];
  const config = resolveKafkaBusOptions({
    brokers: ['127.0.0.1:1'],
    clientId: 'unit',
    logger: createLogger({
      service: 'unit',
      level: 'warn',
      destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
    }),
    registry: new Registry(),
    startupRetry,
  });
  const subscription = new KafkaSubscription({
    kafka: {
      consumer: (consumerConfig: ConsumerConfig) => {
        consumer = new FakeConsumer(consumerConfig, script);
        return consumer as unknown as Consumer;
      },
    },
    config,
    subscription: resolveSubscription({ topic: TOPIC, groupId: 'billing', handler: async () => undefined }),
    publishDeadLetter: async () => undefined,
    publishRawDeadLetter: async () => undefined,
    onLagChange: () => undefined,
    onStopped: () => void stopped++,
  });
  return { subscription, consumer: () => consumer as FakeConsumer, stopped: () => stopped, lines };
}

describe('KafkaSubscription start-up against a broker that is not ready yet', () => {
  it('connects, subscribes and joins again after transient errors, then has its partitions', async () => {
    const { subscription, consumer, lines } = subscriptionWith({
      connect: [protocolError('GROUP_COORDINATOR_NOT_AVAILABLE')],
      subscribe: [protocolError('UNKNOWN_TOPIC_OR_PARTITION'), protocolError('LEADER_NOT_AVAILABLE')],
      join: [protocolError('NOT_COORDINATOR_FOR_GROUP'), protocolError('NOT_COORDINATOR_FOR_GROUP'), protocolError('GROUP_COORDINATOR_NOT_AVAILABLE')],
    });
    await subscription.start();
    const fake = consumer();
    expect(fake.calls).toMatchObject({ connect: 2, subscribe: 3, run: 1, join: 4, disconnect: 0 });
    expect(fake.crashes.map((c) => c.restart)).toEqual([true, true, true]);
    const retries = lines.map((l) => [l.level, l.operation, l.attempt, l.topic, l.consumer, (l.err as { type?: string } | undefined)?.type]);
    expect(retries).toEqual([
      ['warn', 'connect the consumer', 1, TOPIC, 'billing', 'KafkaJSProtocolError'],
      ['warn', 'subscribe', 1, TOPIC, 'billing', 'KafkaJSProtocolError'],
      ['warn', 'subscribe', 2, TOPIC, 'billing', 'KafkaJSProtocolError'],
      ['warn', 'join the consumer group', 1, TOPIC, 'billing', 'KafkaJSProtocolError'],
      ['warn', 'join the consumer group', 2, TOPIC, 'billing', 'KafkaJSProtocolError'],
      ['warn', 'join the consumer group', 3, TOPIC, 'billing', 'KafkaJSProtocolError'],
    ]);
    await subscription.stop();
  });

  it('once joined, lets kafkajs restart the member after any retriable crash (a broker restart)', async () => {
    const { subscription, consumer } = subscriptionWith({});
    const connectionLost = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), { retryCount: 5, retryTime: 300 });
    const restartOnFailure = consumer().config.retry?.restartOnFailure;
    expect(restartOnFailure).toBeDefined();
    // Before joining, a broker nobody reaches fails start-up instead of being waited for.
    await expect(restartOnFailure?.(connectionLost)).resolves.toBe(false);
    await subscription.start();
    await expect(restartOnFailure?.(connectionLost)).resolves.toBe(true);
    await subscription.stop();
    await expect(restartOnFailure?.(connectionLost)).resolves.toBe(false);
  });

  it('fails at once, with the broker error as cause, when the group join is refused', async () => {
    const refused = protocolError('GROUP_AUTHORIZATION_FAILED');
    const { subscription, consumer, stopped } = subscriptionWith({ join: [refused] });
    const failure = await subscription.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BusStorageError);
    expect(failure).toMatchObject({ operation: 'subscribe', topic: TOPIC, cause: refused });
    expect(consumer().calls).toMatchObject({ join: 1, disconnect: 1 });
    expect(consumer().crashes).toEqual([{ error: refused, restart: false }]);
    expect(stopped()).toBe(1);
  });

  it('fails at once when subscribing is refused', async () => {
    const refused = protocolError('GROUP_AUTHORIZATION_FAILED');
    const { subscription, consumer } = subscriptionWith({ subscribe: [refused] });
    await expect(subscription.start()).rejects.toMatchObject({ code: 'BUS_STORAGE', cause: refused });
    expect(consumer().calls).toMatchObject({ subscribe: 1, run: 0, disconnect: 1 });
  });

  it('gives up with KafkaNotReadyError when the coordinator stays unavailable past the start-up window', async () => {
    const { subscription, consumer } = subscriptionWith({ join: [protocolError('NOT_COORDINATOR_FOR_GROUP')], forever: true }, { ...fastRetry, timeoutMs: 30 });
    const failure = await subscription.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KafkaNotReadyError);
    const crashes = consumer().crashes;
    expect(failure).toMatchObject({
      operation: 'join the consumer group',
      topic: TOPIC,
      attempts: crashes.length,
      cause: { type: 'NOT_COORDINATOR_FOR_GROUP' },
    });
    // kafkajs was told not to restart the last time, and the member left.
    expect(crashes.at(-1)?.restart).toBe(false);
    expect(consumer().calls.disconnect).toBe(1);
  });

  it('gives up with KafkaNotReadyError when subscribing keeps meeting an unknown topic', async () => {
    const { subscription, consumer } = subscriptionWith(
      { subscribe: Array.from({ length: 1_000 }, () => protocolError('UNKNOWN_TOPIC_OR_PARTITION')) },
      { ...fastRetry, timeoutMs: 30 },
    );
    await expect(subscription.start()).rejects.toMatchObject({
      code: 'KAFKA_NOT_READY',
      operation: 'subscribe',
      cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' },
    });
    expect(consumer().calls.run).toBe(0);
  });

  it('stopped while waiting for the coordinator: BusClosedError, and no restart left behind', async () => {
    const { subscription, consumer } = subscriptionWith({ join: [protocolError('NOT_COORDINATOR_FOR_GROUP')], forever: true });
    const starting = subscription.start().catch((e: unknown) => e);
    while (consumer().crashes.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    await subscription.stop();
    expect(await starting).toBeInstanceOf(BusClosedError);
    const joins = consumer().calls.join;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(consumer().calls.join).toBe(joins);
  });
});
