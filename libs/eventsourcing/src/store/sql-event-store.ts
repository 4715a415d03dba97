import type { SqlClient } from '../sql/sql-client';
import { assertSqlIdentifier, likePrefix } from '../sql/sql-identifiers';
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

interface EventRow {
  position: number;
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
}

/**
 * Event store on PostgreSQL, the same SQL on a server (`pg`) and on embedded PGlite.
 *
 * Appends are serialised by a row lock on the one-row `log_head` table, taken first in the
 * transaction and held until commit; positions are allocated under that lock. So positions
 * are contiguous and committed in order: a reader that sees position p sees every position
 * below it, and a subscriber reading `position > checkpoint` can never miss an event committed
 * late by a concurrent transaction (docs/adr/0003).
 */
export class SqlEventStore implements EventStore {
  private readonly s: string;
  private readonly signal = new AppendSignal();
  private readonly pollIntervalMs: number;

  private constructor(
    private readonly sql: SqlClient,
    schema: string,
    options: SqlEventStoreOptions,
  ) {
    this.s = assertSqlIdentifier(schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
  }

  static async open(sql: SqlClient, schema: string, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(sql, schema, options);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    const s = this.s;
    await migrate(this.sql, `pcn-event-store-${s}`, [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${s}.log_head (
         id boolean PRIMARY KEY DEFAULT true CHECK (id),
         position bigint NOT NULL)`,
      `INSERT INTO ${s}.log_head (id, position) VALUES (true, 0) ON CONFLICT (id) DO NOTHING`,
      `CREATE TABLE IF NOT EXISTS ${s}.streams (
         stream_id text PRIMARY KEY,
         revision bigint NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${s}.events (
         position bigint PRIMARY KEY,
         stream_id text NOT NULL,
         revision bigint NOT NULL,
         event_id uuid NOT NULL UNIQUE,
         type text NOT NULL,
         schema_version integer NOT NULL,
         data jsonb NOT NULL,
         metadata jsonb NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (stream_id, revision))`,
      appendFunction(s),
      // Added after the first release: every statement runs on every open (CREATE OR REPLACE),
      // so databases created before it get it too (docs/adr/0015).
      appendStreamsFunction(s),
    ]);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertValidEvents(streamId, events);
    // One statement, one implicit transaction, one round trip: the log lock is held only while
    // the server runs the function and commits (docs/adr/0003).
    const res = await this.sql.query<{ outcome: 'ok' | 'conflict' | 'existing'; stream_revision: number; last_position: number; existing: ExistingEvent[] | null }>(
      `SELECT outcome, stream_revision, last_position, existing FROM ${this.s}.append_events($1, $2, $3::jsonb)`,
      [streamId, String(expected), JSON.stringify(events.map(toJsonEvent))],
    );
    const row = res.rows[0]!;
    if (row.outcome === 'existing') return replayOf(streamId, events, row.existing ?? []);
    if (row.outcome === 'conflict') {
      assertExpectedRevision(streamId, expected, row.stream_revision);
      throw new Error(`append_events reported a conflict that the expected revision ${String(expected)} does not explain`);
    }
    if (events.length > 0) this.signal.notify();
    return { nextExpectedRevision: row.stream_revision, lastPosition: row.last_position, idempotentReplay: false };
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<MultiAppendResult> {
    assertValidAppends(appends);
    // One statement again: the whole request is checked and written under the log_head lock,
    // in one implicit transaction (docs/adr/0003, 0015).
    const request = appends.map((a) => ({ stream: a.streamId, expected: String(a.expectedRevision), events: a.events.map(toJsonEvent) }));
    const res = await this.sql.query<{
      outcome: 'ok' | 'conflict' | 'existing';
      revisions: number[];
      last_position: number;
      existing: ExistingEvent[] | null;
      failed: number | null;
    }>(`SELECT outcome, revisions, last_position, existing, failed FROM ${this.s}.append_streams($1::jsonb)`, [JSON.stringify(request)]);
    const row = res.rows[0]!;
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
    if (appends.some((a) => a.events.length > 0)) this.signal.notify();
    return { streams: streams([]), lastPosition: row.last_position, idempotentReplay: false };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const res = await this.sql.query<EventRow>(
      `SELECT * FROM ${this.s}.events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    return res.rows.map(fromRow);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [options.after ?? 0, options.maxCount ?? null];
    const where = this.filterClause(options.filter, params);
    const res = await this.sql.query<EventRow>(
      `SELECT * FROM ${this.s}.events WHERE position > $1 ${where} ORDER BY position LIMIT $2`,
      params,
    );
    return res.rows.map(fromRow);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return startCatchUpSubscription(this, this.signal, options, this.pollIntervalMs);
  }

  async headPosition(filter?: LogFilter): Promise<number> {
    if (!filter?.streamPrefixes?.length) {
      const res = await this.sql.query<{ position: number }>(`SELECT position FROM ${this.s}.log_head`);
      return res.rows[0]?.position ?? 0;
    }
    const params: unknown[] = [];
    const where = this.filterClause(filter, params);
    const res = await this.sql.query<{ position: number | null }>(
      `SELECT max(position) AS position FROM ${this.s}.events WHERE true ${where}`,
      params,
    );
    return res.rows[0]?.position ?? 0;
  }

  async close(): Promise<void> {
    this.signal.notify();
  }

  private filterClause(filter: LogFilter | undefined, params: unknown[]): string {
    const prefixes = filter?.streamPrefixes ?? [];
    if (prefixes.length === 0) return '';
    const clauses = prefixes.map((p) => {
      params.push(likePrefix(p));
      return `stream_id LIKE $${params.length}`;
    });
    return `AND (${clauses.join(' OR ')})`;
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

/**
 * The append as one PL/pgSQL function. Under READ COMMITTED each statement of a volatile
 * function takes a fresh snapshot, so everything after the `log_head` lock sees every append
 * committed before the lock was granted: positions stay contiguous and in commit order. The
 * expected-revision rule is the one of `assertExpectedRevision`, which the contract suite pins.
 */
function appendFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
  RETURNS TABLE (outcome text, stream_revision bigint, last_position bigint, existing jsonb)
  LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    v_head bigint;
    v_revision bigint;
    v_existing jsonb;
    v_n integer := jsonb_array_length(p_events);
  BEGIN
    SELECT h.position INTO v_head FROM ${s}.log_head h FOR UPDATE;
    SELECT st.revision INTO v_revision FROM ${s}.streams st WHERE st.stream_id = p_stream;
    v_revision := coalesce(v_revision, -1);
    -- One unique-index probe per new event (LATERAL), whatever plan the function caches.
    SELECT jsonb_agg(jsonb_build_object('id', e.event_id::text, 'streamId', e.stream_id, 'revision', e.revision, 'position', e.position))
      INTO v_existing
      FROM jsonb_array_elements(p_events) AS x(value),
           LATERAL (SELECT * FROM ${s}.events ev WHERE ev.event_id = (x.value->>'id')::uuid) AS e;
    IF v_existing IS NOT NULL THEN
      RETURN QUERY SELECT 'existing'::text, v_revision, v_head, v_existing;
      RETURN;
    END IF;
    IF NOT (p_expected = 'any'
         OR (p_expected = 'no_stream' AND v_revision = -1)
         OR (p_expected = 'stream_exists' AND v_revision >= 0)
         OR (p_expected ~ '^-?[0-9]+$' AND p_expected::bigint = v_revision)) THEN
      RETURN QUERY SELECT 'conflict'::text, v_revision, v_head, NULL::jsonb;
      RETURN;
    END IF;
    IF v_n = 0 THEN
      RETURN QUERY SELECT 'ok'::text, v_revision, v_head, NULL::jsonb;
      RETURN;
    END IF;
    INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
      SELECT v_head + e.ord, p_stream, v_revision + e.ord, (e.value->>'id')::uuid, e.value->>'type',
             (e.value->>'schemaVersion')::int, e.value->'data', e.value->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);
    UPDATE ${s}.log_head SET position = v_head + v_n;
    INSERT INTO ${s}.streams (stream_id, revision) VALUES (p_stream, v_revision + v_n)
      ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision;
    RETURN QUERY SELECT 'ok'::text, v_revision + v_n, v_head + v_n, NULL::jsonb;
  END
  $fn$`;
}

/**
 * The multi-stream append (`appendMany`) as one PL/pgSQL function, on the same rules as
 * `append_events`: the `log_head` lock first, as its own statement, so every later statement
 * sees every append committed before it; then the ids of all the events (one unique-index probe
 * each); then every expected revision, in request order; then all the inserts, at positions
 * `head + 1 …` in request order. `p_appends` is `[{stream, expected, events}]` with distinct
 * streams (the caller checks). Returns the outcome with, per request stream and in order, the
 * revision (current on `existing`/`conflict`, new on `ok`); `failed` is the 0-based index of the
 * first stream whose expected revision does not hold.
 */
function appendStreamsFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.append_streams(p_appends jsonb)
  RETURNS TABLE (outcome text, revisions jsonb, last_position bigint, existing jsonb, failed integer)
  LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    v_head bigint;
    v_position bigint;
    v_revisions bigint[];
    v_existing jsonb;
    v_count integer := jsonb_array_length(p_appends);
    v_append jsonb;
    v_expected text;
    v_n integer;
  BEGIN
    SELECT h.position INTO v_head FROM ${s}.log_head h FOR UPDATE;
    SELECT array_agg(coalesce(st.revision, -1) ORDER BY a.ord) INTO v_revisions
      FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord)
      LEFT JOIN ${s}.streams st ON st.stream_id = a.value->>'stream';
    SELECT jsonb_agg(jsonb_build_object('id', e.event_id::text, 'streamId', e.stream_id, 'revision', e.revision, 'position', e.position))
      INTO v_existing
      FROM jsonb_array_elements(p_appends) AS a(value),
           jsonb_array_elements(a.value->'events') AS x(value),
           LATERAL (SELECT * FROM ${s}.events ev WHERE ev.event_id = (x.value->>'id')::uuid) AS e;
    IF v_existing IS NOT NULL THEN
      RETURN QUERY SELECT 'existing'::text, to_jsonb(v_revisions), v_head, v_existing, NULL::integer;
      RETURN;
    END IF;
    FOR i IN 1 .. v_count LOOP
      v_expected := p_appends->(i - 1)->>'expected';
      IF NOT (v_expected = 'any'
           OR (v_expected = 'no_stream' AND v_revisions[i] = -1)
           OR (v_expected = 'stream_exists' AND v_revisions[i] >= 0)
           OR (v_expected ~ '^-?[0-9]+$' AND v_expected::bigint = v_revisions[i])) THEN
        RETURN QUERY SELECT 'conflict'::text, to_jsonb(v_revisions), v_head, NULL::jsonb, i - 1;
        RETURN;
      END IF;
    END LOOP;
    v_position := v_head;
    FOR i IN 1 .. v_count LOOP
      v_append := p_appends->(i - 1);
      v_n := jsonb_array_length(v_append->'events');
      CONTINUE WHEN v_n = 0;
      INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
        SELECT v_position + e.ord, v_append->>'stream', v_revisions[i] + e.ord, (e.value->>'id')::uuid, e.value->>'type',
               (e.value->>'schemaVersion')::int, e.value->'data', e.value->'metadata'
        FROM jsonb_array_elements(v_append->'events') WITH ORDINALITY AS e(value, ord);
      INSERT INTO ${s}.streams (stream_id, revision) VALUES (v_append->>'stream', v_revisions[i] + v_n)
        ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision;
      v_revisions[i] := v_revisions[i] + v_n;
      v_position := v_position + v_n;
    END LOOP;
    IF v_position > v_head THEN
      UPDATE ${s}.log_head SET position = v_position;
    END IF;
    RETURN QUERY SELECT 'ok'::text, to_jsonb(v_revisions), v_position, NULL::jsonb, NULL::integer;
  END
  $fn$`;
}
