import type { RecordedEvent } from '@pcn/eventsourcing';
import { PROTOBUF_CONTENT_TYPE } from '../message';
import type { OutgoingMessage } from './relay';

export interface EventPayload {
  readonly topic: string;
  /** CloudEvents `source` of the publishing context, e.g. `/pcn/registry`. */
  readonly source: string;
  /** The protobuf message name in `pcn.events.v1`, e.g. `CentreClosed`. */
  readonly message: string;
  /** Partition key and CloudEvents subject: the aggregate the message is about. */
  readonly key: string;
  readonly data: Uint8Array;
}

/**
 * The envelope every relay gives a domain event: the message id is the event id (so a
 * republication is recognised), `ce_type` the protobuf message, `time` when it occurred, and the
 * trace context of the command that caused it travels along.
 */
export function eventMessage(recorded: RecordedEvent, payload: EventPayload): OutgoingMessage {
  const { traceparent, tracestate } = recorded.metadata;
  return {
    topic: payload.topic,
    message: {
      id: recorded.id,
      type: `pcn.events.v1.${payload.message}`,
      source: payload.source,
      time: recorded.metadata.occurredAt,
      subject: payload.key,
      key: payload.key,
      contentType: PROTOBUF_CONTENT_TYPE,
      data: payload.data,
      headers: { ...(traceparent && { traceparent }), ...(tracestate && { tracestate }) },
    },
  };
}
