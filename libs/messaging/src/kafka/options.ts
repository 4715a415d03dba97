import type { ISocketFactory, KafkaConfig } from 'kafkajs';
import type { Logger, Registry } from '@pcn/observability';
import { deadLetterTopicFor, DEFAULT_RETRY, validRetry, type MessageHandler, type RetryPolicy, type SubscribeOptions } from '../bus';
import { InvalidSubscriptionError, MessagingError } from '../errors';
import { assertTopicName } from '../message';
import { DEFAULT_STARTUP_RETRY, type StartupRetryPolicy } from './startup-retry';

export const KAFKA_LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type KafkaLogLevel = (typeof KAFKA_LOG_LEVELS)[number];

export interface KafkaBusOptions {
  /** Bootstrap brokers, `host:port` each (`[::1]:9092` for IPv6). */
  brokers: readonly string[];
  /** Names this process in broker logs, metrics and quotas, e.g. `pcn-attribution`. */
  clientId: string;
  logger: Logger;
  /** Where `pcn_consumer_lag_messages`, `pcn_dead_letters_total`... are registered. */
  registry: Registry;
  /** Partitions of the topics the bus creates: the most members a group can spread over. 3 by default. */
  topicPartitions?: number;
  /** Replicas of the topics the bus creates: 1 (a single broker) by default, 3 in production. */
  replicationFactor?: number;
  /**
   * Creates missing topics on first use (default). Off where topics are provisioned by the
   * platform and clients may not create them: a missing topic then fails publish/subscribe.
   */
  createTopics?: boolean;
  /** TCP connect timeout per broker; 3000 ms by default. */
  connectionTimeoutMs?: number;
  /** Timeout of a broker request (produce, commit...); 30000 ms by default. */
  requestTimeoutMs?: number;
  /** A member not heard of for this long leaves its group; 30000 ms by default (the broker allows 6000 at least). */
  sessionTimeoutMs?: number;
  /** Heartbeats keep the membership alive, during handlers and backoffs too; 3000 ms by default. */
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin; 60000 ms by default. */
  rebalanceTimeoutMs?: number;
  /**
   * Longest wait of a fetch on an idle partition. `stop()` waits for the fetch in flight, so
   * this bounds shutdown latency; 1000 ms by default.
   */
  maxWaitTimeMs?: number;
  /** Partitions of one subscription handled at the same time (each in order); `topicPartitions` by default. */
  partitionsConsumedConcurrently?: number;
  /** kafkajs's own log lines below this level are dropped; `warn` by default. */
  kafkaLogLevel?: KafkaLogLevel;
  /**
   * Connecting, creating a topic, waiting for its partition leaders, subscribing and joining
   * a group are tried again while the brokers answer a transient error; for 30 s by default,
   * backing off from 100 ms to 2 s. See `retryWhileNotReady`.
   */
  startupRetry?: Partial<StartupRetryPolicy>;
  /** TLS to the brokers (production clusters). */
  ssl?: KafkaConfig['ssl'];
  /** SASL authentication (production clusters). */
  sasl?: KafkaConfig['sasl'];
  /** Opens the broker connections (proxies; tests cut them to simulate a crash). */
  socketFactory?: ISocketFactory;
}

export interface ResolvedKafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly topicPartitions: number;
  readonly replicationFactor: number;
  readonly createTopics: boolean;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxWaitTimeMs: number;
  readonly partitionsConsumedConcurrently: number;
  readonly kafkaLogLevel: KafkaLogLevel;
  readonly startupRetry: StartupRetryPolicy;
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
  readonly socketFactory?: ISocketFactory;
}

/** A KafkaBus option is missing or out of range; `field` names it. */
export class InvalidKafkaBusOptionsError extends MessagingError {
  readonly code = 'INVALID_KAFKA_BUS_OPTIONS';
  constructor(
    readonly field: string,
    readonly description: string,
  ) {
    super(`invalid KafkaBus option ${field}: ${description}`);
  }
}

const BROKER = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

