import type { FieldViolation } from '@pcn/eventsourcing';
import { InvalidMessageError } from '../errors';
import { envelopeOf, type IntegrationMessage, type ReceivedMessage } from '../message';

/** Headers added to a dead-lettered message; the envelope and payload stay the original's. */
export const DLQ_HEADERS = {
  reason: 'pcn_dlq_reason',
  consumer: 'pcn_dlq_consumer',
  attempts: 'pcn_dlq_attempts',
  originalTopic: 'pcn_dlq_original_topic',
  originalPartition: 'pcn_dlq_original_partition',
  originalOffset: 'pcn_dlq_original_offset',
  at: 'pcn_dlq_at',
} as const;

/** Long stack-free reasons are cut so a header stays well under broker limits. */
const MAX_REASON_LENGTH = 2000;

export interface DeadLetterCause {
  readonly consumer: string;
  readonly attempts: number;
  readonly error: unknown;
  readonly at?: Date;
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${String(error)}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

export function toDeadLetterMessage(msg: ReceivedMessage, cause: DeadLetterCause): IntegrationMessage {
  const original = envelopeOf(msg);
  return {
    ...original,
    headers: {
      ...original.headers,
      [DLQ_HEADERS.reason]: describeError(cause.error),
      [DLQ_HEADERS.consumer]: cause.consumer,
      [DLQ_HEADERS.attempts]: String(cause.attempts),
      [DLQ_HEADERS.originalTopic]: msg.topic,
      [DLQ_HEADERS.originalPartition]: String(msg.partition),
      [DLQ_HEADERS.originalOffset]: msg.offset,
      [DLQ_HEADERS.at]: (cause.at ?? new Date()).toISOString(),
    },
  };
}

/** A dead-lettered message as read back from a dead-letter topic. */
export interface DeadLetter {
  /** The original message, without the `pcn_dlq_*` headers. */
  readonly message: IntegrationMessage;
  readonly deadLetterTopic: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly consumer: string;
  readonly reason: string;
  readonly attempts: number;
  readonly deadLetteredAt: string;
}

export function parseDeadLetter(received: ReceivedMessage): DeadLetter {
  const dlqNames: readonly string[] = Object.values(DLQ_HEADERS);
  const headers = Object.fromEntries(Object.entries(received.headers).filter(([name]) => !dlqNames.includes(name)));
  const violations: FieldViolation[] = [];
  const take = (name: string): string => {
    const value = received.headers[name];
    if (value === undefined || value === '') violations.push({ field: `headers.${name}`, description: 'is missing' });
    return value ?? '';
  };
  const reason = take(DLQ_HEADERS.reason);
  const consumer = take(DLQ_HEADERS.consumer);
  const attempts = Number(take(DLQ_HEADERS.attempts));
  const originalTopic = take(DLQ_HEADERS.originalTopic);
  const originalPartition = Number(take(DLQ_HEADERS.originalPartition));
  const originalOffset = take(DLQ_HEADERS.originalOffset);
  const deadLetteredAt = take(DLQ_HEADERS.at);
  if (!Number.isInteger(attempts) || attempts < 1) violations.push({ field: `headers.${DLQ_HEADERS.attempts}`, description: 'must be a positive integer' });
  if (!Number.isInteger(originalPartition) || originalPartition < 0) {
    violations.push({ field: `headers.${DLQ_HEADERS.originalPartition}`, description: 'must be a non-negative integer' });
  }
  if (violations.length > 0) throw new InvalidMessageError(violations, received.id);
  return {
    message: { ...envelopeOf(received), headers },
    deadLetterTopic: received.topic,
    originalTopic,
    originalPartition,
    originalOffset,
    consumer,
    reason,
    attempts,
    deadLetteredAt,
  };
}
