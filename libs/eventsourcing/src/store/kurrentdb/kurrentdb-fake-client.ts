import { PassThrough, type ReadableOptions } from 'node:stream';
import {
  END,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendToStreamOptions,
  type EventData,
  type Filter,
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

  private write(streamName: string, events: readonly EventData[], current: number): FakeRecord {
    const created = new Date();
    const written = events.map((e, i): FakeRecord => {
      // What the server stores is the serialised JSON: a copy, as after a network round trip.
      const data: unknown = e.contentType === 'application/json' ? JSON.parse(JSON.stringify(e.data)) : e.data;
      const metadata: unknown = e.metadata === undefined ? undefined : JSON.parse(JSON.stringify(e.metadata));
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
