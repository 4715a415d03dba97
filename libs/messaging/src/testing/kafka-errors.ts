// kafkajs protocol errors as kafkajs raises them, for tests of the retry paths without a broker.
import { KafkaJSProtocolError } from 'kafkajs';

/** The broker errors of kafkajs's protocol table, as kafkajs builds them from a response code. */
const PROTOCOL_ERRORS = {
  UNKNOWN_TOPIC_OR_PARTITION: { code: 3, retriable: true, message: 'This server does not host this topic-partition' },
  LEADER_NOT_AVAILABLE: { code: 5, retriable: true, message: 'There is no leader for this topic-partition as we are in the middle of a leadership election' },
  GROUP_COORDINATOR_NOT_AVAILABLE: { code: 15, retriable: true, message: 'The group coordinator is not available' },
  NOT_COORDINATOR_FOR_GROUP: { code: 16, retriable: true, message: 'This is not the correct coordinator for this group' },
  GROUP_AUTHORIZATION_FAILED: { code: 30, retriable: false, message: 'Not authorized to access group: Group authorization failed' },
  INVALID_REPLICATION_FACTOR: { code: 38, retriable: false, message: 'Replication-factor is invalid' },
} as const;

export type ProtocolErrorType = keyof typeof PROTOCOL_ERRORS;

export function protocolError(type: ProtocolErrorType): KafkaJSProtocolError {
  // kafkajs's constructor takes its protocol table entry, which its types call an Error.
  return new KafkaJSProtocolError({ type, ...PROTOCOL_ERRORS[type] } as unknown as Error);
}
