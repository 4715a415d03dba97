import { PassThrough, type ReadableOptions } from 'node:stream';
import {
  AppendConsistencyViolationError,
  END,
  InvalidArgumentError,
  START,
  StreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendRecordInput,
  type AppendRecordsResult,
  type AppendResult,
  type AppendStreamRequest,
  type AppendStreamState,
  type AppendToStreamOptions,
  type ConsistencyCheck,
  type EventData,
  type Filter,
  type MultiAppendResult,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { KurrentDbClientLike } from './kurrentdb-event-store';
import type { SubscriptionSource } from './kurrentdb-subscription';

/** A record of the fake `$all`. */
export interface FakeRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly isJson: boolean;
  readonly revision: bigint;
  readonly position: Position;
  readonly created: Date;
}

class FakeSubscription extends PassThrough implements SubscriptionSource {
  unsubscribed = false;

  constructor(
    readonly startAt: bigint | undefined,
    readonly logFilter: Filter | undefined,
    options: ReadableOptions,
  ) {
    super({ ...options, objectMode: true });
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

/**
 * An in-process stand-in for a KurrentDB server behind `KurrentDBClient`, for unit tests of the
 * adapter's own logic. It follows the server's documented append rules (expected revision,
 * idempotence by event id after the expected revision, or through a cache of recent ids for
 * any/stream_exists), reports missing streams and conflicts with the client's error classes,
 * and starts reads of `$all` at a position inclusively (the adapter must not depend on either
 * choice). It is not evidence about a real server: the `*.kurrentdb.spec.ts` suite is.
 *
 * The multi-stream writes follow the documented protocol v2 rules: `multiStreamAppend` (25.1)
 * and `appendRecords` (26.1) are atomic, refuse metadata that is not an object of strings (as
 * the client does) and a stream without records (as the server does), store the metadata with
 * the server's `$schema.*` properties, and report a refused expected state with the client's
 * WrongExpectedVersionError / AppendConsistencyViolationError. They are assumed not to
 * deduplicate by event id (not documented), which is the harder case for the adapter.
 */
export class FakeKurrentDbClient implements KurrentDbClientLike {
  readonly records: FakeRecord[] = [];
  /** Every call fails with this error while set (e.g. a client UnavailableError). */
  failure: Error | undefined;
  /** The server's bounded cache of recent event ids has forgotten everything. */
  idCacheEvicted = false;
  /** As with `throwOnAppendFailure=false` in the connection string. */
  conflictsAsResult = false;
  /** Subscriptions also deliver the event at their start position. */
  subscriptionsStartInclusive = true;
  appendCalls = 0;
  /** Calls of multiStreamAppend and appendRecords that reached the server. */
  multiAppendCalls = 0;
  /** Features of a newer server than the one simulated: calling them throws the client's UnsupportedError. */
  readonly unsupported = new Set<'multiStreamAppend' | 'appendRecords'>();
  disposed = false;
  readonly subscriptions: FakeSubscription[] = [];
  private nextPosition = 1_000n;

  async appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<AppendResult> {
    this.throwIfFailing();
    this.appendCalls++;
    const state = options.streamState ?? 'any';
    const stream = this.stream(streamName);
    const current = stream.length - 1;
    const conflict = (): AppendResult => {
      if (this.conflictsAsResult) return { success: false, nextExpectedRevision: BigInt(current) };
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: state,
        current: current < 0 ? 'no_stream' : BigInt(current),
      });
    };
    const done = (last: FakeRecord): AppendResult => ({ success: true, nextExpectedRevision: last.revision, position: last.position });

    if (state === 'stream_exists' && current < 0) return conflict();
    if (state === 'any' || state === 'stream_exists') {
      const found = events.map((e) => (this.idCacheEvicted ? undefined : this.records.find((r) => r.id === e.id && r.streamId === streamName)));
      if (found[0] !== undefined) {
        if (found.some((f) => f === undefined)) return conflict();
        return done(found[found.length - 1]!);
      }
      return done(this.write(streamName, events, current));
    }
    const expected = state === 'no_stream' ? -1 : Number(state);
    if (expected < current) {
      for (const [i, e] of events.entries()) if (stream[expected + 1 + i]?.id !== e.id) return conflict();
      return done(stream[expected + events.length]!);
    }
    if (expected > current) return conflict();
    return done(this.write(streamName, events, current));
  }

  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    if (this.unsupported.has('multiStreamAppend')) throw new UnsupportedError('multiStreamAppend', '25.1');
    assertStringMetadata(
      'multiStreamAppend',
      requests.flatMap((r) => r.events),
    );
    this.throwIfFailing();
    this.multiAppendCalls++;
    const names = new Set<string>();
    for (const request of requests) {
      if (request.events.length === 0) throw new InvalidArgumentError('Stream append request must contain at least one record');
      if (names.has(request.streamName)) throw new InvalidArgumentError(`Stream ${request.streamName} appears more than once`);
      names.add(request.streamName);
    }
    // All checks before any write: all or nothing.
    for (const request of requests) {
      const current = this.stream(request.streamName).length - 1;
      if (!stateHolds(request.expectedState, current)) {
        throw new WrongExpectedVersionError(undefined, {
          streamName: request.streamName,
          expected: request.expectedState,
          current: current < 0 ? 'no_stream' : BigInt(current),
        });
      }
    }
    const responses = requests.map((request) => {
      const last = this.write(request.streamName, request.events, this.stream(request.streamName).length - 1, true);
      return { streamName: request.streamName, revision: last.revision };
    });
    return { position: this.records[this.records.length - 1]!.position.commit, responses };
  }

  async appendRecords(records: AppendRecordInput[], checks: ConsistencyCheck[] = []): Promise<AppendRecordsResult> {
    if (this.unsupported.has('appendRecords')) throw new UnsupportedError('appendRecords', '26.1');
    assertStringMetadata(
      'appendRecords',
      records.map((r) => r.record),
    );
    this.throwIfFailing();
    this.multiAppendCalls++;
    if (records.length === 0) throw new InvalidArgumentError('Append records request must contain at least one record.');
    const violations = checks.flatMap((check, checkIndex) => {
      const current = this.stream(check.streamName).length - 1;
      if (stateHolds(check.expectedState, current)) return [];
      return [{ checkIndex, streamState: { stream: check.streamName, expectedState: encodeState(check.expectedState), actualState: String(current) } }];
    });
    if (violations.length > 0) {
      // The client builds it from the gRPC status details; the fake has no gRPC status.
      throw new AppendConsistencyViolationError(undefined as never, { violationsList: violations });
    }
    const revisions = new Map<string, bigint>();
    for (const { streamName, record } of records) {
      revisions.set(streamName, this.write(streamName, [record], this.stream(streamName).length - 1, true).revision);
    }
    return {
      position: this.records[this.records.length - 1]!.position.commit,
      responses: [...revisions].map(([streamName, revision]) => ({ streamName, revision })),
    };
  }

  readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
    const run = async function* (this: FakeKurrentDbClient): AsyncGenerator<ResolvedEvent> {
      this.throwIfFailing();
      const stream = this.stream(streamName);
      if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const from = options.fromRevision ?? START;
      const selected =
        options.direction === 'backwards'
          ? stream.filter((r) => from === END || from === START || r.revision <= from).reverse()
          : stream.filter((r) => from === START || (from !== END && r.revision >= from));
      for (const record of selected.slice(0, max)) yield { event: toRecordedEvent(record) };
    };
    return run.call(this);
  }

  readAll(options: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent> {
    const run = async function* (this: FakeKurrentDbClient): AsyncGenerator<AllStreamResolvedEvent> {
      this.throwIfFailing();
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const from = options.fromPosition ?? START;
      const matching = this.records.filter((r) => matches(r, options.filter));
      const selected =
        options.direction === 'backwards'
          ? matching.filter((r) => from === END || from === START || r.position.commit <= from.commit).reverse()
          : matching.filter((r) => from === START || (from !== END && r.position.commit >= from.commit));
      for (const record of selected.slice(0, max)) yield { event: toRecordedEvent(record) as AllStreamResolvedEvent['event'] };
    };
    return run.call(this);
  }

  subscribeToAll(options: SubscribeToAllOptions, readableOptions: ReadableOptions): FakeSubscription {
    const start = options.fromPosition ?? START;
    const from = start === START ? undefined : start === END ? this.nextPosition : start.commit;
    const subscription = new FakeSubscription(from, options.filter, readableOptions);
    this.subscriptions.push(subscription);
    if (this.failure) {
      const failure = this.failure;
      setImmediate(() => subscription.emit('error', failure));
      return subscription;
    }
    for (const record of this.records) this.deliver(subscription, record);
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const s of this.subscriptions) s.end();
  }

  /** A record written by someone else than the adapter (system streams, other applications). */
  appendRaw(record: Omit<FakeRecord, 'revision' | 'position' | 'created'> & { readonly position?: Position }): FakeRecord {
    const stored: FakeRecord = {
      ...record,
      revision: BigInt(this.stream(record.streamId).length),
      position: record.position ?? this.allocatePosition(),
      created: new Date(),
    };
    this.records.push(stored);
    for (const s of this.subscriptions) this.deliver(s, stored);
    return stored;
  }

  /** `properties`: written through protocol v2, whose metadata gets the server's `$schema.*` properties. */
  private write(streamName: string, events: readonly EventData[], current: number, properties = false): FakeRecord {
    const created = new Date();
    const written = events.map((e, i): FakeRecord => {
      // What the server stores is the serialised JSON: a copy, as after a network round trip.
      const data: unknown = e.contentType === 'application/json' ? JSON.parse(JSON.stringify(e.data)) : e.data;
      const stored: unknown = properties
        ? { ...(e.metadata as object | undefined), '$schema.data-format': e.contentType === 'application/json' ? 'Json' : 'Bytes', '$schema.name': e.type }
        : e.metadata;
      const metadata: unknown = stored === undefined ? undefined : JSON.parse(JSON.stringify(stored));
      return {
        streamId: streamName,
        id: e.id.toLowerCase(),
        type: e.type,
        data,
        metadata,
        isJson: e.contentType === 'application/json',
        revision: BigInt(current + 1 + i),
        position: this.allocatePosition(),
        created,
      };
    });
    this.records.push(...written);
    for (const record of written) for (const s of this.subscriptions) this.deliver(s, record);
    return written[written.length - 1]!;
  }

  private deliver(subscription: FakeSubscription, record: FakeRecord): void {
    if (subscription.unsubscribed || subscription.writableEnded) return;
    const from = subscription.startAt;
    const after = from === undefined || (this.subscriptionsStartInclusive ? record.position.commit >= from : record.position.commit > from);
    if (after && matches(record, subscription.logFilter)) subscription.write({ event: toRecordedEvent(record) });
  }

  private allocatePosition(): Position {
    // Byte offsets: increasing, not dense, commit equal to prepare as for single-record commits.
    this.nextPosition += 137n;
    return { commit: this.nextPosition, prepare: this.nextPosition };
  }

  private stream(streamName: string): FakeRecord[] {
    return this.records.filter((r) => r.streamId === streamName);
  }

  private throwIfFailing(): void {
    if (this.failure) throw this.failure;
  }
}

