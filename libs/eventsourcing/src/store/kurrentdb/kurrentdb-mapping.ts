import {
  ANY,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  type AppendStreamState,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event';
import type { ExpectedRevision, LogFilter } from '../event-store';
import { InvalidEventError } from '../event-validation';
import { KurrentDbError, type KurrentDbErrorContext } from './kurrentdb-errors';

/**
 * What goes into a KurrentDB event's metadata: the envelope metadata plus the schema version,
 * which KurrentDB has no field for.
 */
export type KurrentDbEventMetadata = EventMetadata & { readonly schemaVersion: number };

/** The fields of a stored event that idempotence checks look at. */
export interface StoredEventRef {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
}

// `$` starts KurrentDB's own streams (`$stats-…`, `$$meta`, `$ce-…`) and event types (`$>`,
// `$metadata`, `$streamDeleted`): never part of this store's log, never written by it.
export function isSystemName(name: string): boolean {
  return name.startsWith('$');
}

export function isSystemRecord(record: { readonly streamId: string; readonly type: string }): boolean {
  return isSystemName(record.streamId) || isSystemName(record.type);
}

/** Refuses what KurrentDB would treat as a system stream or a system event. */
export function assertWritable(streamId: string, events: readonly NewEvent[]): void {
  if (isSystemName(streamId)) throw new InvalidEventError(`stream id "${streamId}" starts with $, reserved for KurrentDB system streams`);
  for (const event of events) {
    if (isSystemName(event.type)) {
      throw new InvalidEventError(`event ${event.id} has type "${event.type}": types starting with $ are reserved by KurrentDB`);
    }
    if (event.data === undefined) throw new InvalidEventError(`event ${event.id} has no data`);
  }
}

export function toKurrentMetadata(event: NewEvent): KurrentDbEventMetadata {
  return { ...event.metadata, schemaVersion: event.schemaVersion };
}

/**
 * The KurrentDB event for a NewEvent. The id is sent lower-case: KurrentDB stores a UUID and
 * reads it back lower-case, so a replay compares equal whatever case the caller used.
 */
export function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id.toLowerCase(),
    type: event.type,
    // The client types JSON data as object, array or string; numbers, booleans and null
    // serialise the same way (JSON.stringify) and read back as they were.
    data: event.data as JSONType,
    metadata: toKurrentMetadata(event),
  });
}

/**
 * The KurrentDB event for a NewEvent in a multi-stream append. That API (KurrentDB 25.1+)
 * carries metadata as string properties only (the client refuses anything else) and the server
 * stores them as a JSON object of strings, next to properties of its own whose names start with
 * `$` (`$schema.name`, `$schema.data-format`). So the schema version travels as a decimal
 * string here, and `fromKurrentEvent` reads both forms and leaves out `$` properties.
 */
export function toMultiAppendEventData(event: NewEvent): EventData {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.metadata) as [string, unknown][]) {
    if (value === undefined) continue;
    if (isSystemName(key)) throw new InvalidEventError(`event ${event.id} has metadata "${key}": names starting with $ are reserved by KurrentDB`);
    if (typeof value !== 'string') {
      throw new InvalidEventError(`event ${event.id} has metadata "${key}" that is not a string: a KurrentDB multi-stream append carries strings only`);
    }
    metadata[key] = value;
  }
  metadata.schemaVersion = String(event.schemaVersion);
  return jsonEvent({ id: event.id.toLowerCase(), type: event.type, data: event.data as JSONType, metadata });
}

/** The port's expected revision as KurrentDB's stream state (a revision is a bigint on the wire). */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === -1) return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  // Negative bigints are KurrentDB's own markers (-2n any, -4n stream exists): never send one.
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidEventError(`expected revision ${String(expected)} is neither a revision (integer >= 0) nor a stream state`);
  }
  return BigInt(expected);
}

/** The revision after which the append must land, for exact expectations; undefined for any/stream_exists. */
export function exactExpectedRevision(expected: ExpectedRevision): number | undefined {
  if (expected === 'no_stream') return -1;
  return typeof expected === 'number' ? expected : undefined;
}

/**
 * A commit position of `$all` as a JS number. Commit positions are byte offsets in the
 * transaction log, so they stay below 2^53 until the log holds 9 PiB; past that we refuse
 * rather than round. Every event this store writes has its commit position equal to its
 * prepare position (one log record per event, committed with it), so the commit position alone
 * identifies the event; a record written in an explicit multi-record transaction would not, and
 * is refused rather than given a position that cannot resume a read exactly.
 */
export function positionToNumber(position: Position | undefined, context: KurrentDbErrorContext, eventId: string): number {
  if (position === undefined) {
    throw new KurrentDbError('invalid-record', context, `event ${eventId} came without a log position (KurrentDB/EventStoreDB >= 22.6 required)`);
  }
  if (position.commit !== position.prepare) {
    throw new KurrentDbError(
      'invalid-record',
      context,
      `event ${eventId} has commit position ${position.commit} but prepare position ${position.prepare} (explicit transaction)`,
    );
  }
  if (position.commit < 0n || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new KurrentDbError('position-out-of-range', context, `commit position ${position.commit} of event ${eventId} is not a safe integer`);
  }
  return Number(position.commit);
}