/** Validates the options and fills the defaults; throws `InvalidKafkaBusOptionsError`. */
export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  const fail = (field: string, description: string): never => {
    throw new InvalidKafkaBusOptionsError(field, description);
  };
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) fail('brokers', 'must list at least one host:port');
  options.brokers.forEach((broker, i) => {
    const match = typeof broker === 'string' ? BROKER.exec(broker) : null;
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) fail(`brokers[${i}]`, `must be host:port with a port in 1..65535, got ${JSON.stringify(broker)}`);
  });
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') fail('clientId', 'must be a non-empty string');
  if (typeof options.logger !== 'object' || options.logger === null) fail('logger', 'is required');
  if (typeof options.registry !== 'object' || options.registry === null) fail('registry', 'is required');

  const int = (field: keyof KafkaBusOptions, fallback: number, min = 1): number => {
    const value = options[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(field, `must be an integer of at least ${min}, got ${String(value)}`);
    return value as number;
  };
  const topicPartitions = int('topicPartitions', 3);
  const retry = options.startupRetry ?? {};
  if (typeof retry !== 'object' || retry === null) fail('startupRetry', 'must be an object');
  const retryInt = (field: keyof StartupRetryPolicy, min: number): number => {
    const value = retry[field] ?? DEFAULT_STARTUP_RETRY[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      fail(`startupRetry.${field}`, `must be an integer of at least ${min}, got ${String(value)}`);
    return value;
  };
  const startupRetry: StartupRetryPolicy = {
    timeoutMs: retryInt('timeoutMs', 0),
    initialBackoffMs: retryInt('initialBackoffMs', 1),
    maxBackoffMs: retryInt('maxBackoffMs', 1),
  };
  if (startupRetry.maxBackoffMs < startupRetry.initialBackoffMs) {
    fail('startupRetry.maxBackoffMs', `must be at least initialBackoffMs (${startupRetry.initialBackoffMs}), got ${startupRetry.maxBackoffMs}`);
  }
  const resolved: ResolvedKafkaBusOptions = {
    brokers: [...options.brokers],
    clientId: options.clientId,
    logger: options.logger,
    registry: options.registry,
    topicPartitions,
    replicationFactor: int('replicationFactor', 1),
    createTopics: options.createTopics ?? true,
    connectionTimeoutMs: int('connectionTimeoutMs', 3_000),
    requestTimeoutMs: int('requestTimeoutMs', 30_000),
    sessionTimeoutMs: int('sessionTimeoutMs', 30_000),
    heartbeatIntervalMs: int('heartbeatIntervalMs', 3_000),
    rebalanceTimeoutMs: int('rebalanceTimeoutMs', 60_000),
    maxWaitTimeMs: int('maxWaitTimeMs', 1_000),
    partitionsConsumedConcurrently: int('partitionsConsumedConcurrently', topicPartitions),
    kafkaLogLevel: options.kafkaLogLevel ?? 'warn',
    startupRetry,
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
    ...(options.sasl !== undefined ? { sasl: options.sasl } : {}),
    ...(options.socketFactory !== undefined ? { socketFactory: options.socketFactory } : {}),
  };
  // A member must heartbeat several times per session, or one late beat evicts it.
  if (resolved.heartbeatIntervalMs * 3 > resolved.sessionTimeoutMs) {
    fail('heartbeatIntervalMs', `must be at most a third of sessionTimeoutMs (${resolved.sessionTimeoutMs}), got ${resolved.heartbeatIntervalMs}`);
  }
  if (!(KAFKA_LOG_LEVELS as readonly string[]).includes(resolved.kafkaLogLevel)) {
    fail('kafkaLogLevel', `must be one of ${KAFKA_LOG_LEVELS.join(' | ')}, got ${String(resolved.kafkaLogLevel)}`);
  }
  if (typeof resolved.createTopics !== 'boolean') fail('createTopics', `must be a boolean, got ${String(resolved.createTopics)}`);
  if (options.socketFactory !== undefined && typeof options.socketFactory !== 'function') fail('socketFactory', 'must be a function');
  return resolved;
}

export interface ResolvedSubscription {
  readonly topic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly retry: RetryPolicy;
  readonly handler: MessageHandler;
}

/** The same rules as the in-process buses: what subscribes there subscribes here. */
export function resolveSubscription(options: SubscribeOptions): ResolvedSubscription {
  const topic = assertTopicName(options.topic);
  const deadLetterTopic = assertTopicName(options.deadLetterTopic ?? deadLetterTopicFor(topic));
  if (deadLetterTopic === topic) throw new InvalidSubscriptionError('deadLetterTopic', 'must differ from the topic');
  if (typeof options.groupId !== 'string' || options.groupId.trim() === '') {
    throw new InvalidSubscriptionError('groupId', 'must be a non-empty string');
  }
  if (typeof options.handler !== 'function') throw new InvalidSubscriptionError('handler', 'must be a function');
  const retry = validRetry(options.retry ?? DEFAULT_RETRY);
  return { topic, groupId: options.groupId, deadLetterTopic, retry, handler: options.handler };
}
