import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Message } from 'kafkajs';
import { deadLetters, type Logger } from '@pcn/observability';
import { backoffDelay, type Subscription } from '../bus';
import { fromKafkaHeaders } from '../cloudevents-kafka';
import { describeError } from '../consumer/dead-letter';
import { abortableDelay, deliver, type DeliveryOptions, type DeliveryOutcome } from '../consumer/delivery';
import { BusClosedError, BusStorageError } from '../errors';
import type { IntegrationMessage } from '../message';
import type { ResolvedKafkaBusOptions, ResolvedSubscription } from './options';
import { headerText, nextOffset, partitionLag, rawDeadLetterRecord } from './records';
import { isTransientKafkaError, KafkaNotReadyError, retryWhileNotReady } from './startup-retry';

const tracer = trace.getTracer('@pcn/messaging');

/**
 * Heartbeat errors meaning this member's generation is over: the group is rebalancing, or
 * the coordinator no longer knows the member. kafkajs rejoins once the batch in flight returns.
 */
const MEMBERSHIP_ERRORS: readonly string[] = [
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
  'FENCED_INSTANCE_ID',
];

export interface KafkaSubscriptionDeps {
  /** Only `consumer()` is used: unit tests give a fake one. */
  readonly kafka: Pick<Kafka, 'consumer'>;
  readonly config: ResolvedKafkaBusOptions;
  readonly subscription: ResolvedSubscription;
  publishDeadLetter(topic: string, message: IntegrationMessage): Promise<void>;
  publishRawDeadLetter(topic: string, record: Message): Promise<void>;
  /** The partitions this member owns, or their lag, changed. */
  onLagChange(subscription: KafkaSubscription): void;
  onStopped(subscription: KafkaSubscription): void;
}

/**
 * One member of a consumer group. Batches of a partition come in order (kafkajs never hands
 * one partition to two workers at once) and partitions run concurrently. Each message goes
 * through `deliver` (retries in place, dead letter); its offset is committed only once it is
 * handled or dead-lettered, so a message abandoned by `stop()` or a crash comes again.
 */
export class KafkaSubscription implements Subscription {
  readonly topic: string;
  readonly groupId: string;
  /** Lag per partition this member owns, from the high watermark of its last batch. */
  readonly lags = new Map<number, number>();
  private readonly consumer: Consumer;
  private readonly log: Logger;
  private readonly stopping = new AbortController();
  /** Aborted when a heartbeat learns the group is rebalancing: releases the message in flight. */
  private generation = new AbortController();
  private stopped: Promise<void> | undefined;
  private joinedOnce = false;
  /** When start() began; bounds the restarts of a member that has not joined yet. */
  private startedAt = Date.now();

  constructor(private readonly deps: KafkaSubscriptionDeps) {
    const { config, subscription } = deps;
    this.topic = subscription.topic;
    this.groupId = subscription.groupId;
    this.log = config.logger.child({ topic: this.topic, consumer: this.groupId });
    this.consumer = deps.kafka.consumer({
      groupId: subscription.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: config.heartbeatIntervalMs,
      rebalanceTimeout: config.rebalanceTimeoutMs,
      maxWaitTimeInMs: config.maxWaitTimeMs,
      // The bus creates its topics with the configured partitions; never the broker's default.
      allowAutoTopicCreation: false,
      // kafkajs asks only after a retriable crash (its retries exhausted, a join refused by a
      // coordinator being moved...), then restarts the member from scratch.
      // `retries: 5` is kafkajs's own default for consumers, kept.
      retry: { retries: 5, restartOnFailure: (error) => Promise.resolve(this.restartAfterCrash(error)) },
    });
  }

  /**
   * Once the member has joined, it always restarts (a broker restart, a rebalance gone
   * wrong): a subscription gives up only when stopped. Before that, start() is waiting:
   * transient broker errors restart it until `startupRetry.timeoutMs`, anything else fails it.
   */
  private restartAfterCrash(error: Error): boolean {
    if (this.stopping.signal.aborted) return false;
    if (this.joinedOnce) return true;
    return isTransientKafkaError(error) && Date.now() - this.startedAt < this.deps.config.startupRetry.timeoutMs;
  }