/** Where to start reading `$all` after a port position (0: the beginning of the log). */
export function toReadPosition(after: number): ReadPosition {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`log position ${after} is not a non-negative safe integer`);
  if (after === 0) return START;
  const commit = BigInt(after);
  return { commit, prepare: commit };
}

/**
 * The server-side filter for a set of stream prefixes; without prefixes, every stream whose
 * name does not start with `$`. Matching on stream names also drops system events written to
 * system streams; system event types in user streams (a tombstone) are dropped on the client.
 */
export function serverFilter(prefixes: readonly string[] | undefined): Filter {
  return prefixes === undefined ? streamNameFilter({ regex: '^[^$]' }) : streamNameFilter({ prefixes: [...prefixes] });
}

/**
 * The prefixes a read uses once the store's own scope is applied: `undefined` when neither
 * restricts (every non-system stream), `[]` when they cannot overlap (nothing matches).
 */
export function scopePrefixes(scope: readonly string[] | undefined, filter: LogFilter | undefined): readonly string[] | undefined {
  const requested = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  if (scope === undefined) return requested;
  if (requested === undefined) return scope;
  const both = new Set<string>();
  // A stream matches both sets when it starts with the longer of two nested prefixes.
  for (const r of requested) {
    for (const s of scope) {
      if (r.startsWith(s)) both.add(r);
      else if (s.startsWith(r)) both.add(s);
    }
  }
  return [...both];
}

export function assertScopePrefixes(prefixes: readonly string[]): void {
  for (const prefix of prefixes) {
    if (prefix.length === 0 || isSystemName(prefix)) {
      throw new RangeError(`stream prefix "${prefix}" must be non-empty and must not start with $`);
    }
  }
}

/**
 * A stored KurrentDB event as the port's RecordedEvent. Refuses (typed, with the stream and
 * event id) what this adapter did not write: binary data, metadata without a schema version.
 */
export function fromKurrentEvent(record: KurrentRecordedEvent, context: KurrentDbErrorContext): RecordedEvent {
  const where = { ...context, streamId: record.streamId };
  const invalid = (problem: string): KurrentDbError =>
    new KurrentDbError('invalid-record', where, `event ${record.id} (revision ${record.revision}) ${problem}`);
  if (!record.isJson) throw invalid('is not JSON');
  const metadata: unknown = record.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || metadata instanceof Uint8Array) {
    throw invalid('has no JSON object as metadata');
  }
  const { schemaVersion: version, ...properties } = metadata as Record<string, unknown>;
  // A number from `append`, a decimal string from `appendMany` (see toMultiAppendEventData).
  const schemaVersion = typeof version === 'string' && /^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : version;
  // `$` properties are the server's own (the schema of a multi-stream append, trace ids): not envelope metadata.
  const envelope = Object.fromEntries(Object.entries(properties).filter(([key]) => !isSystemName(key)));
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw invalid('has no schemaVersion in its metadata');
  }
  if (typeof envelope.occurredAt !== 'string') throw invalid('has no occurredAt in its metadata');
  return {
    id: record.id,
    type: record.type,
    schemaVersion,
    data: record.data,
    metadata: envelope as unknown as EventMetadata,
    streamId: record.streamId,
    // Revisions count events in one stream: far below 2^53.
    revision: Number(record.revision),
    position: positionToNumber(record.position, where, record.id),
    recordedAt: record.created.toISOString(),
  };
}

/** Id, revision and position of a stored event, without interpreting its data or metadata. */
export function toStoredRef(record: KurrentRecordedEvent, context: KurrentDbErrorContext): StoredEventRef {
  return {
    id: record.id,
    revision: Number(record.revision),
    position: positionToNumber(record.position, { ...context, streamId: record.streamId }, record.id),
  };
}

export type WindowVerdict =
  { readonly kind: 'absent' } | { readonly kind: 'replay'; readonly last: StoredEventRef } | { readonly kind: 'conflict'; readonly eventId: string };

/**
 * Compares the events about to be appended with stored events of the same stream (consecutive
 * revisions, in order). `replay`: they are exactly these events; `conflict`: some ids are there
 * but not as this same append; `absent`: none of them is there.
 */
export function compareWindow(events: readonly NewEvent[], stored: readonly StoredEventRef[]): WindowVerdict {
  const ids = events.map((e) => e.id.toLowerCase());
  const storedIds = stored.map((e) => e.id.toLowerCase());
  const exact =
    stored.length === ids.length && storedIds.every((id, i) => id === ids[i]) && stored.every((e, i) => i === 0 || e.revision === stored[i - 1]!.revision + 1);
  if (exact && stored.length > 0) return { kind: 'replay', last: stored[stored.length - 1]! };
  const wanted = new Set(ids);
  const overlap = storedIds.find((id) => wanted.has(id));
  return overlap === undefined ? { kind: 'absent' } : { kind: 'conflict', eventId: overlap };
}

/**
 * Where the append would have started if a stored event of the window is one of ours: the
 * revision of the first overlapping stored event minus its index in the batch.
 */
export function candidateStart(events: readonly NewEvent[], stored: readonly StoredEventRef[]): number | undefined {
  const index = new Map(events.map((e, i) => [e.id.toLowerCase(), i] as const));
  for (const e of stored) {
    const i = index.get(e.id.toLowerCase());
    if (i !== undefined) return e.revision - i;
  }
  return undefined;
}
