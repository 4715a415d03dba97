import { context, propagation } from '@opentelemetry/api';
import type { IHeaders, Message } from 'kafkajs';
import { DLQ_HEADERS, describeError } from '../consumer/dead-letter';
import type { IntegrationMessage } from '../message';

/** The offset a group commits once `offset` is done: Kafka commits the NEXT offset to read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** Messages of a partition not processed yet, once everything before `next` is. */
export function partitionLag(highWatermark: string, next: string): number {
  const lag = BigInt(highWatermark) - BigInt(next);
  return lag > 0n ? Number(lag) : 0;
}

/**
 * The message with the active trace context in its headers, unless it already carries one:
 * the relay publishes with the context stored alongside the event, which must win so the
 * consumer continues the trace of the original command rather than the relay's.
 */
export function withActiveTraceContext(message: IntegrationMessage): IntegrationMessage {
  if (message.headers.traceparent !== undefined) return message;
  const headers: Record<string, string> = { ...message.headers };
  propagation.inject(context.active(), headers);
  return Object.keys(headers).length === Object.keys(message.headers).length ? message : { ...message, headers };
}

/** Record headers as text (UTF-8), the last value of a repeated header winning. */
export function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) text[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return text;
}

export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

export interface RawDeadLetterCause {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly consumer: string;
  readonly error: unknown;
  readonly at?: Date;
}

/**
 * A record that is not a CloudEvent cannot become an IntegrationMessage, so it is
 * dead-lettered as it came (key, value and headers byte for byte) with the same `pcn_dlq_*`
 * headers as any dead letter: the evidence stays intact for whoever investigates.
 */
export function rawDeadLetterRecord(record: RawRecord, cause: RawDeadLetterCause): Message {
  const dlqNames: readonly string[] = Object.values(DLQ_HEADERS);
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    if (value !== undefined && !dlqNames.includes(name)) headers[name] = value;
  }
  Object.assign(headers, {
    [DLQ_HEADERS.reason]: describeError(cause.error),
    [DLQ_HEADERS.consumer]: cause.consumer,
    [DLQ_HEADERS.attempts]: '1',
    [DLQ_HEADERS.originalTopic]: cause.topic,
    [DLQ_HEADERS.originalPartition]: String(cause.partition),
    [DLQ_HEADERS.originalOffset]: cause.offset,
    [DLQ_HEADERS.at]: (cause.at ?? new Date()).toISOString(),
  });
  return { key: record.key, value: record.value, headers };
}