/** The stream state check of KurrentDB, `current` being -1 for a stream that does not exist. */
function stateHolds(state: AppendStreamState, current: number): boolean {
  if (state === 'any') return true;
  if (state === 'no_stream') return current === -1;
  if (state === 'stream_exists') return current >= 0;
  return Number(state) === current;
}

/** A stream state as protocol v2 puts it on the wire. */
function encodeState(state: AppendStreamState): string {
  if (state === 'any') return '-2';
  if (state === 'no_stream') return '-1';
  if (state === 'stream_exists') return '-4';
  return state.toString(10);
}

/** What the client itself checks before a protocol v2 append (1.3.1). */
function assertStringMetadata(operation: string, events: readonly EventData[]): void {
  for (const { metadata } of events) {
    if (metadata === undefined || metadata === null) continue;
    if (
      metadata.constructor === Uint8Array ||
      typeof metadata !== 'object' ||
      Array.isArray(metadata) ||
      Object.values(metadata).some((value) => typeof value !== 'string')
    ) {
      throw new Error(`${operation} requires metadata to be a plain object with string keys and string values.`);
    }
  }
}

function matches(record: FakeRecord, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if ('prefixes' in filter) return filter.prefixes.some((p) => subject.startsWith(p));
  return new RegExp(filter.regex).test(subject);
}

function toRecordedEvent(record: FakeRecord): RecordedEvent {
  return {
    streamId: record.streamId,
    id: record.id,
    isJson: record.isJson,
    revision: record.revision,
    type: record.type,
    created: record.created,
    data: record.data,
    metadata: record.metadata,
    position: record.position,
  } as RecordedEvent;
}
