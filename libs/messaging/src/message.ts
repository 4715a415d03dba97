import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { FieldViolation } from '@pcn/eventsourcing';
import { InvalidMessageError, InvalidTopicError } from './errors';

/**
 * An integration event on the bus: the CloudEvents 1.0 context attributes, the partition key
 * and the payload bytes (a protobuf message of `proto/pcn/events/v1`).
 */
export interface IntegrationMessage {
  /** CloudEvents `id` (`ce_id`): unique per source; what idempotent consumers record. */
  readonly id: string;
  /** CloudEvents `type` (`ce_type`), e.g. `pcn.events.v1.CentreRegistered` (the protobuf message of the payload). */
  readonly type: string;
  /** CloudEvents `source` (`ce_source`), e.g. `/pcn/registry`. */
  readonly source: string;
  /** CloudEvents `time` (`ce_time`), RFC 3339. */
  readonly time: string;
  /** CloudEvents `subject` (`ce_subject`): the aggregate id, when there is one. */
  readonly subject?: string;
  /** Partition key (the aggregate id): messages with one key are delivered in order. */
  readonly key: string;
  /** CloudEvents `datacontenttype` (`content-type` header), `application/protobuf`. */
  readonly contentType: string;
  readonly data: Uint8Array;
  /**
   * Other headers, carried verbatim: W3C `traceparent`/`tracestate`, `pcn_dlq_*`, and any
   * CloudEvents extension under its `ce_<name>` header.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/** A message as a handler receives it: where it sits in the log, and which attempt this is. */
export interface ReceivedMessage extends IntegrationMessage {
  readonly topic: string;
  /** Always 0 in-process; the Kafka partition otherwise. */
  readonly partition: number;
  /** Position in the partition, a decimal string as Kafka offsets are int64. */
  readonly offset: string;
  /** 1 on first delivery to this subscription, then 2, 3... while the handler fails. */
  readonly attempt: number;
}

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

/** Header names the CloudEvents binary binding reserves for the envelope attributes. */
export const RESERVED_HEADERS: readonly string[] = [
  'ce_specversion',
  'ce_id',
  'ce_type',
  'ce_source',
  'ce_time',
  'ce_subject',
  'ce_datacontenttype',
  'content-type',
];

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const HEADER_NAME = /^[A-Za-z0-9_.-]{1,249}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

export function messageViolations(msg: IntegrationMessage): FieldViolation[] {
  const v: FieldViolation[] = [];
  const text = (field: string, value: unknown): void => {
    if (typeof value !== 'string' || value.trim() === '') v.push({ field, description: 'must be a non-empty string' });
  };
  text('id', msg.id);
  text('type', msg.type);
  text('source', msg.source);
  text('key', msg.key);
  text('contentType', msg.contentType);
  if (msg.subject !== undefined) text('subject', msg.subject);
  if (typeof msg.time !== 'string' || !RFC3339.test(msg.time) || Number.isNaN(Date.parse(msg.time))) {
    v.push({ field: 'time', description: 'must be an RFC 3339 timestamp' });
  }
  if (!(msg.data instanceof Uint8Array)) v.push({ field: 'data', description: 'must be a Uint8Array' });
  if (typeof msg.headers !== 'object' || msg.headers === null) {
    v.push({ field: 'headers', description: 'must be an object of strings' });
  } else {
    for (const [name, value] of Object.entries(msg.headers)) {
      if (!HEADER_NAME.test(name)) v.push({ field: `headers.${name}`, description: 'name must match [A-Za-z0-9_.-]+' });
      else if (RESERVED_HEADERS.includes(name.toLowerCase())) {
        v.push({ field: `headers.${name}`, description: 'is reserved for a CloudEvents attribute' });
      }
      if (typeof value !== 'string') v.push({ field: `headers.${name}`, description: 'value must be a string' });
    }
  }
  return v;
}

export function assertValidMessage(msg: IntegrationMessage): void {
  const violations = messageViolations(msg);
  if (violations.length > 0) throw new InvalidMessageError(violations, typeof msg.id === 'string' ? msg.id : undefined);
}

export function assertTopicName(topic: string): string {
  if (typeof topic !== 'string' || !TOPIC.test(topic)) throw new InvalidTopicError(String(topic), 'use 1 to 249 of [A-Za-z0-9._-]');
  if (topic === '.' || topic === '..') throw new InvalidTopicError(topic, '"." and ".." are not topic names');
  return topic;
}

/** Only the envelope fields, copied: what a bus stores, whatever object it was handed. */
export function envelopeOf(msg: IntegrationMessage): IntegrationMessage {
  return {
    id: msg.id,
    type: msg.type,
    source: msg.source,
    time: msg.time,
    ...(msg.subject !== undefined ? { subject: msg.subject } : {}),
    key: msg.key,
    contentType: msg.contentType,
    data: new Uint8Array(msg.data),
    headers: { ...msg.headers },
  };
}

export interface NewIntegrationMessage {
  type: string;
  source: string;
  key: string;
  data: Uint8Array;
  subject?: string;
  id?: string;
  time?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Builds a message with a fresh id and the current time, and the active trace context in its
 * headers unless the caller already put one there (the relay passes the trace context stored
 * with the event, so the consumer continues the trace of the original command).
 */
export function newIntegrationMessage(input: NewIntegrationMessage): IntegrationMessage {
  const headers: Record<string, string> = { ...input.headers };
  if (headers.traceparent === undefined) propagation.inject(context.active(), headers);
  const msg: IntegrationMessage = {
    id: input.id ?? randomUUID(),
    type: input.type,
    source: input.source,
    time: input.time ?? new Date().toISOString(),
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    key: input.key,
    contentType: input.contentType ?? PROTOBUF_CONTENT_TYPE,
    data: input.data,
    headers,
  };
  assertValidMessage(msg);
  return msg;
}
