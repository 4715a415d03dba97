import type { IHeaders, Message } from 'kafkajs';
import type { FieldViolation } from '@pcn/eventsourcing';
import { InvalidMessageError } from './errors';
import { assertValidMessage, messageViolations, RESERVED_HEADERS, type IntegrationMessage } from './message';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the payload is the record value
 * as is, `content-type` carries `datacontenttype`, every other attribute is a `ce_<name>`
 * header (UTF-8), and the record key is the partition key.
 *
 * Trace context travels as plain W3C `traceparent`/`tracestate` headers, which is what the
 * OpenTelemetry messaging instrumentations read and write, rather than as the CloudEvents
 * distributed-tracing extension.
 */
export const CE_SPEC_VERSION = '1.0';

export function toKafkaHeaders(msg: IntegrationMessage): Record<string, string> {
  assertValidMessage(msg);
  return {
    ce_specversion: CE_SPEC_VERSION,
    ce_id: msg.id,
    ce_type: msg.type,
    ce_source: msg.source,
    ce_time: msg.time,
    ...(msg.subject !== undefined ? { ce_subject: msg.subject } : {}),
    'content-type': msg.contentType,
    ...msg.headers,
  };
}

/** The whole kafkajs record for a message (key, value, headers). */
export function toKafkaMessage(msg: IntegrationMessage): Message & { key: string; value: Buffer; headers: Record<string, string> } {
  return {
    key: msg.key,
    value: Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength),
    headers: toKafkaHeaders(msg),
  };
}

/**
 * Reads a binary-mode record back. A record without a value (a tombstone) has empty data.
 * A repeated CloudEvents header is ambiguous and refused; for other headers the last wins.
 */
export function fromKafkaHeaders(
  headers: IHeaders | undefined,
  value: Buffer | Uint8Array | string | null,
  key: Buffer | string | null | undefined,
): IntegrationMessage {
  const violations: FieldViolation[] = [];
  const attributes = new Map<string, string>();
  const others: Record<string, string> = {};
  for (const [rawName, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const name = rawName.toLowerCase() === 'content-type' ? 'content-type' : rawName;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
    if (values.length === 0) continue;
    if (RESERVED_HEADERS.includes(name)) {
      if (values.length > 1) violations.push({ field: name, description: `appears ${values.length} times` });
      attributes.set(name, values[0]!);
    } else {
      others[rawName] = values[values.length - 1]!;
    }
  }
  const specversion = attributes.get('ce_specversion');
  if (specversion !== CE_SPEC_VERSION) {
    violations.push({ field: 'ce_specversion', description: `must be "${CE_SPEC_VERSION}", got ${specversion === undefined ? 'none' : `"${specversion}"`}` });
  }
  if (attributes.has('ce_datacontenttype')) {
    violations.push({ field: 'ce_datacontenttype', description: 'is carried by the content-type header in binary mode' });
  }
  const subject = attributes.get('ce_subject');
  const msg: IntegrationMessage = {
    id: attributes.get('ce_id') ?? '',
    type: attributes.get('ce_type') ?? '',
    source: attributes.get('ce_source') ?? '',
    time: attributes.get('ce_time') ?? '',
    ...(subject !== undefined ? { subject } : {}),
    key: key === null || key === undefined ? '' : typeof key === 'string' ? key : key.toString('utf8'),
    contentType: attributes.get('content-type') ?? '',
    data: value === null ? new Uint8Array() : typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'utf8')) : new Uint8Array(value),
    headers: others,
  };
  const headerOf: Record<string, string> = {
    id: 'ce_id',
    type: 'ce_type',
    source: 'ce_source',
    time: 'ce_time',
    subject: 'ce_subject',
    contentType: 'content-type',
  };
  violations.push(...messageViolations(msg).map((v) => ({ ...v, field: headerOf[v.field] ?? v.field })));
  if (violations.length > 0) throw new InvalidMessageError(violations, msg.id || undefined);
  return msg;
}
