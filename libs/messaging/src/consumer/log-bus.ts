import { consumerLag, type Logger, type Registry } from '@pcn/observability';
import { backoffDelay, deadLetterTopicFor, DEFAULT_RETRY, validRetry, type MessageBus, type SubscribeOptions, type Subscription } from '../bus';
import { BusClosedError, ConsumerGroupBusyError, InvalidSubscriptionError } from '../errors';
import { assertTopicName, assertValidMessage, type IntegrationMessage } from '../message';
import { abortableDelay, deliver } from './delivery';
import { WakeSignal } from './wake-signal';

const STOPPED = Symbol('stopped');

/** A message in a topic log, with its offset: 1, 2, 3... per topic, in publication order. */
export interface LoggedMessage extends IntegrationMessage {
  readonly offset: number;
}

/**
 * Storage behind the in-process buses: one append-only log per topic and the last offset
 * each consumer group has acknowledged.
 */
export interface MessageLog {
  append(topic: string, messages: readonly IntegrationMessage[]): Promise<void>;
  /** Messages after `afterOffset`, oldest first, and the topic's last offset (0 if empty). */
  read(topic: string, afterOffset: number, limit: number): Promise<{ messages: LoggedMessage[]; head: number }>;
  /** The last offset the group acknowledged on the topic; 0 for a new group (earliest). */
  committedOffset(groupId: string, topic: string): Promise<number>;
  /** Records the acknowledged offset; never moves a group backwards. */
  commit(groupId: string, topic: string, offset: number): Promise<void>;
}

export interface LogBusOptions {
  logger: Logger;
  /** Where `pcn_dead_letters_total`, `pcn_consumer_lag_messages`... are registered. */
  registry: Registry;
  /** How often an idle subscription looks for messages published by other processes. */
  pollIntervalMs?: number;
  /** Messages read per query. */
  batchSize?: number;
}

/**
 * A MessageBus over a MessageLog: each subscription is a loop that reads its topic after the
 * group's committed offset, delivers message by message (retries and dead letters in
 * `deliver`), commits each acknowledged offset, and sleeps on a wake-up signal or the poll
 * interval when caught up. One log per topic makes per-key order a consequence of total order.
 */
export abstract class LogBus implements MessageBus {
  private readonly signals = new Map<string, WakeSignal>();
  private readonly active = new Map<string, Subscription>();
  private closed = false;
  protected readonly pollIntervalMs: number;
  protected readonly batchSize: number;

  protected constructor(
    private readonly log: MessageLog,
    protected readonly options: LogBusOptions,
    private readonly system: string,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 200;
  }

  async publish(topic: string, messages: readonly IntegrationMessage[]): Promise<void> {
    if (this.closed) throw new BusClosedError('publish');
    assertTopicName(topic);
    for (const message of messages) assertValidMessage(message);
    if (messages.length === 0) return;
    await this.log.append(topic, messages);
    this.signals.get(topic)?.notify();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new BusClosedError('subscribe');
    const topic = assertTopicName(options.topic);
    const deadLetterTopic = assertTopicName(options.deadLetterTopic ?? deadLetterTopicFor(topic));
    if (deadLetterTopic === topic) throw new InvalidSubscriptionError('deadLetterTopic', 'must differ from the topic');
    if (typeof options.groupId !== 'string' || options.groupId.trim() === '') {
      throw new InvalidSubscriptionError('groupId', 'must be a non-empty string');
    }
    const retry = validRetry(options.retry ?? DEFAULT_RETRY);
    const slot = `${options.groupId}\u0000${topic}`;
    if (this.active.has(slot)) throw new ConsumerGroupBusyError(options.groupId, topic);

    const signal = this.signalFor(topic);
    const abort = new AbortController();
    const lag = consumerLag(this.options.registry).labels({ topic, consumer: options.groupId });
    const logger = this.options.logger;
    const log = this.log;
    const batchSize = this.batchSize;
    const pollIntervalMs = this.pollIntervalMs;
    const deliveryOptions = {
      topic,
      groupId: options.groupId,
      handler: options.handler,
      retry,
      deadLetterTopic,
      system: this.system,
      logger,
      registry: this.options.registry,
      signal: abort.signal,
      publishDeadLetter: (dlqTopic: string, message: IntegrationMessage) => this.publishInternal(dlqTopic, message),
    };

    // Storage failures (database restarting...) must not kill the subscription silently:
    // log each one and try again with the subscription's backoff until stopped.
    const withStorageRetry = async <T>(what: string, op: () => Promise<T>): Promise<{ value: T } | typeof STOPPED> => {
      for (let failures = 1; ; failures++) {
        try {
          return { value: await op() };
        } catch (error) {
          const delayMs = backoffDelay(retry, failures);
          logger.error({ err: error, topic, consumer: options.groupId, retry_in_ms: delayMs }, `bus storage failed while ${what}`);
          if (!(await abortableDelay(delayMs, abort.signal))) return STOPPED;
        }
      }
    };

    const loop = async (): Promise<void> => {
      const committed = await withStorageRetry('reading the committed offset', () => log.committedOffset(options.groupId, topic));
      if (committed === STOPPED) return;
      let position = committed.value;
      while (!abort.signal.aborted) {
        const seen = signal.generation;
        const read = await withStorageRetry('reading messages', () => log.read(topic, position, batchSize));
        if (read === STOPPED) return;
        const batch = read.value;
        lag.set(batch.head - position);
        if (batch.messages.length === 0) {
          await signal.wait(seen, pollIntervalMs, abort.signal);
          continue;
        }
        for (const message of batch.messages) {
          if (abort.signal.aborted) return;
          const { offset, ...envelope } = message;
          const outcome = await deliver({ ...envelope, topic, partition: 0, offset: String(offset) }, deliveryOptions);
          if (outcome === 'abandoned') return;
          const done = await withStorageRetry('committing the offset', () => log.commit(options.groupId, topic, offset));
          if (done === STOPPED) return;
          position = offset;
          lag.set(batch.head - position);
        }
      }
    };

    const running = loop();
    const subscription: Subscription = {
      topic,
      groupId: options.groupId,
      stop: async () => {
        abort.abort();
        try {
          await running;
        } finally {
          if (this.active.get(slot) === subscription) this.active.delete(slot);
        }
      },
    };
    this.active.set(slot, subscription);
    // A bug in the loop itself (not a handler or storage failure, both handled) is reported
    // at once and again by stop(), instead of an unhandled rejection.
    running.catch((error: unknown) => logger.fatal({ err: error, topic, consumer: options.groupId }, 'subscription loop crashed'));
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.active.values()].map((s) => s.stop()));
  }

  /** Dead letters are published even while closing, so a stopping consumer can finish one. */
  private async publishInternal(topic: string, message: IntegrationMessage): Promise<void> {
    await this.log.append(topic, [message]);
    this.signals.get(topic)?.notify();
  }

  private signalFor(topic: string): WakeSignal {
    let signal = this.signals.get(topic);
    if (!signal) {
      signal = new WakeSignal();
      this.signals.set(topic, signal);
    }
    return signal;
  }
}
