import { UnreadableMessageError } from '../errors';
import type { ReceivedMessage } from '../message';
import type { MessageHandler } from '../bus';

/** The CloudEvents `type` of every integration event is its protobuf message's full name. */
export const EVENT_TYPE_PREFIX = 'pcn.events.v1.';

/** How one event type is read: its protobuf decoder, and what it must carry to be usable. */
export interface EventSchema<T> {
  decode(data: Uint8Array): T;
  /** What is wrong with a decoded event, each naming its field ("missing centre.finess"); none when readable. */
  problems(event: T): readonly string[];
}

type Schemas = Record<string, EventSchema<unknown>>;
type Decoded<S> = S extends EventSchema<infer T> ? T : never;

/** A message read from a topic: its short type (`CentreClosed`) and the decoded, checked event. */
export type ReadEvent<S extends Schemas> = { [K in keyof S & string]: { readonly type: K; readonly event: Decoded<S[K]> } }[keyof S & string];

/**
 * Reads a published topic's messages: decodes the protobuf payload named by `ce_type` and
 * checks the required fields. A message that cannot be read throws an `UnreadableMessageError`
 * (dead-lettered at once, retrying cannot mend it); a type this reader does not know (added to
 * the contract later) reads as `undefined`, for consumers to ignore.
 */
export interface TopicReader<S extends Schemas> {
  readonly topic: string;
  read(message: ReceivedMessage): ReadEvent<S> | undefined;
}

export function topicReader<S extends Schemas>(
  topic: string,
  unreadable: (message: ReceivedMessage, why: string) => UnreadableMessageError,
  schemas: S,
): TopicReader<S> {
  return {
    topic,
    read(message) {
      if (!message.type.startsWith(EVENT_TYPE_PREFIX)) return undefined;
      const type = message.type.slice(EVENT_TYPE_PREFIX.length);
      if (!Object.hasOwn(schemas, type)) return undefined;
      const schema = schemas[type] as unknown as EventSchema<unknown>;
      let event: unknown;
      try {
        event = schema.decode(message.data);
      } catch (error) {
        throw unreadable(message, `undecodable payload: ${error instanceof Error ? error.message : String(error)}`);
      }
      const problems = schema.problems(event);
      if (problems.length > 0) throw unreadable(message, problems.join('; '));
      return { type, event } as ReadEvent<S>;
    },
  };
}

/** One event type of a topic: `schema(ev.CentreClosed, (e) => fields().text(...).problems)`. */
export function schema<T>(codec: { decode(data: Uint8Array): T }, problems: (event: T) => readonly string[] = () => []): EventSchema<T> {
  return { decode: (data) => codec.decode(data), problems };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Collects what is wrong with an event's required fields, each problem naming its field. */
export class FieldChecks {
  readonly problems: string[] = [];

  /** A required string (proto3 leaves an unset one empty). */
  text(field: string, value: string | undefined): this {
    if (!value) this.problems.push(`missing ${field}`);
    return this;
  }

  /** A required calendar date, YYYY-MM-DD. */
  date(field: string, value: string | undefined): this {
    if (!value) this.problems.push(`missing ${field}`);
    else if (!ISO_DATE.test(value)) this.problems.push(`${field} must be a date YYYY-MM-DD, got "${value}"`);
    return this;
  }

  /** A date that may be unset (empty). */
  optionalDate(field: string, value: string | undefined): this {
    if (value && !ISO_DATE.test(value)) this.problems.push(`${field} must be a date YYYY-MM-DD, got "${value}"`);
    return this;
  }

  /** A required sub-message; `inner` checks its fields when it is there. */
  message<M>(field: string, value: M | undefined, inner: (checks: FieldChecks, value: M) => void = () => undefined): this {
    if (value === undefined) this.problems.push(`missing ${field}`);
    else inner(this, value);
    return this;
  }
}

export const fields = (): FieldChecks => new FieldChecks();

/** What a consumer does with each event type it cares about; the others are none of its business. */
export type EventHandlers<S extends Schemas> = { readonly [K in keyof S & string]?: (event: Decoded<S[K]>, message: ReceivedMessage) => Promise<void> };

/**
 * The bus handler of a consumer: reads the types it handles with the topic's reader (an
 * unreadable one is dead-lettered at once) and ignores every other type, unread, so a message
 * type added to the contract later, or a malformed one it never looks at, does not stop it.
 */
export function topicConsumer<S extends Schemas>(reader: TopicReader<S>, handlers: EventHandlers<S>): MessageHandler {
  return async (message) => {
    const type = message.type.startsWith(EVENT_TYPE_PREFIX) ? message.type.slice(EVENT_TYPE_PREFIX.length) : undefined;
    if (type === undefined || !Object.hasOwn(handlers, type)) return;
    const read = reader.read(message);
    if (!read) return;
    const handle = handlers[read.type] as ((event: unknown, message: ReceivedMessage) => Promise<void>) | undefined;
    if (handle) await handle(read.event, message);
  };
}
