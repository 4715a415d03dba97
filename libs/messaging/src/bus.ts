import type { IntegrationMessage, ReceivedMessage } from './message';
import { InvalidSubscriptionError } from './errors';

export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

/** Exponential backoff between attempts: initial, 2×, 4×... capped at `maxBackoffMs`. */
export interface RetryPolicy {
  /** Handler runs in all, first one included, before the message is dead-lettered. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 10_000 };

/** Every adapter checks a subscription's retry policy the same way. */
export function validRetry(retry: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new InvalidSubscriptionError('retry.maxAttempts', 'must be an integer of at least 1');
  }
  if (!(retry.initialBackoffMs >= 0)) throw new InvalidSubscriptionError('retry.initialBackoffMs', 'must be zero or more');
  if (!(retry.maxBackoffMs >= retry.initialBackoffMs)) {
    throw new InvalidSubscriptionError('retry.maxBackoffMs', 'must be at least initialBackoffMs');
  }
  return retry;
}

export interface SubscribeOptions {
  topic: string;
  /** Consumer group: each group sees every message; its members share the partitions. */
  groupId: string;
  handler: MessageHandler;
  retry?: RetryPolicy;
  /** Where messages the handler gave up on go; `<topic>.dlq` by default. */
  deadLetterTopic?: string;
}

export interface Subscription {
  readonly topic: string;
  readonly groupId: string;
  /**
   * Stops delivery. Resolves once the handler in flight (if any) has returned; a message
   * whose handler did not succeed is not acknowledged and comes again to the group's next
   * subscription. Backoff waits are cut short.
   */
  stop(): Promise<void>;
}

/**
 * The bus port: Kafka in production, in-process adapters for tests and the embedded mode.
 * Every adapter passes `busContract` (src/testing).
 *
 * - Order: messages with the same key are delivered in publication order (one Kafka
 *   partition per key; one log per topic in-process).
 * - Groups: every group receives every message; a new group starts at the earliest message.
 *   Members of one group share the work (Kafka partitions). The in-process adapters run one
 *   member per group and topic and refuse a second one (`ConsumerGroupBusyError`).
 * - At least once: a group's position moves past a message only after its handler succeeded
 *   or the message was dead-lettered, so a crash redelivers it; consumers are idempotent
 *   (`idempotentHandler`).
 * - Failure: the handler is retried with backoff, in place (later messages of the partition
 *   wait, which keeps per-key order), up to `retry.maxAttempts`; then the ORIGINAL message
 *   goes to the dead-letter topic with `pcn_dlq_*` headers, one error line is logged, the
 *   `pcn_dead_letters_total` counter grows, and the consumer moves on.
 */
export interface MessageBus {
  /** Resolves once the messages are durably accepted (committed; acked by the brokers). */
  publish(topic: string, messages: readonly IntegrationMessage[]): Promise<void>;
  /** Resolves once the subscription is running. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Stops every subscription; publish and subscribe then fail with `BusClosedError`. */
  close(): Promise<void>;
}

export function deadLetterTopicFor(topic: string): string {
  return `${topic}.dlq`;
}

/** Wait after failed attempt `attempt` (1-based) before the next one. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.initialBackoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
}
