import type { SqlClient } from '../sql/sql-client';
import { assertSqlIdentifier } from '../sql/sql-identifiers';
import { eventStoreMigration } from './sql-event-store-schema';
import { EVENT_COLUMNS, headQuery, logPageQuery } from './sql-log-queries';
import type { LogPage } from './catch-up-subscription';
import { migrate } from '../sql/migrate';
import type { NewEvent, RecordedEvent, EventMetadata } from './event';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogFilter,
  MultiAppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from './event-store';
import { AppendSignal } from './append-signal';
import { startCatchUpSubscription } from './catch-up-subscription';
import { assertExpectedRevision, EventIdConflictError } from './store-errors';
import { assertValidAppends, assertValidEvents } from './event-validation';
import { compareParts, isSameAppend } from './in-memory-event-store';
import { DEFAULT_GROUP_COMMIT, GroupCommit, type GroupCommitOptions, type MergedAppend } from './group-commit';

/** The largest transaction id: a frontier above every transaction. */
const MAX_XID8 = '18446744073709551615';

interface EventRow {
  position: number;
  scanned_to?: number | null;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date | string;
}

export interface SqlEventStoreOptions {
  /** How often a caught-up subscription looks for appends made by other processes. */
  readonly pollIntervalMs?: number;
  /** Concurrent appends merged into one statement when the slots are busy (`group-commit.ts`). */
  readonly groupCommit?: GroupCommitOptions;
}

interface AppendStreamsRow {
  outcome: 'ok' | 'conflict' | 'existing';
  revisions: number[];
  last_position: number;
  existing: ExistingEvent[] | null;
  failed: number | null;
}

/**
 * Event store on PostgreSQL, the same SQL on a server (`pg`) and on embedded PGlite.
 *
 * Appends lock only their own streams and overlap their commits; positions follow transaction
 * ids, and readers read only below the frontier of appends still in flight, so the global log
 * is gap-free for readers: a subscriber reading `position > checkpoint` never misses an event
 * committed late by a concurrent transaction (docs/adr/0003, `sql-event-store-schema.ts`).
 */
export class SqlEventStore implements EventStore {
  private readonly s: string;
  private readonly signal = new AppendSignal();
  private readonly pollIntervalMs: number;
  private readonly group: GroupCommit;

  private constructor(
    private readonly sql: SqlClient,
    schema: string,
    options: SqlEventStoreOptions,
  ) {
    this.s = assertSqlIdentifier(schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.group = new GroupCommit((appends) => this.appendMerged(appends), options.groupCommit ?? DEFAULT_GROUP_COMMIT);
  }

  static async open(sql: SqlClient, schema: string, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(sql, schema, options);
    await migrate(sql, `pcn-event-store-${store.s}`, eventStoreMigration(store.s));
    return store;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertValidEvents(streamId, events);
    if (events.length === 0) return this.appendEvents(streamId, events, expected);
    return this.group.submit(
      [{ streamId, events, expectedRevision: expected }],
      () => this.appendEvents(streamId, events, expected),
      (streams, lastPosition) => ({ nextExpectedRevision: streams[0]!.nextExpectedRevision, lastPosition, idempotentReplay: false }),
    );
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    assertValidAppends(appends);
    if (appends.every((a) => a.events.length === 0)) return this.appendStreams(appends);
    return this.group.submit(
      appends,
      () => this.appendStreams(appends),
      (streams, lastPosition) => ({ streams, lastPosition, idempotentReplay: false }),
    );
  }

  /** One stream's append on its own: one statement, one implicit transaction, one round trip (docs/adr/0003). */
  private async appendEvents(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const res = await this.retryingRaces(() =>
      this.sql.query<{ outcome: 'ok' | 'conflict' | 'existing'; stream_revision: number; last_position: number; existing: ExistingEvent[] | null }>(
        `SELECT outcome, stream_revision, last_position, existing FROM ${this.s}.append_events($1, $2, $3::jsonb)`,
        [streamId, String(expected), JSON.stringify(events.map(toJsonEvent))],
      ),
    );
    const row = res.rows[0]!;
    if (row.outcome === 'existing') return replayOf(streamId, events, row.existing ?? []);
    if (row.outcome === 'conflict') {
      assertExpectedRevision(streamId, expected, row.stream_revision);
      throw new Error(`append_events reported a conflict that the expected revision ${String(expected)} does not explain`);
    }
    if (events.length > 0) this.signal.notify([streamId]);
    return { nextExpectedRevision: row.stream_revision, lastPosition: row.last_position, idempotentReplay: false };
  }

  /**
   * One request on its own: the whole request is checked and written in one statement, one
   * implicit transaction (docs/adr/0003, 0015).
   */
  private async appendStreams(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    const row = await this.callAppendStreams(appends);
    const streams = (revisions: readonly (number | undefined)[]): MultiAppendResult['streams'] =>
      appends.map((a, i) => ({ streamId: a.streamId, nextExpectedRevision: revisions[i] ?? row.revisions[i]! }));
    if (row.outcome === 'existing') {
      // Ids are unique across the request (assertValidAppends): each stored one belongs to one part.
      const normalised = appends.map((a) => ({ ...a, events: a.events.map((e) => ({ ...e, id: e.id.toLowerCase() })) }));
      const partOf = new Map(normalised.flatMap((a, i) => a.events.map((e) => [e.id, i] as const)));
      const found = normalised.map((): ExistingEvent[] => []);
      for (const x of row.existing ?? []) found[partOf.get(x.id) ?? -1]?.push(x);
      const verdict = compareParts(normalised, found);
      if (!verdict) throw new Error('append_streams reported stored events that the request does not contain');
      return { streams: streams(verdict.revisions), lastPosition: verdict.lastPosition, idempotentReplay: true };
    }
    if (row.outcome === 'conflict') {
      const failed = appends[row.failed ?? -1];
      if (failed) assertExpectedRevision(failed.streamId, failed.expectedRevision, row.revisions[row.failed!]!);
      throw new Error(`append_streams reported a conflict on stream #${row.failed} that its expected revision does not explain`);
    }
    this.notifyWritten(appends);
    return { streams: streams([]), lastPosition: row.last_position, idempotentReplay: false };
  }

  /** Several callers' requests as one (group commit): all written, or nothing and the parts that refused it. */
  private async appendMerged(appends: readonly StreamAppend[]): Promise<MergedAppend> {
    const row = await this.callAppendStreams(appends);
    if (row.outcome === 'conflict') return { written: false, refusedParts: [row.failed ?? -1] };
    if (row.outcome === 'existing') {
      const partOf = new Map(appends.flatMap((a, i) => a.events.map((e) => [e.id.toLowerCase(), i] as const)));
      return { written: false, refusedParts: [...new Set((row.existing ?? []).map((x) => partOf.get(x.id) ?? -1))] };
    }
    this.notifyWritten(appends);
    return { written: true, revisions: row.revisions, lastPosition: row.last_position };
  }

  private async callAppendStreams(appends: readonly StreamAppend[]): Promise<AppendStreamsRow> {
    const request = appends.map((a) => ({ stream: a.streamId, expected: String(a.expectedRevision), events: a.events.map(toJsonEvent) }));
    const res = await this.retryingRaces(() =>
      this.sql.query<AppendStreamsRow>(`SELECT outcome, revisions, last_position, existing, failed FROM ${this.s}.append_streams($1::jsonb)`, [
        JSON.stringify(request),
      ]),
    );
    return res.rows[0]!;
  }

  private notifyWritten(appends: readonly StreamAppend[]): void {
    const written = appends.filter((a) => a.events.length > 0).map((a) => a.streamId);
    if (written.length > 0) this.signal.notify(written);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const res = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return res.rows.map(fromRow);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readPage(options)).events;
  }

