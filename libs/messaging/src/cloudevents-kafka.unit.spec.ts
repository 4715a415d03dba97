import type { IHeaders, Message } from 'kafkajs';
import { fromKafkaHeaders, toKafkaHeaders, toKafkaMessage } from './cloudevents-kafka';
import { InvalidMessageError } from './errors';
import type { IntegrationMessage } from './message';

const message: IntegrationMessage = {
  id: '0b8f2c1e-5d0a-4c9e-9a57-3f1f4c1d2e3a',
  type: 'pcn.registry.v1.CentreRegistered',
  source: '/pcn/registry',
  time: '2025-03-31T08:15:00.123Z',
  subject: 'centre-750000001',
  key: 'centre-750000001',
  contentType: 'application/protobuf',
  data: new Uint8Array([8, 150, 1, 0, 255]),
  headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'pcn=1', ce_centrekind: 'csp' },
};

describe('CloudEvents Kafka binding, binary mode', () => {
  it('maps the attributes to ce_ headers, the content type to content-type, and keeps other headers verbatim', () => {
    expect(toKafkaHeaders(message)).toEqual({
      ce_specversion: '1.0',
      ce_id: message.id,
      ce_type: 'pcn.registry.v1.CentreRegistered',
      ce_source: '/pcn/registry',
      ce_time: '2025-03-31T08:15:00.123Z',
      ce_subject: 'centre-750000001',
      'content-type': 'application/protobuf',
      traceparent: message.headers.traceparent,
      tracestate: 'pcn=1',
      ce_centrekind: 'csp',
    });
  });

  it('builds a kafkajs record: key is the partition key, value the payload bytes as is', () => {
    const record: Message = toKafkaMessage(message);
    expect(record.key).toBe('centre-750000001');
    expect([...(record.value as Buffer)]).toEqual([8, 150, 1, 0, 255]);
    expect(record.headers).toEqual(toKafkaHeaders(message));
  });

  it('reads back what it wrote, from Buffer headers as kafkajs delivers them', () => {
    const headers: IHeaders = Object.fromEntries(Object.entries(toKafkaHeaders(message)).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
    const back = fromKafkaHeaders(headers, Buffer.from(message.data), Buffer.from(message.key));
    expect(back).toEqual({ ...message, data: new Uint8Array(message.data) });
    expect(back.data).toBeInstanceOf(Uint8Array);
  });

  it('omits ce_subject when there is no subject, and reads a record without value as empty data', () => {
    const { subject: _subject, ...withoutSubject } = message;
    const headers = toKafkaHeaders({ ...withoutSubject, data: new Uint8Array() });
    expect(headers).not.toHaveProperty('ce_subject');
    const back = fromKafkaHeaders(headers, null, 'centre-750000001');
    expect(back).not.toHaveProperty('subject');
    expect(back.data).toHaveLength(0);
  });

  it('accepts a Content-Type header of any case', () => {
    const { 'content-type': contentType, ...rest } = toKafkaHeaders(message);
    expect(fromKafkaHeaders({ ...rest, 'Content-Type': contentType }, Buffer.from(message.data), message.key).contentType).toBe('application/protobuf');
  });

  it('refuses a record that is not a CloudEvents 1.0 binary-mode event, listing every fault', () => {
    const headers = toKafkaHeaders(message);
    const { ce_id: _id, ce_time: _time, ...missing } = headers;
    expect(() => fromKafkaHeaders(missing, null, 'k')).toThrow(InvalidMessageError);
    try {
      fromKafkaHeaders({ ...missing, ce_specversion: '0.3' }, null, null);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMessageError);
      expect((error as InvalidMessageError).violations.map((v) => v.field).sort()).toEqual(['ce_id', 'ce_specversion', 'ce_time', 'key']);
    }
    expect(() => fromKafkaHeaders({ ...headers, ce_type: ['a', 'b'] }, null, 'k')).toThrow(/ce_type appears 2 times/);
    expect(() => fromKafkaHeaders({ ...headers, ce_datacontenttype: 'application/json' }, null, 'k')).toThrow(/ce_datacontenttype/);
  });

  it('keeps the last value of a repeated non-CloudEvents header', () => {
    const back = fromKafkaHeaders({ ...toKafkaHeaders(message), tracestate: ['a=1', 'b=2'] }, null, 'k');
    expect(back.headers.tracestate).toBe('b=2');
  });

  it('refuses to write a message whose headers would shadow a CloudEvents attribute', () => {
    expect(() => toKafkaHeaders({ ...message, headers: { ce_type: 'spoofed' } })).toThrow(InvalidMessageError);
    expect(() => toKafkaHeaders({ ...message, headers: { 'Content-Type': 'text/plain' } })).toThrow(/reserved/);
  });
});