  /** Resolves once the member has joined the group and received its partitions. */
  async start(): Promise<void> {
    const consumer = this.consumer;
    const { startupRetry } = this.deps.config;
    this.startedAt = Date.now();
    let crashes = 0;
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        this.joinedOnce = true;
        if (this.generation.signal.aborted) this.generation = new AbortController();
        const owned = new Set(payload.memberAssignment[this.topic] ?? []);
        for (const partition of this.lags.keys()) if (!owned.has(partition)) this.lags.delete(partition);
        this.deps.onLagChange(this);
        this.log.info({ member_id: payload.memberId, partitions: [...owned], join_ms: payload.duration }, 'joined the consumer group');
        resolve();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!this.joinedOnce) {
          crashes++;
          const elapsedMs = Date.now() - this.startedAt;
          if (payload.restart) {
            this.log.warn(
              { err: payload.error, operation: 'join the consumer group', attempt: crashes, elapsed_ms: elapsedMs },
              'Kafka not ready yet; kafkajs restarts the member',
            );
            return;
          }
          if (!this.stopping.signal.aborted && isTransientKafkaError(payload.error)) {
            return reject(new KafkaNotReadyError('join the consumer group', this.topic, crashes, elapsedMs, { cause: payload.error }));
          }
          return reject(payload.error);
        }
        // kafkajs restarts the consumer after retriable failures; the others end delivery for good.
        if (payload.restart) this.log.error({ err: payload.error }, 'consumer crashed; kafkajs restarts it');
        else this.log.fatal({ err: payload.error }, 'consumer crashed and will not restart: the subscription no longer delivers');
      });
    });
    // stop() (the bus closing) while the member is still joining: no join event may ever come.
    const stopRequested = new Promise<never>((_, reject) =>
      this.stopping.signal.addEventListener('abort', () => reject(new BusClosedError('subscribe')), { once: true }),
    );
    // Either may reject before it is awaited below.
    joined.catch(() => undefined);
    stopRequested.catch(() => undefined);
    try {
      // The step logs the topic itself: a logger already bound to it would print it twice.
      const logger = this.deps.config.logger.child({ consumer: this.groupId });
      const step = { topic: this.topic, policy: startupRetry, logger, signal: this.stopping.signal };
      await retryWhileNotReady({ ...step, operation: 'connect the consumer', run: () => consumer.connect() });
      // Reads the topic's metadata: UNKNOWN_TOPIC_OR_PARTITION until this client's broker knows it.
      await retryWhileNotReady({ ...step, operation: 'subscribe', run: () => consumer.subscribe({ topics: [this.topic], fromBeginning: true }) });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.deps.config.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.eachBatch(payload),
      });
      await Promise.race([joined, stopRequested]);
    } catch (error) {
      // stop() cut a start-up retry short: the caller asked for it, the bus is closing.
      const closing = this.stopping.signal.aborted;
      this.stopping.abort();
      // Also cancels the restart kafkajs may have scheduled after a crash.
      await consumer.disconnect().catch((e: unknown) => this.log.warn({ err: e }, 'disconnecting a consumer that failed to start failed'));
      this.deps.onStopped(this);
      if (error instanceof BusClosedError || error instanceof KafkaNotReadyError) throw error;
      if (closing) throw new BusClosedError('subscribe');
      throw new BusStorageError('subscribe', this.topic, { cause: error });
    }
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping.abort();
      try {
        // Waits for the batch in flight (its message handled, dead-lettered or abandoned), then
        // leaves the group so the partitions move to the other members at once.
        await this.consumer.disconnect();
      } catch (error) {
        throw new BusStorageError('stop the subscription', this.topic, { cause: error });
      } finally {
        this.lags.clear();
        this.deps.onStopped(this);
      }
    })();
    return this.stopped;
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { partition, highWatermark } = batch;
    const signal = AbortSignal.any([this.stopping.signal, this.generation.signal]);
    for (const record of batch.messages) {
      if (signal.aborted || !isRunning() || isStale()) return;
      this.setLag(partition, partitionLag(highWatermark, record.offset));
      const outcome = await this.whileHeartbeating(heartbeat, () => this.process(record, partition, signal));
      // Not committed: the group reads it again (this member after a rebalance, or the next one).
      if (outcome === 'abandoned') return;
      const next = nextOffset(record.offset);
      try {
        // The payload's commit, not `consumer.commitOffsets`: the latter silently skips the
        // commit once `stop()` has begun, and the message finished during stop would come again.
        await commitOffsetsIfNecessary({ topics: [{ topic: this.topic, partitions: [{ partition, offset: next }] }] });
      } catch (error) {
        this.log.warn({ err: error, partition, offset: record.offset }, 'offset commit failed; the message will be delivered again');
        // kafkajs recognises rebalance errors and rejoins; it retries the others.
        throw error;
      }
      resolveOffset(record.offset);
      this.setLag(partition, partitionLag(highWatermark, next));
    }
  }

  /**
   * kafkajs heartbeats only between batches: a long handler or backoff would get the member
   * evicted after `sessionTimeout`, its partitions handed over while it still works on them.
   */
  private async whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    let beating = false;
    const timer = setInterval(() => {
      // A heartbeat stuck on a dead connection must not pile up others behind it.
      if (beating) return;
      beating = true;
      heartbeat()
        .catch((error: unknown) => this.onHeartbeatError(error))
        .finally(() => (beating = false));
    }, this.deps.config.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private onHeartbeatError(error: unknown): void {
    const type = (error as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && MEMBERSHIP_ERRORS.includes(type)) {
      if (!this.generation.signal.aborted) {
        this.log.warn({ err: error }, 'the group is rebalancing; releasing the message in flight so this member can rejoin');
        this.generation.abort();
      }
      return;
    }
    this.log.warn({ err: error }, 'heartbeat failed');
  }

  private async process(record: KafkaMessage, partition: number, signal: AbortSignal): Promise<DeliveryOutcome> {
    let envelope: IntegrationMessage;
    try {
      envelope = fromKafkaHeaders(record.headers, record.value, record.key);
    } catch (error) {
      return this.deadLetterUndecodable(record, partition, error, signal);
    }
    const { config, subscription } = this.deps;
    const options: DeliveryOptions = {
      topic: this.topic,
      groupId: this.groupId,
      handler: subscription.handler,
      retry: subscription.retry,
      deadLetterTopic: subscription.deadLetterTopic,
      system: 'kafka',
      logger: config.logger,
      registry: config.registry,
      signal,
      publishDeadLetter: (topic, message) => this.deps.publishDeadLetter(topic, message),
    };
    return deliver({ ...envelope, topic: this.topic, partition, offset: record.offset }, options);
  }

  /** A record that is not a CloudEvent can never be handled: dead-lettered at once, as it came. */
  private async deadLetterUndecodable(record: KafkaMessage, partition: number, error: unknown, signal: AbortSignal): Promise<DeliveryOutcome> {
    const { config, subscription } = this.deps;
    const parent = propagation.extract(ROOT_CONTEXT, headerText(record.headers));
    return tracer.startActiveSpan(
      `process ${this.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.topic,
          'messaging.consumer.group.name': this.groupId,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': record.offset,
        },
      },
      parent,
      async (span) => {
        const log = this.log.child({ partition, offset: record.offset });
        try {
          const reason = describeError(error);
          span.recordException(error instanceof Error ? error : new Error(reason));
          const dead = rawDeadLetterRecord(record, { topic: this.topic, partition, offset: record.offset, consumer: this.groupId, error });
          for (let failures = 1; ; failures++) {
            try {
              await this.deps.publishRawDeadLetter(subscription.deadLetterTopic, dead);
              break;
            } catch (publishError) {
              const delayMs = backoffDelay(subscription.retry, failures);
              log.error({ err: publishError, dead_letter_topic: subscription.deadLetterTopic, retry_in_ms: delayMs }, 'dead-letter publication failed');
              if (!(await abortableDelay(delayMs, signal))) {
                span.setStatus({ code: SpanStatusCode.ERROR, message: 'subscription stopped before the message was acknowledged' });
                log.info({ err: publishError }, 'subscription stopped; message left unacknowledged for redelivery');
                return 'abandoned';
              }
            }
          }
          deadLetters(config.registry).inc({ topic: this.topic, consumer: this.groupId });
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          log.error(
            { err: error, key: record.key?.toString('utf8') ?? null, attempts: 1, reason, dead_letter_topic: subscription.deadLetterTopic },
            'message dead-lettered',
          );
          return 'dead-lettered';
        } finally {
          span.end();
        }
      },
    );
  }

  private setLag(partition: number, lag: number): void {
    if (this.lags.get(partition) === lag) return;
    this.lags.set(partition, lag);
    this.deps.onLagChange(this);
  }
}
