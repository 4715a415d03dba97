import { Kafka, Partitioners, type Admin, type Message, type Producer } from 'kafkajs';
import { consumerLag } from '@pcn/observability';
import type { MessageBus, SubscribeOptions, Subscription } from '../bus';
import { toKafkaMessage } from '../cloudevents-kafka';
import { BusClosedError, BusStorageError, MessagingError } from '../errors';
import { assertTopicName, assertValidMessage, type IntegrationMessage } from '../message';
import { KafkaSubscription } from './kafka-subscription';
import { kafkajsLogCreator, kafkajsLogLevel } from './kafkajs-logger';
import { resolveKafkaBusOptions, resolveSubscription, type KafkaBusOptions, type ResolvedKafkaBusOptions } from './options';
import { withActiveTraceContext } from './records';
import { retryWhileNotReady } from './startup-retry';
import { ensureTopicReady } from './topic-readiness';

/**
 * The MessageBus on Apache Kafka (kafkajs), the production adapter; it passes `busContract`.
 *
 * Publishing: an idempotent producer with one request in flight per connection and acks from
 * every in-sync replica, so retries neither duplicate nor reorder a partition, and `publish`
 * resolves once the brokers have the messages. Records follow the CloudEvents binary binding,
 * keyed by aggregate id (same key, same partition, same order). Topics are created on first
 * use with `topicPartitions` partitions (unless `createTopics` is off), and used once every
 * partition has a leader.
 *
 * Start-up (connect, topic creation, subscribe, group join) is tried again while the brokers
 * answer transient errors (UNKNOWN_TOPIC_OR_PARTITION, NOT_COORDINATOR...), within
 * `startupRetry`; then `KafkaNotReadyError`. Other errors fail at once.
 *
 * Consuming: one kafkajs consumer (group member) per subscription; see `KafkaSubscription`.
 * `pcn_consumer_lag_messages{topic,consumer}` is the lag of the partitions this process owns,
 * so summing over instances gives the group's lag.
 *
 * No Kafka transactions (still experimental in kafkajs): at-least-once plus idempotent
 * consumers, as everywhere in the system.
 */
export class KafkaBus implements MessageBus {
  private readonly config: ResolvedKafkaBusOptions;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connecting: Promise<void> | undefined;
  /** Topics known to exist, or being created; a failed creation is forgotten and tried again. */
  private readonly topics = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private closed = false;
  /** Aborted by close(): start-up retries stop waiting. */
  private readonly closeSignal = new AbortController();
  private closing: Promise<void> | undefined;

