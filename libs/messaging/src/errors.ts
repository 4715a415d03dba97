import type { FieldViolation } from '@pcn/eventsourcing';
import type { ReceivedMessage } from './message';

/** Errors raised by the bus and its helpers; `code` is stable, the message is for humans. */
export abstract class MessagingError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A message does not satisfy the envelope (CloudEvents attributes, key, headers). */
export class InvalidMessageError extends MessagingError {
  readonly code = 'INVALID_MESSAGE';
  constructor(
    readonly violations: readonly FieldViolation[],
    readonly messageId?: string,
  ) {
    super(`invalid message${messageId ? ` ${messageId}` : ''}: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`);
  }
}

/** Topic names follow Kafka's rules, so what runs in-process also runs on a broker. */
export class InvalidTopicError extends MessagingError {
  readonly code = 'INVALID_TOPIC';
  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`invalid topic "${topic}": ${reason}`);
  }
}

export class InvalidSubscriptionError extends MessagingError {
  readonly code = 'INVALID_SUBSCRIPTION';
  constructor(
    readonly field: string,
    readonly description: string,
  ) {
    super(`invalid subscription ${field}: ${description}`);
  }
}

export class BusClosedError extends MessagingError {
  readonly code = 'BUS_CLOSED';
  constructor(readonly operation: string) {
    super(`cannot ${operation}: the message bus is closed`);
  }
}

/**
 * The in-process buses run one consumer per group and topic (see `MessageBus.subscribe`): a
 * second one would deliver every message twice, which Kafka's group protocol never does.
 */
export class ConsumerGroupBusyError extends MessagingError {
  readonly code = 'CONSUMER_GROUP_BUSY';
  constructor(
    readonly groupId: string,
    readonly topic: string,
  ) {
    super(`consumer group ${groupId} already has a subscription on ${topic} in this process`);
  }
}

/**
 * Thrown by a handler for a message that can never succeed (undecodable payload, unknown
 * version): it is dead-lettered at once instead of blocking its key through every retry.
 */
export class UnprocessableMessageError extends MessagingError {
  readonly code: string = 'UNPROCESSABLE_MESSAGE';
}

/** The bus's storage failed; `cause` holds the driver error. Nothing was acknowledged. */
export class BusStorageError extends MessagingError {
  readonly code = 'BUS_STORAGE';
  constructor(
    readonly operation: string,
    readonly topic: string,
    options: ErrorOptions,
  ) {
    super(`message bus storage failed to ${operation} on topic ${topic}: ${describeCause(options.cause)}`, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * A consumed message its handler cannot read (bytes that are not the expected protobuf message,
 * a required field missing), located so an operator finds it. Retrying cannot make such a
 * message readable, so it is an `UnprocessableMessageError`: dead-lettered at once. The topic
 * readers (`readRegistryEvent`...) raise it.
 */
export class UnreadableMessageError extends UnprocessableMessageError {
  override readonly code: string = 'UNREADABLE_MESSAGE';
  readonly messageId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;

  constructor(source: string, message: ReceivedMessage, why: string) {
    super(`${source} message ${message.id} (${message.type}) at ${message.topic}/${message.partition}@${message.offset}: ${why}`);
    this.messageId = message.id;
    this.topic = message.topic;
    this.partition = message.partition;
    this.offset = message.offset;
  }
}
