/** Who and why: carried with every event, never part of the business data. */
export interface EventMetadata {
  /** When the business fact happened (ISO 8601). */
  readonly occurredAt: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** W3C trace context, so a trace continues through the relay and Kafka. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** The authenticated caller that caused the event (or a process name). */
  readonly actor?: string;
  /** With an idempotency key: a hash of the command, so a reuse for another command is caught. */
  readonly commandFingerprint?: string;
}

/** An event about to be appended. `id` makes re-appending the same event idempotent. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as stored: its place in its stream and in the store's global log. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamId: string;
  /** 0-based position within the stream. */
  readonly revision: number;
  /** Position in the global log: strictly increasing in commit order. */
  readonly position: number;
  /** When the store committed it (ISO 8601). */
  readonly recordedAt: string;
}