  /**
   * A page of the global log below the frontier of appends in flight, and how far the read
   * reached: the last event's position when the page is full, else the highest position below
   * the frontier (the log holds nothing more for this filter up to there).
   */
  async readPage(options: ReadAllOptions = {}): Promise<LogPage> {
    const query = logPageQuery(this.s, options, this.frontier);
    const res = await this.sql.query<EventRow>(query.text, query.params);
    const events = res.rows.filter((r) => r.position !== null).map(fromRow);
    const full = options.maxCount !== undefined && events.length >= options.maxCount;
    const reach = Math.max(options.after ?? 0, res.rows[0]?.scanned_to ?? 0);
    return { events, scannedTo: full ? events[events.length - 1]!.position : reach };
  }

  subscribe(options: SubscribeOptions): Subscription {
    return startCatchUpSubscription(this, this.signal, options, this.pollIntervalMs);
  }

  /** The position of the last event a reader can see now (below the frontier), 0 when none. */
  async headPosition(filter?: LogFilter): Promise<number> {
    const query = headQuery(this.s, filter, this.frontier);
    const res = await this.sql.query<{ position: number | null }>(query.text, query.params);
    return res.rows[0]?.position ?? 0;
  }

  async close(): Promise<void> {
    this.signal.notify();
  }

  /**
   * The frontier the log functions read below: null, computed by them first (`log_frontier`).
   * PGlite is one connection running one statement at a time (a transaction holds it until it
   * ends): no append is ever in flight while a read runs, so everything committed is below it.
   */
  private get frontier(): string | null {
    return this.sql.dialect === 'pglite' ? MAX_XID8 : null;
  }

  /**
   * Two appends of the same new event id to different streams both pass the id check; the
   * second then fails on the unique index once the first commits. Run again, it finds the id
   * stored and answers as a replay or a conflict like any other call.
   */
  private async retryingRaces<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= 3 || (error as { code?: unknown }).code !== '23505') throw error;
      }
    }
  }
}

function toJsonEvent(event: NewEvent): unknown {
  return { id: event.id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata };
}

function fromRow(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : new Date(row.recorded_at).toISOString(),
  };
}

interface ExistingEvent {
  id: string;
  streamId: string;
  revision: number;
  position: number;
}

/** Event ids already stored: the same append again (a no-op), or a conflict. */
function replayOf(streamId: string, events: readonly NewEvent[], existing: readonly ExistingEvent[]): AppendResult {
  const normalised = events.map((e) => ({ ...e, id: e.id.toLowerCase() }));
  if (!isSameAppend(streamId, normalised, existing)) throw new EventIdConflictError(existing[0]!.id, streamId);
  const last = existing.reduce((a, b) => (b.revision > a.revision ? b : a));
  return { nextExpectedRevision: last.revision, lastPosition: last.position, idempotentReplay: true };
}