  constructor(options: KafkaBusOptions) {
    this.config = resolveKafkaBusOptions(options);
    const c = this.config;
    this.kafka = new Kafka({
      clientId: c.clientId,
      brokers: [...c.brokers],
      connectionTimeout: c.connectionTimeoutMs,
      requestTimeout: c.requestTimeoutMs,
      logLevel: kafkajsLogLevel(c.kafkaLogLevel),
      logCreator: kafkajsLogCreator(c.logger),
      ...(c.ssl !== undefined ? { ssl: c.ssl } : {}),
      ...(c.sasl !== undefined ? { sasl: c.sasl } : {}),
      ...(c.socketFactory !== undefined ? { socketFactory: c.socketFactory } : {}),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 like the Java client: a key lands on the same partition whoever produces it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = this.kafka.admin();
  }

  /**
   * Connects the producer and the admin client. Optional: publish and subscribe connect on
   * first use; a composition root calls it to fail fast when the brokers are unreachable.
   */
  async connect(): Promise<void> {
    if (this.closed) throw new BusClosedError('connect');
    try {
      await this.connected();
    } catch (error) {
      if (error instanceof MessagingError) throw error;
      throw new BusStorageError('connect', '(all topics)', { cause: error });
    }
  }

  async publish(topic: string, messages: readonly IntegrationMessage[]): Promise<void> {
    if (this.closed) throw new BusClosedError('publish');
    assertTopicName(topic);
    for (const message of messages) assertValidMessage(message);
    if (messages.length === 0) return;
    await this.send(
      'publish',
      topic,
      messages.map((m) => toKafkaMessage(withActiveTraceContext(m))),
    );
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new BusClosedError('subscribe');
    const resolved = resolveSubscription(options);
    try {
      await this.connected();
      // The dead-letter topic too: its readers can subscribe before the first dead letter.
      await Promise.all([this.ensureTopic(resolved.topic), this.ensureTopic(resolved.deadLetterTopic)]);
    } catch (error) {
      if (error instanceof MessagingError) throw error;
      throw new BusStorageError('subscribe', resolved.topic, { cause: error });
    }
    const subscription = new KafkaSubscription({
      kafka: this.kafka,
      config: this.config,
      subscription: resolved,
      // Dead letters are sent even while the bus closes: subscriptions stop before the producer.
      publishDeadLetter: (topic, message) => this.send('dead-letter', topic, [toKafkaMessage(message)]),
      publishRawDeadLetter: (topic, record) => this.send('dead-letter', topic, [record]),
      onLagChange: (s) => this.reportLag(s.topic, s.groupId),
      onStopped: (s) => {
        this.subscriptions.delete(s);
        this.reportLag(s.topic, s.groupId);
      },
    });
    this.subscriptions.add(subscription);
    await subscription.start();
    if (this.closed) {
      // close() ran while the member was joining: it may have missed this subscription.
      await subscription.stop();
      throw new BusClosedError('subscribe');
    }
    return subscription;
  }

  close(): Promise<void> {
    this.closed = true;
    this.closeSignal.abort();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const failures: unknown[] = [];
    const collect = (results: PromiseSettledResult<unknown>[]): void => {
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    };
    collect(await Promise.allSettled([...this.subscriptions].map((s) => s.stop())));
    // A connection being opened would outlive a disconnect issued before it completes.
    await this.connecting?.catch(() => undefined);
    collect(await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]));
    if (failures.length > 0) {
      for (const failure of failures) this.config.logger.error({ err: failure }, 'closing the Kafka bus failed');
      throw new BusStorageError('close', '(all topics)', {
        cause: failures.length === 1 ? failures[0] : new AggregateError(failures, 'several disconnections failed'),
      });
    }
  }

  private connected(): Promise<void> {
    if (!this.connecting) {
      const connecting = retryWhileNotReady({
        operation: 'connect',
        topic: '(all topics)',
        policy: this.config.startupRetry,
        logger: this.config.logger,
        signal: this.closeSignal.signal,
        // Connecting a connected client does nothing: only the one that failed is tried again.
        run: () => Promise.all([this.producer.connect(), this.admin.connect()]).then(() => undefined),
      });
      this.connecting = connecting;
      connecting.catch(() => {
        if (this.connecting === connecting) this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private ensureTopic(topic: string): Promise<void> {
    if (!this.config.createTopics) return Promise.resolve();
    let known = this.topics.get(topic);
    if (!known) {
      const creating = ensureTopicReady(this.admin, {
        topic,
        numPartitions: this.config.topicPartitions,
        replicationFactor: this.config.replicationFactor,
        requestTimeoutMs: this.config.requestTimeoutMs,
        policy: this.config.startupRetry,
        logger: this.config.logger,
        signal: this.closeSignal.signal,
      });
      this.topics.set(topic, creating);
      creating.catch(() => {
        if (this.topics.get(topic) === creating) this.topics.delete(topic);
      });
      known = creating;
    }
    return known;
  }

  /** Resolves once every in-sync replica has the records (acks -1). */
  private async send(operation: string, topic: string, records: Message[]): Promise<void> {
    try {
      await this.connected();
      await this.ensureTopic(topic);
      await this.producer.send({ topic, messages: records, acks: -1 });
    } catch (error) {
      if (error instanceof MessagingError) throw error;
      throw new BusStorageError(operation, topic, { cause: error });
    }
  }

  private reportLag(topic: string, groupId: string): void {
    const labels = { topic, consumer: groupId };
    const members = [...this.subscriptions].filter((s) => s.topic === topic && s.groupId === groupId);
    const gauge = consumerLag(this.config.registry);
    if (members.length === 0) {
      // No member here any more: another process owns the partitions and reports their lag.
      gauge.remove(labels);
      return;
    }
    let lag = 0;
    for (const member of members) for (const partitionLag of member.lags.values()) lag += partitionLag;
    gauge.set(labels, lag);
  }
}
