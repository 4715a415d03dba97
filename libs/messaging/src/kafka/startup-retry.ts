import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@pcn/observability';
import { MessagingError } from '../errors';

/**
 * How long the bus keeps trying while the brokers answer "not yet" at start-up: a topic just
 * created whose partitions have no leader yet, a group coordinator being elected or loading.
 */
export interface StartupRetryPolicy {
  /** Tries again until this much time has passed since the first attempt. */
  readonly timeoutMs: number;
  /** Wait after the first failure, doubled after each further one up to `maxBackoffMs`. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_STARTUP_RETRY: StartupRetryPolicy = { timeoutMs: 30_000, initialBackoffMs: 100, maxBackoffMs: 2_000 };

/**
 * The brokers kept answering with transient errors until the start-up retry policy ran out.
 * `cause` is the last broker error; nothing was published or consumed by the operation.
 */
export class KafkaNotReadyError extends MessagingError {
  readonly code = 'KAFKA_NOT_READY';
  constructor(
    readonly operation: string,
    readonly topic: string,
    readonly attempts: number,
    readonly elapsedMs: number,
    options: ErrorOptions,
  ) {
    super(
      `Kafka was still not ready to ${operation} on topic ${topic} after ${attempts} attempts over ${elapsedMs} ms: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`,
      options,
    );
  }
}

/** A topic's metadata does not show a leader for each partition yet: publishing or joining would fail. */
export class TopicLeadersPendingError extends MessagingError {
  readonly code = 'TOPIC_LEADERS_PENDING';
  constructor(
    readonly topic: string,
    /** Partitions the metadata lists without a leader (all of them when `known` is 0). */
    readonly leaderless: readonly number[],
    /** Partitions the metadata lists. */
    readonly known: number,
  ) {
    super(
      known === 0
        ? `topic ${topic} has no partition in the cluster metadata yet`
        : `topic ${topic} has no leader yet for partition(s) ${leaderless.join(', ')} of ${known}`,
    );
  }
}

/** kafkajs errors that say cluster metadata is not loaded yet, without a protocol error code. */
const TRANSIENT_CLIENT_ERRORS: readonly string[] = ['KafkaJSMetadataNotLoaded', 'KafkaJSTopicMetadataNotLoaded', 'KafkaJSStaleTopicMetadataAssignment'];

/**
 * A broker answer meaning "not yet" (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE,
 * NOT_COORDINATOR_FOR_GROUP, GROUP_COORDINATOR_NOT_AVAILABLE, GROUP_LOAD_IN_PROGRESS...): a
 * kafkajs protocol error flagged `retriable`, possibly wrapped (retries exceeded, an aggregate
 * whose errors all are). Connection failures are not: kafkajs already retries them, and a
 * broker nobody reaches must fail start-up rather than hold it for the whole retry window.
 */
export function isTransientKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  if (error instanceof TopicLeadersPendingError) return true;
  const e = error as { name?: unknown; type?: unknown; retriable?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && typeof e.retriable === 'boolean') return e.retriable;
  if (typeof e.name === 'string' && TRANSIENT_CLIENT_ERRORS.includes(e.name)) return true;
  if (Array.isArray(e.errors)) return e.errors.length > 0 && e.errors.every((inner) => isTransientKafkaError(inner, depth + 1));
  return e.cause !== undefined && isTransientKafkaError(e.cause, depth + 1);
}

/** The wait after `failures` failed attempts (1 for the first). */
export function startupBackoff(policy: StartupRetryPolicy, failures: number): number {
  return Math.min(policy.initialBackoffMs * 2 ** (failures - 1), policy.maxBackoffMs);
}

export interface StartupStep<T> {
  /** What is being done, for logs and errors: `create topic`, `subscribe`... */
  readonly operation: string;
  readonly topic: string;
  readonly policy: StartupRetryPolicy;
  readonly logger: Logger;
  /** Aborted when the bus closes: no further attempt is made. */
  readonly signal?: AbortSignal;
  run(): Promise<T>;
}

/**
 * Runs a start-up step, trying it again after transient broker errors with exponential
 * backoff until `policy.timeoutMs`, then throws `KafkaNotReadyError`. Any other error is
 * thrown at once, as it came. Each step must be safe to repeat (creating a topic that exists,
 * subscribing twice, connecting a connected client are).
 */
export async function retryWhileNotReady<T>(step: StartupStep<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await step.run();
    } catch (error) {
      if (!isTransientKafkaError(error) || step.signal?.aborted) throw error;
      const elapsedMs = Date.now() - started;
      const delayMs = Math.min(startupBackoff(step.policy, attempt), Math.max(0, step.policy.timeoutMs - elapsedMs));
      if (elapsedMs >= step.policy.timeoutMs) throw new KafkaNotReadyError(step.operation, step.topic, attempt, elapsedMs, { cause: error });
      step.logger.warn(
        { err: error, operation: step.operation, topic: step.topic, attempt, retry_in_ms: delayMs, elapsed_ms: elapsedMs },
        'Kafka not ready yet; trying again',
      );
      try {
        await sleep(delayMs, undefined, step.signal ? { signal: step.signal } : undefined);
      } catch {
        // Aborted while waiting: the last broker error says why the step did not complete.
        throw error;
      }
    }
  }
}
