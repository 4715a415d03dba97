import { trace } from '@opentelemetry/api';
import { startTracing } from '@pcn/observability';
import { backoffDelay, deadLetterTopicFor } from './bus';
import { InvalidMessageError, InvalidTopicError } from './errors';
import { assertTopicName, messageViolations, newIntegrationMessage, PROTOBUF_CONTENT_TYPE } from './message';

describe('integration messages', () => {
  it('gets a fresh id, the current time and the protobuf content type by default', () => {
    const before = Date.now();
    const a = newIntegrationMessage({ type: 'pcn.registry.v1.CentreRegistered', source: '/pcn/registry', key: 'centre-1', data: new Uint8Array([1]) });
    const b = newIntegrationMessage({ type: 'pcn.registry.v1.CentreRegistered', source: '/pcn/registry', key: 'centre-1', data: new Uint8Array([1]) });
    expect(a.id).not.toBe(b.id);
    expect(Date.parse(a.time)).toBeGreaterThanOrEqual(before - 1);
    expect(a.contentType).toBe(PROTOBUF_CONTENT_TYPE);
    expect(a).not.toHaveProperty('subject');
  });

  it('carries the active trace context, unless the caller brings one', async () => {
    const tracing = startTracing({ serviceName: 'message-test', env: {} });
    try {
      const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const [fresh, relayed, traceId] = trace.getTracer('test').startActiveSpan('command', (span) => {
        const input = { type: 't', source: '/s', key: 'k', data: new Uint8Array() };
        const result = [
          newIntegrationMessage(input),
          newIntegrationMessage({ ...input, headers: { traceparent: stored } }),
          span.spanContext().traceId,
        ] as const;
        span.end();
        return result;
      });
      expect(fresh.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(relayed.headers.traceparent).toBe(stored);
    } finally {
      await tracing.shutdown();
    }
  });

  it('lists every violation of the envelope', () => {
    const fields = messageViolations({
      id: '',
      type: ' ',
      source: '/s',
      time: '31/03/2025',
      subject: '',
      key: '',
      contentType: 'application/protobuf',
      data: 'bytes' as unknown as Uint8Array,
      headers: { 'bad header': 'x', ce_source: 'y', n: 1 as unknown as string },
    }).map((v) => v.field);
    expect(fields.sort()).toEqual(['data', 'headers.bad header', 'headers.ce_source', 'headers.n', 'id', 'key', 'subject', 'time', 'type'].sort());
    expect(() => newIntegrationMessage({ type: '', source: '/s', key: 'k', data: new Uint8Array() })).toThrow(InvalidMessageError);
  });

  it('accepts RFC 3339 times with offsets and any precision', () => {
    const base = { id: 'i', type: 't', source: '/s', key: 'k', contentType: 'c', data: new Uint8Array(), headers: {} };
    expect(messageViolations({ ...base, time: '2025-03-31T10:15:00+02:00' })).toEqual([]);
    expect(messageViolations({ ...base, time: '2025-03-31T08:15:00.123456Z' })).toEqual([]);
    expect(messageViolations({ ...base, time: '2025-03-31 08:15:00Z' })).toHaveLength(1);
  });

  it('validates topic names as Kafka does', () => {
    expect(assertTopicName('pcn.registry.v1')).toBe('pcn.registry.v1');
    expect(assertTopicName(deadLetterTopicFor('pcn.registry.v1'))).toBe('pcn.registry.v1.dlq');
    for (const bad of ['', '.', '..', 'with space', 'accentué', 'x'.repeat(250)]) expect(() => assertTopicName(bad)).toThrow(InvalidTopicError);
  });

  it('doubles the backoff from the initial delay up to the cap', () => {
    const policy = { maxAttempts: 10, initialBackoffMs: 100, maxBackoffMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
