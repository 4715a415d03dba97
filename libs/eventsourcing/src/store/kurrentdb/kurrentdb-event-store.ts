import type { ReadableOptions } from 'node:stream';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  STREAM_STATE,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type AppendRecordInput,
  type AppendRecordsResult,
  type AppendResult as KurrentAppendResult,
  type AppendStreamRequest,
  type AppendToStreamOptions,
  type ConsistencyCheck,
  type EventData,
  type MultiAppendResult as KurrentMultiAppendResult,
  type ReadAllOptions as KurrentReadAllOptions,
  type ReadStreamOptions as KurrentReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { NewEvent, RecordedEvent } from '../event';
import {
  matchesFilter,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type LogFilter,
  type MultiAppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';
import { assertExpectedRevision, EventIdConflictError } from '../store-errors';
import { assertValidAppends, assertValidEvents } from '../event-validation';
import { ConcurrencyError } from '../../errors';
import {
  describeEndpoint,
  KurrentDbError,
  translateError,
  translateMultiAppendError,
  type KurrentDbErrorContext,
  type KurrentDbOperation,
} from './kurrentdb-errors';
import {
  assertScopePrefixes,
  assertWritable,
  candidateStart,
  compareWindow,
  exactExpectedRevision,
  fromKurrentEvent,
  isSystemRecord,
  scopePrefixes,
  serverFilter,
  toEventData,
  toMultiAppendEventData,
  toReadPosition,
  toStoredRef,
  toStreamState,
  type StoredEventRef,
  type WindowVerdict,
} from './kurrentdb-mapping';
import { pumpSubscription, type SubscriptionSource } from './kurrentdb-subscription';

export { KurrentDbError, type KurrentDbErrorReason, type KurrentDbOperation } from './kurrentdb-errors';
export type { KurrentDbEventMetadata } from './kurrentdb-mapping';

/** The calls of `KurrentDBClient` this store makes (a real client satisfies it). */
export interface KurrentDbClientLike {
  appendToStream(streamName: string, events: EventData[], options: AppendToStreamOptions): Promise<KurrentAppendResult>;
  /** KurrentDB 25.1+: atomic append to several streams, each with its expected state and at least one event. */
  multiStreamAppend(requests: AppendStreamRequest[]): Promise<KurrentMultiAppendResult>;
  /** KurrentDB 26.1+: atomic append of records with consistency checks on any stream. */
  appendRecords(records: AppendRecordInput[], checks?: ConsistencyCheck[]): Promise<AppendRecordsResult>;
  readStream(streamName: string, options: KurrentReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options: KurrentReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: SubscribeToAllOptions, readableOptions: ReadableOptions): SubscriptionSource;
  dispose(): Promise<void>;
}

export interface KurrentDbEventStoreOptions {
  /**
   * Restricts the store's global log (readAll, subscribe, headPosition) to streams with these
   * prefixes, for a server shared with other applications. Appends and stream reads are not
   * restricted. A call's own filter narrows it further.
   */
  readonly streamPrefixes?: readonly string[];
}

// Backwards scans for the head skip a few filtered-out records at most (tombstones), so pages stay small.
const HEAD_PAGE = 64;

/**
 * The event store port on KurrentDB (EventStoreDB), the production default.
 *
 * Positions are commit positions of `$all`; revisions are KurrentDB stream revisions.
 * Appends use KurrentDB's optimistic concurrency (the server checks the expected revision
 * atomically). Event ids: KurrentDB deduplicates an append against the events right after the
 * expected revision (for `any`/`stream_exists`, against a bounded in-memory cache of recent
 * ids), and only within that stream; this store adds its own check of the stream (see
 * `append`), so replays and conflicts are reported as by the other adapters, with two
 * differences written there. `$all` is ordered by commit and nothing is committed behind a
 * position a reader has seen, so the log is gap-free for readers and subscribers.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly scope: readonly string[] | undefined;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(
    private readonly client: KurrentDbClientLike,
    private readonly endpoint: string | undefined,
    options: KurrentDbEventStoreOptions,
  ) {
    if (options.streamPrefixes !== undefined) assertScopePrefixes(options.streamPrefixes);
    this.scope = options.streamPrefixes?.length ? [...options.streamPrefixes] : undefined;
  }

  /**
   * Connects (`kurrentdb://host:2113?tls=false`, `kurrentdb+discover://…`) and checks the server
   * answers by reading the head of `$all`, so a wrong address or missing permission fails here,
   * at start-up, rather than on the first command.
   */
  static async connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const endpoint = describeEndpoint(connectionString);
    let client: KurrentDBClient;
    try {
      client = KurrentDBClient.connectionString(connectionString);
    } catch (error) {
      throw new KurrentDbError('invalid-argument', { operation: 'connect', endpoint }, 'invalid connection string', { cause: error });
    }
    const store = new KurrentDbEventStore(client, endpoint, options);
    try {
      await store.head(undefined, 'connect');
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return store;
  }

  /** A store over a client built elsewhere (credentials provider, tests). No connection check. */
  static fromClient(client: KurrentDbClientLike, options: KurrentDbEventStoreOptions & { readonly endpoint?: string } = {}): KurrentDbEventStore {
    return new KurrentDbEventStore(client, options.endpoint, options);
  }

  /**
   * Appends with the server's optimistic concurrency, after looking at the part of the stream
   * where these events would already be if this is a replay: for an exact expectation (a
   * revision, `no_stream`) the revisions right after it, which is also where KurrentDB itself
   * compares ids; for `any`/`stream_exists` the end of the stream. Found there as this same
   * append: a replay, nothing is sent. Some ids found otherwise: EventIdConflictError.
   *
   * Differs from the SQL store: (1) event ids are unique per stream, not globally: KurrentDB has
   * no index by event id, so the same id appended to another stream is written there;
   * (2) an id stored elsewhere in the stream than that window is not seen by this check, and
   * KurrentDB writes it again when the expected revision is the current one (with `any`, its
   * cache of recent ids usually catches it). Two identical appends racing each other both
   * report `idempotentReplay: false`; the stream holds the events once.
   */
  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertValidEvents(streamId, events);
    assertWritable(streamId, events);
    const streamState = toStreamState(expected);
    const context = this.context('append', streamId);
    if (events.length === 0) return this.appendNothing(streamId, expected);

    const before = await this.inspect(streamId, events, expected);
    const settled = settle(before.verdict, streamId);
    if (settled) return settled;

    let written: KurrentAppendResult;
    try {
      written = await this.client.appendToStream(streamId, events.map(toEventData), { streamState });
    } catch (error) {
      const translated = translateError(error, { ...context, expected });
      if (translated instanceof ConcurrencyError) return this.afterConflict(streamId, events, expected, translated);
      throw translated;
    }
    if (!written.success) {
      // A connection string with throwOnAppendFailure=false reports the conflict as a result.
      const current = await this.currentRevision(streamId);
      const conflict = new ConcurrencyError(streamId, String(expected), current === -1 ? 'no_stream' : String(current));
      return this.afterConflict(streamId, events, expected, conflict);
    }

    // The server reports the revision of the last event of the batch, whether it wrote it now
    // or found it already there (its own idempotence): read those revisions back to know the
    // positions and that they hold exactly these events.
    const last = Number(written.nextExpectedRevision);
    const first = last - events.length + 1;
    const stored = first < 0 ? [] : await this.readRefs(streamId, first, events.length);
    const verdict = compareWindow(events, stored);
    if (verdict.kind === 'conflict') throw new EventIdConflictError(verdict.eventId, streamId);
    if (verdict.kind === 'absent') {
      const detail = `the server acknowledged revisions ${first}..${last}, which do not hold the appended events`;
      throw new KurrentDbError('inconsistent-append', context, detail);
    }
    return {
      nextExpectedRevision: last,
      lastPosition: verdict.last.position,
      // Already there when we looked: the server's idempotence, nothing was written now.
      idempotentReplay: first <= before.highestSeen,
    };
  }

  /**
   * The multi-stream append on KurrentDB's own atomic multi-stream writes (docs/adr/0015):
   * `multiStreamAppend` (server 25.1+) when every stream has events; `appendRecords` with a
   * consistency check per stream (server 26.1+; an older one fails with reason `unsupported`)
   * when some stream is only checked, since a 25.1 request per stream needs an event. A request
   * without any event writes nothing: each stream's revision is read and checked, one after the
   * other, not at one instant.
   *
   * The server is not relied on for idempotence by event id: as `append` does, each stream is
   * read first where its part would already be, and read again after a refused expected
   * revision. Every part found there as this same part: a replay, nothing sent; only some parts,
   * or ids elsewhere in the window: EventIdConflictError. The differences written at `append`
   * hold per stream; in addition, two identical requests racing each other with `any` or
   * `stream_exists` can both be written (exact revisions, as the command handler uses, cannot).
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    assertValidAppends(appends);
    // Everything the client or the server would refuse is refused before the first call.
    const parts = appends.map((a) => {
      assertWritable(a.streamId, a.events);
      return { ...a, streamState: toStreamState(a.expectedRevision), data: a.events.map(toMultiAppendEventData) };
    });
    const context = this.context('appendMany');
    if (parts.every((p) => p.events.length === 0)) return this.checkNothingMany(parts);

    const before = await this.inspectMany(parts);
    const settled = await this.settleMany(parts, before);
    if (settled) return settled;

    let written: KurrentMultiAppendResult;
    try {
      written = parts.every((p) => p.events.length > 0)
        ? await this.client.multiStreamAppend(parts.map((p) => ({ streamName: p.streamId, events: p.data, expectedState: p.streamState })))
        : await this.client.appendRecords(
            parts.flatMap((p) => p.data.map((record) => ({ streamName: p.streamId, record }))),
            parts.filter((p) => p.expectedRevision !== 'any').map((p) => ({ type: STREAM_STATE, streamName: p.streamId, expectedState: p.streamState })),
          );
    } catch (error) {
      const translated = translateMultiAppendError(error, context, appends);
      if (!(translated instanceof ConcurrencyError)) throw translated;
      // As for `append`: an identical request may have landed meanwhile.
      const again = await this.settleMany(parts, await this.inspectMany(parts));
      if (again) return again;
      throw translated;
    }

    // Read back what the server acknowledged: the positions, and that it holds these events.
    const acknowledged = new Map(written.responses.map((r) => [r.streamName, Number(r.revision)]));
    const streams: { streamId: string; nextExpectedRevision: number }[] = [];
    let lastPosition = 0;
    let replayed = true;
    for (const [i, p] of parts.entries()) {
      if (p.events.length === 0) {
        const exact = exactExpectedRevision(p.expectedRevision);
        streams.push({ streamId: p.streamId, nextExpectedRevision: exact ?? (await this.currentRevision(p.streamId, 'appendMany')) });
        continue;
      }
      const where = { ...context, streamId: p.streamId };
      const last = acknowledged.get(p.streamId);
      if (last === undefined) throw new KurrentDbError('inconsistent-append', where, 'the server acknowledged the append without a revision for this stream');
      const first = last - p.events.length + 1;
      const verdict = compareWindow(p.events, first < 0 ? [] : await this.readRefs(p.streamId, first, p.events.length, FORWARDS, 'appendMany'));
      if (verdict.kind === 'conflict') throw new EventIdConflictError(verdict.eventId, p.streamId);
      if (verdict.kind === 'absent') {
        throw new KurrentDbError('inconsistent-append', where, `the server acknowledged revisions ${first}..${last}, which do not hold the appended events`);
      }
      lastPosition = Math.max(lastPosition, verdict.last.position);
      // Already there when we looked (an idempotence of the server's own): nothing written now.
      if (first > before[i]!.highestSeen) replayed = false;
      streams.push({ streamId: p.streamId, nextExpectedRevision: last });
    }
    return { streams, lastPosition, idempotentReplay: replayed };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`fromRevision ${from} is not a non-negative integer`);
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const context = this.context('readStream', streamId);
    const read: KurrentReadStreamOptions = {
      fromRevision: BigInt(from),
      direction: FORWARDS,
      ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
    };
    return this.readStreamRecords(streamId, read, context, (event) => fromKurrentEvent(event, context));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const prefixes = scopePrefixes(this.scope, options.filter);
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (prefixes?.length === 0 || max <= 0) return [];
    const context = this.context('readAll');
    const out: RecordedEvent[] = [];
    let from = options.after ?? 0;
    for (;;) {
      // One more than needed: the read starts at `from` inclusive and that event is skipped.
      const want = max === Number.POSITIVE_INFINITY ? undefined : max - out.length + 1;
      let seen = 0;
      let lastPosition: number | undefined;
      // Outside the try: a bad `after` is the caller's RangeError, not a server failure.
      const fromPosition = toReadPosition(from);
      try {
        const read = this.client.readAll({
          fromPosition,
          direction: FORWARDS,
          filter: serverFilter(prefixes),
          ...(want !== undefined && { maxCount: want }),
        });
        for await (const resolved of read) {
          seen++;
          const record = resolved.event;
          if (!record) continue;
          // Paging goes by every record read, kept or not.
          lastPosition = toStoredRef(record, context).position;
          const event = this.acceptLogRecord(record, prefixes, context);
          if (event === undefined || event.position <= from) continue;
          out.push(event);
          if (out.length >= max) return out;
        }
      } catch (error) {
        throw translateError(error, context);
      }
      // A page shortened by events dropped on the client (tombstones): read on after it.
      if (want === undefined || seen < want || lastPosition === undefined || lastPosition <= from) return out;
      from = lastPosition;
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    const prefixes = scopePrefixes(this.scope, options.filter);
    const batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize ${batchSize} must be a positive integer`);
    const context = this.context('subscribe');
    if (prefixes?.length === 0) return idleSubscription(options.after);
    const source = this.client.subscribeToAll(
      { fromPosition: toReadPosition(options.after ?? 0), filter: serverFilter(prefixes) },
      // The stream buffers at most a batch on each side: the back-pressure bound.
      { highWaterMark: batchSize },
    );
    const subscription = pumpSubscription<AllStreamResolvedEvent>({
      source,
      subscribe: options,
      batchSize,
      accept: (resolved) => (resolved.event ? this.acceptLogRecord(resolved.event, prefixes, context) : undefined),
      translate: (error) => translateError(error, context),
      ended: () => new KurrentDbError('subscription-ended', context, 'the server ended the subscription'),
      onFinished: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(filter?: LogFilter): Promise<number> {
    return this.head(filter, 'headPosition');
  }

  async close(): Promise<void> {
    const context = this.context('close');
    const stops = await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    try {
      await this.client.dispose();
    } catch (error) {
      throw translateError(error, context);
    }
    const failure = stops.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw translateError(failure.reason, context);
  }

  /** The last matching event of `$all`, read backwards; 0 for an empty log. */
  private async head(filter: LogFilter | undefined, operation: KurrentDbOperation): Promise<number> {
    const prefixes = scopePrefixes(this.scope, filter);
    if (prefixes?.length === 0) return 0;
    const context = this.context(operation);
    let from: number | undefined;
    for (;;) {
      let seen = 0;
      let lastPosition: number | undefined;
      const fromPosition = from === undefined ? END : toReadPosition(from);
      try {
        const read = this.client.readAll({
          fromPosition,
          direction: BACKWARDS,
          maxCount: HEAD_PAGE,
          filter: serverFilter(prefixes),
        });
        for await (const resolved of read) {
          seen++;
          const record = resolved.event;
          if (!record) continue;
          // Only the position matters here: the head is not where foreign events get refused.
          const position = toStoredRef(record, context).position;
          lastPosition = position;
          if (!this.inLog(record, prefixes)) continue;
          if (from === undefined || position < from) return position;
        }
      } catch (error) {
        throw translateError(error, context);
      }
      if (seen < HEAD_PAGE || lastPosition === undefined || (from !== undefined && lastPosition >= from)) return 0;
      from = lastPosition;
    }
  }

  /** An event of the global log, or undefined for what the log leaves out (system records). */
  private acceptLogRecord(
    record: NonNullable<AllStreamResolvedEvent['event']>,
    prefixes: readonly string[] | undefined,
    context: KurrentDbErrorContext,
  ): RecordedEvent | undefined {
    return this.inLog(record, prefixes) ? fromKurrentEvent(record, context) : undefined;
  }

  private inLog(record: { readonly streamId: string; readonly type: string }, prefixes: readonly string[] | undefined): boolean {
    // The server filtered already; this keeps the port's guarantee whatever the server did.
    return !isSystemRecord(record) && (prefixes === undefined || matchesFilter(record.streamId, { streamPrefixes: prefixes }));
  }

  /**
   * The stored events where this append would already be if it were a replay, and the highest
   * revision seen (what existed before the append, -1 if nothing was seen).
   */
  private async inspect(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    operation: KurrentDbOperation = 'append',
  ): Promise<{ verdict: WindowVerdict; highestSeen: number }> {
    const exact = exactExpectedRevision(expected);
    const window =
      exact === undefined
        ? (await this.readRefs(streamId, END, events.length, BACKWARDS, operation)).reverse()
        : await this.readRefs(streamId, exact + 1, events.length, FORWARDS, operation);
    const highestSeen = window.length > 0 ? window[window.length - 1]!.revision : -1;
    let verdict = compareWindow(events, window);
    if (verdict.kind === 'conflict') {
      // Some ids are here: are they this same append starting a little earlier or later?
      const start = candidateStart(events, window);
      if (start !== undefined && start >= 0 && start !== window[0]?.revision) {
        const candidate = compareWindow(events, await this.readRefs(streamId, start, events.length, FORWARDS, operation));
        if (candidate.kind === 'replay') verdict = candidate;
      }
    }
    return { verdict, highestSeen };
  }

  /** The server refused the expected revision: unless our events are there after all, a conflict. */
  private async afterConflict(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, conflict: ConcurrencyError): Promise<AppendResult> {
    // KurrentDB also answers "wrong expected version" when only some of the ids are stored
    // after the expected revision, and an identical append may have landed meanwhile.
    const { verdict } = await this.inspect(streamId, events, expected);
    const settled = settle(verdict, streamId);
    if (settled) return settled;
    throw conflict;
  }

  /** `inspect` for each part with events; parts without events get an empty verdict. */
  private async inspectMany(parts: readonly StreamAppend[]): Promise<{ verdict: WindowVerdict; highestSeen: number }[]> {
    return Promise.all(
      parts.map((p) =>
        p.events.length > 0 ? this.inspect(p.streamId, p.events, p.expectedRevision, 'appendMany') : { verdict: { kind: 'absent' as const }, highestSeen: -1 },
      ),
    );
  }

  /** `settle` for a multi-stream append: a replay only when every part with events is one. */
  private async settleMany(parts: readonly StreamAppend[], inspected: readonly { verdict: WindowVerdict }[]): Promise<MultiAppendResult | undefined> {
    const verdicts = inspected.map((x) => x.verdict);
    const conflict = verdicts.findIndex((v) => v.kind === 'conflict');
    if (conflict !== -1) throw new EventIdConflictError((verdicts[conflict] as { eventId: string }).eventId, parts[conflict]!.streamId);
    const replayed = verdicts.findIndex((v) => v.kind === 'replay');
    if (replayed === -1) return undefined;
    // Some parts stored, others not: the request is half there, never a replay.
    const absent = parts.findIndex((p, i) => p.events.length > 0 && verdicts[i]!.kind === 'absent');
    if (absent !== -1) throw new EventIdConflictError(parts[replayed]!.events[0]!.id.toLowerCase(), parts[replayed]!.streamId);
    let lastPosition = 0;
    const streams = await Promise.all(
      parts.map(async (p, i) => {
        const verdict = verdicts[i]!;
        if (verdict.kind !== 'replay') return { streamId: p.streamId, nextExpectedRevision: await this.currentRevision(p.streamId, 'appendMany') };
        lastPosition = Math.max(lastPosition, verdict.last.position);
        return { streamId: p.streamId, nextExpectedRevision: verdict.last.revision };
      }),
    );
    return { streams, lastPosition, idempotentReplay: true };
  }

  /** A multi-stream append without events: every expected revision checked against a read, in order. */
  private async checkNothingMany(parts: readonly StreamAppend[]): Promise<MultiAppendResult> {
    const revisions = await Promise.all(parts.map((p) => this.currentRevision(p.streamId, 'appendMany')));
    parts.forEach((p, i) => assertExpectedRevision(p.streamId, p.expectedRevision, revisions[i]!));
    return {
      streams: parts.map((p, i) => ({ streamId: p.streamId, nextExpectedRevision: revisions[i]! })),
      lastPosition: await this.head(undefined, 'appendMany'),
      idempotentReplay: false,
    };
  }

  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const current = await this.currentRevision(streamId);
    assertExpectedRevision(streamId, expected, current);
    return { nextExpectedRevision: current, lastPosition: await this.headPosition(), idempotentReplay: false };
  }

  private async currentRevision(streamId: string, operation: KurrentDbOperation = 'append'): Promise<number> {
    const last = await this.readRefs(streamId, END, 1, BACKWARDS, operation);
    return last[0]?.revision ?? -1;
  }

  /** Ids, revisions and positions of up to `count` events from `from`; empty for a missing stream. */
  private async readRefs(
    streamId: string,
    from: number | typeof END,
    count: number,
    direction: typeof FORWARDS | typeof BACKWARDS = FORWARDS,
    operation: KurrentDbOperation = 'append',
  ): Promise<StoredEventRef[]> {
    const context = this.context(operation, streamId);
    return this.readStreamRecords(streamId, { fromRevision: from === END ? END : BigInt(from), direction, maxCount: count }, context, (event) =>
      toStoredRef(event, context),
    );
  }

  private async readStreamRecords<T>(
    streamId: string,
    options: KurrentReadStreamOptions,
    context: KurrentDbErrorContext,
    map: (event: NonNullable<ResolvedEvent['event']>) => T,
  ): Promise<T[]> {
    const out: T[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) out.push(map(resolved.event));
      }
    } catch (error) {
      // A stream that does not exist reads as empty, as in the other adapters.
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error, context);
    }
    return out;
  }

  private context(operation: KurrentDbOperation, streamId?: string): KurrentDbErrorContext {
    return { operation, ...(streamId !== undefined && { streamId }), ...(this.endpoint !== undefined && { endpoint: this.endpoint }) };
  }
}

/** The outcome when the events are found stored: a replay to return, a conflict to throw. */
function settle(verdict: WindowVerdict, streamId: string): AppendResult | undefined {
  if (verdict.kind === 'conflict') throw new EventIdConflictError(verdict.eventId, streamId);
  if (verdict.kind === 'replay') {
    return { nextExpectedRevision: verdict.last.revision, lastPosition: verdict.last.position, idempotentReplay: true };
  }
  return undefined;
}

/** A subscription whose filter and the store's scope share no stream: nothing to deliver. */
function idleSubscription(after: number | undefined): Subscription {
  return {
    position: after,
    async stop() {},
  };
}
