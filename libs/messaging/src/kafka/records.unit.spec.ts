import { trace } from '@opentelemetry/api';
import { startTracing } from '@pcn/observability';
import { fromKafkaHeaders, toKafkaMessage } from '../cloudevents-kafka';
import { DLQ_HEADERS } from '../consumer/dead-letter';
import type { IntegrationMessage } from '../message';
import { headerText, nextOffset, partitionLag, rawDeadLetterRecord, withActiveTraceContext } from './records';

const message: IntegrationMessage = {
  id: '0b8f2c1e-5d0a-4c9e-9a57-3f1f4c1d2e3a',
  type: 'pcn.registry.v1.CentreRegistered',
  source: '/pcn/registry',
  time: '2025-03-31T08:15:00.123Z',
  subject: 'centre-750000001',
  key: 'centre-750000001',
  contentType: 'application/protobuf',
  data: new Uint8Array([8, 150, 1, 0, 255]),
  headers: { ce_centrekind: 'csp' },
};

describe('Kafka records', () => {
  it('decodes what it publishes, as kafkajs hands it back (headers, key and value as Buffers)', () => {
    const record = toKafkaMessage(message);
    const asFetched = Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value, 'utf8')]));
    expect(fromKafkaHeaders(asFetched, record.value, Buffer.from(record.key, 'utf8'))).toEqual(message);
  });

  it('commits the offset after the one handled, and measures the lag from the high watermark', () => {
    expect(nextOffset('41')).toBe('42');
    // int64 offsets beyond 2^53 stay exact.
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
    expect(partitionLag('10', '4')).toBe(6);
    expect(partitionLag('10', '10')).toBe(0);
    // A high watermark from an older fetch may trail the position: never a negative lag.
    expect(partitionLag('10', '12')).toBe(0);
  });

  it('reads headers as text, the last of a repeated header winning', () => {
    expect(headerText({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), Buffer.from('2')], d: undefined })).toEqual({ a: 'x', b: 'y', c: '2' });
    expect(headerText(undefined)).toEqual({});
  });

  it('dead-letters an undecodable record byte for byte, with the dlq headers replacing any forged ones', () => {
    const at = new Date('2025-04-01T10:00:00.000Z');
    const dead = rawDeadLetterRecord(
      { key: Buffer.from('k'), value: Buffer.from([0xde, 0xad]), headers: { origin: Buffer.from('legacy'), [DLQ_HEADERS.reason]: 'forged' } },
      { topic: 'pcn.registry.v1', partition: 2, offset: '17', consumer: 'attribution', error: new Error('missing ce_id'), at },
    );
    expect(dead).toEqual({
      key: Buffer.from('k'),
      value: Buffer.from([0xde, 0xad]),
      headers: {
        origin: Buffer.from('legacy'),
        [DLQ_HEADERS.reason]: 'Error: missing ce_id',
        [DLQ_HEADERS.consumer]: 'attribution',
        [DLQ_HEADERS.attempts]: '1',
        [DLQ_HEADERS.originalTopic]: 'pcn.registry.v1',
        [DLQ_HEADERS.originalPartition]: '2',
        [DLQ_HEADERS.originalOffset]: '17',
        [DLQ_HEADERS.at]: '2025-04-01T10:00:00.000Z',
      },
    });
  });

  describe('trace context', () => {
    let tracing: ReturnType<typeof startTracing>;
    beforeAll(() => {
      tracing = startTracing({ serviceName: 'records-spec', env: {} });
    });
    afterAll(() => tracing.shutdown());

    it('adds the active trace context to a message that has none', () => {
      const { traceId, withContext } = trace.getTracer('spec').startActiveSpan('RegisterCentre', (span) => {
        const result = { traceId: span.spanContext().traceId, withContext: withActiveTraceContext(message) };
        span.end();
        return result;
      });
      expect(withContext.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(withContext.headers.ce_centrekind).toBe('csp');
      expect(message.headers).not.toHaveProperty('traceparent');
    });

    it('keeps the trace context the message carries (the relay passes the stored one)', () => {
      const relayed = { ...message, headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } };
      const kept = trace.getTracer('spec').startActiveSpan('relay', (span) => {
        const result = withActiveTraceContext(relayed);
        span.end();
        return result;
      });
      expect(kept).toBe(relayed);
    });

    it('leaves the message as is outside any span', () => {
      expect(withActiveTraceContext(message)).toBe(message);
    });
  });
});
