import { setTimeout as sleep } from 'node:timers/promises';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { deadLetters, messagesConsumed, type Logger, type Registry } from '@pcn/observability';
import { backoffDelay, type MessageHandler, type RetryPolicy } from '../bus';
import { UnprocessableMessageError } from '../errors';
import type { IntegrationMessage, ReceivedMessage } from '../message';
import { describeError, toDeadLetterMessage } from './dead-letter';

const tracer = trace.getTracer('@pcn/messaging');

export interface DeliveryOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly handler: MessageHandler;
  readonly retry: RetryPolicy;
  readonly deadLetterTopic: string;
  /** `messaging.system` of the spans: `kafka`, `pcn_sql`, `pcn_memory`. */
  readonly system: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Aborted by `Subscription.stop()`: cuts backoff waits short. */
  readonly signal: AbortSignal;
  publishDeadLetter(topic: string, message: IntegrationMessage): Promise<void>;
}

/**
 * `handled` and `dead-lettered`: the group may move past the message.
 * `abandoned`: the subscription stopped first; the message must come again.
 */
export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'abandoned';

/**
 * Runs one message through its handler with retries, and dead-letters it when they are
 * exhausted. Shared by every adapter so the failure semantics are identical. The whole
 * delivery is one CONSUMER span whose parent is the trace context in the message headers, so
 * the handler's log lines and spans continue the trace of the command that caused the event.
 */
export async function deliver(message: Omit<ReceivedMessage, 'attempt'>, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const parent = propagation.extract(ROOT_CONTEXT, message.headers);
  return tracer.startActiveSpan(
    `process ${options.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': options.system,
        'messaging.operation.type': 'process',
        'messaging.destination.name': options.topic,
        'messaging.consumer.group.name': options.groupId,
        'messaging.message.id': message.id,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': message.offset,
        'cloudevents.event_type': message.type,
      },
    },
    parent,
    async (span) => {
      try {
        return await attempts(message, options, span);
      } finally {
        span.end();
      }
    },
  );
}

async function attempts(message: Omit<ReceivedMessage, 'attempt'>, options: DeliveryOptions, span: Span): Promise<DeliveryOutcome> {
  const log = options.logger.child({ topic: options.topic, consumer: options.groupId, message_id: message.id, offset: message.offset });
  let attempt = 0;
  let lastError: unknown;
  while (attempt < options.retry.maxAttempts) {
    attempt += 1;
    try {
      await options.handler({ ...message, attempt });
      messagesConsumed(options.registry).inc({ topic: options.topic, consumer: options.groupId });
      span.setStatus({ code: SpanStatusCode.OK });
      return 'handled';
    } catch (error) {
      lastError = error;
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      if (error instanceof UnprocessableMessageError) break;
      // Stopping: leave the message unacknowledged rather than retry or dead-letter it.
      if (options.signal.aborted) return abandon(span, log, attempt, error);
      if (attempt >= options.retry.maxAttempts) break;
      const delayMs = backoffDelay(options.retry, attempt);
      log.warn({ err: error, attempt, max_attempts: options.retry.maxAttempts, retry_in_ms: delayMs }, 'message handler failed, retrying');
      if (!(await abortableDelay(delayMs, options.signal))) return abandon(span, log, attempt, error);
    }
  }
  return deadLetter(message, attempt, lastError, options, span, log);
}

async function deadLetter(
  message: Omit<ReceivedMessage, 'attempt'>,
  attempts: number,
  error: unknown,
  options: DeliveryOptions,
  span: Span,
  log: Logger,
): Promise<DeliveryOutcome> {
  const dlq = toDeadLetterMessage({ ...message, attempt: attempts }, { consumer: options.groupId, attempts, error });
  // Moving on without the dead letter stored would lose the message: retry the publication
  // until it succeeds or the subscription stops (then the message is redelivered).
  for (let failures = 0; ; failures++) {
    try {
      await options.publishDeadLetter(options.deadLetterTopic, dlq);
      break;
    } catch (publishError) {
      const delayMs = backoffDelay(options.retry, failures + 1);
      log.error({ err: publishError, dead_letter_topic: options.deadLetterTopic, retry_in_ms: delayMs }, 'dead-letter publication failed');
      if (!(await abortableDelay(delayMs, options.signal))) return abandon(span, log, attempts, publishError);
    }
  }
  deadLetters(options.registry).inc({ topic: options.topic, consumer: options.groupId });
  const reason = describeError(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  log.error(
    { err: error, message_type: message.type, key: message.key, attempts, reason, dead_letter_topic: options.deadLetterTopic },
    'message dead-lettered',
  );
  return 'dead-lettered';
}

function abandon(span: Span, log: Logger, attempt: number, error: unknown): DeliveryOutcome {
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'subscription stopped before the message was acknowledged' });
  log.info({ err: error, attempt }, 'subscription stopped; message left unacknowledged for redelivery');
  return 'abandoned';
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export async function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}
