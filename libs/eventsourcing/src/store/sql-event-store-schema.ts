import { EVENT_COLUMNS } from './sql-log-queries';
import { streamCategorySql } from './stream-category';

/**
 * The SQL store's tables and functions for one schema (docs/adr/0003). Every statement is
 * idempotent and runs on every open, in one transaction under an advisory lock (`migrate`), so
 * a schema created by an earlier release is brought forward by the next start.
 *
 * How the global log stays gap-free for readers while commits overlap:
 * - an append locks only its own streams (transaction-level advisory locks keyed by schema and
 *   stream id), then, in a very short critical section under a session-level advisory lock
 *   released before the insert, takes its transaction id and its block of positions from the
 *   `event_position` sequence. So positions increase with transaction ids, and the inserts and
 *   the commits of different appends overlap;
 * - every event row keeps its transaction id (`transaction_id xid8`). A reader first computes a
 *   frontier, the oldest transaction id that may still be an append in flight in this schema
 *   (`logFrontierSql`), then, in a later statement, reads only rows below it: those
 *   transactions have all ended, and any event that commits later has a larger transaction id,
 *   hence a larger position than everything read. A position alone stays a safe checkpoint.
 */

/** Advisory-lock key (first half) of the per-stream locks of this schema. */
export function streamLockKey(s: string): string {
  return `hashtext('pcn-es:${s}')`;
}

/** Advisory-lock key (bigint) of the position-allocation critical section of this schema. */
function sectionLockKey(s: string): string {
  return `hashtext('pcn-es-positions:${s}')::bigint`;
}

export function eventStoreMigration(s: string): string[] {
  const category = streamCategorySql('stream_id');
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE SEQUENCE IF NOT EXISTS ${s}.event_position AS bigint MINVALUE 1`,
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
       transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       category text COLLATE "C" NOT NULL GENERATED ALWAYS AS (${category}) STORED,
       UNIQUE (stream_id, revision))`,
    // A schema of the release with the log_head lock: its events were committed in position
    // order, long ago, so transaction id 0 puts them below every frontier; the sequence resumes
    // after the head. Runs once: the block drops log_head.
    `DO $upgrade$ BEGIN
       IF to_regclass('${s}.log_head') IS NOT NULL THEN
         ALTER TABLE ${s}.events
           ADD COLUMN IF NOT EXISTS transaction_id xid8 NOT NULL DEFAULT '0'::xid8,
           ADD COLUMN IF NOT EXISTS category text COLLATE "C" NOT NULL GENERATED ALWAYS AS (${category}) STORED;
         ALTER TABLE ${s}.events ALTER COLUMN transaction_id SET DEFAULT pg_current_xact_id();
         PERFORM setval('${s}.event_position', greatest(h.position, 1), h.position > 0)
           FROM (SELECT greatest((SELECT max(position) FROM ${s}.log_head), (SELECT max(position) FROM ${s}.events), 0) AS position) AS h;
         DROP TABLE ${s}.log_head;
       END IF;
     END $upgrade$`,
    `CREATE INDEX IF NOT EXISTS events_category_position ON ${s}.events (category, position)`,
    allocatePositionsFunction(s),
    appendFunction(s),
    appendStreamsFunction(s),
    ...logReadFunctions(s),
  ];
}

/**
 * The frontier (as text, an xid8) below which every transaction that may have appended to this
 * schema has ended. Starts from the statement's snapshot: its `xmax` when nothing else is in
 * flight; otherwise the oldest in-flight transaction id, leaving out only those shown, at one
 * instant of the lock table, to be running without any stream lock of this schema (an append
 * takes its stream locks before its transaction id, and keeps them until it has ended, so such
 * a transaction is not an append here, or has already ended, which the next statement's
 * snapshot then sees). Everything else, unknown included, holds the frontier back.
 * Must run as a statement of its own, before the read that uses it.
 */
export function logFrontierSql(s: string): string {
  return `WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
    busy AS MATERIALIZED (SELECT x FROM snap, pg_snapshot_xip(snap.s) AS x),
    locks AS MATERIALIZED (
      SELECT l.locktype, l.virtualtransaction, l.transactionid::text AS xid, l.classid, l.objsubid, l.database
      FROM pg_locks l WHERE EXISTS (SELECT 1 FROM busy) AND l.locktype IN ('transactionid', 'advisory'))
    SELECT coalesce(
      (SELECT min(b.x) FROM busy b WHERE NOT EXISTS (
         SELECT 1 FROM locks t
         WHERE t.locktype = 'transactionid' AND t.xid = (b.x::text::numeric % 4294967296)::text
           AND NOT EXISTS (
             SELECT 1 FROM locks a
             WHERE a.locktype = 'advisory' AND a.virtualtransaction = t.virtualtransaction AND a.objsubid = 2
               AND a.classid = ${streamLockKey(s)}::oid
               AND a.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())))),
      (SELECT pg_snapshot_xmax(snap.s) FROM snap))::text AS frontier`;
}

/**
 * The critical section: the transaction's id, then `n` consecutive positions, under a session
 * lock held for microseconds, never across the insert or the commit. Refuses a transaction that
 * already has an id: positions must follow transaction ids, and the frontier relies on an
 * append holding its stream locks before its id exists.
 */
function allocatePositionsFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.allocate_positions(p_count integer)
  RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
  DECLARE
    v_first bigint;
    v_locked boolean := false;
  BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'an append to ${s} must be the first write of its transaction' USING ERRCODE = '55000';
    END IF;
    BEGIN
      PERFORM pg_advisory_lock(${sectionLockKey(s)});
      v_locked := true;
      PERFORM pg_current_xact_id();
      v_first := nextval('${s}.event_position');
      IF p_count > 1 THEN
        PERFORM setval('${s}.event_position', v_first + p_count - 1);
      END IF;
      PERFORM pg_advisory_unlock(${sectionLockKey(s)});
    EXCEPTION WHEN OTHERS THEN
      IF v_locked THEN
        PERFORM pg_advisory_unlock(${sectionLockKey(s)});
      END IF;
      RAISE;
    END;
    RETURN v_first;
  END
  $fn$`;
}

/** The expected-revision rule of `assertExpectedRevision`, in SQL (the contract suite pins it). */
function expectedHolds(expected: string, revision: string): string {
  return `(${expected} = 'any'
         OR (${expected} = 'no_stream' AND ${revision} = -1)
         OR (${expected} = 'stream_exists' AND ${revision} >= 0)
         OR (${expected} ~ '^-?[0-9]+$' AND ${expected}::bigint = ${revision}))`;
}

/**
 * `append_events(stream, expected, events)`: one statement, one implicit transaction, one round
 * trip. The stream lock is a statement of its own: under READ COMMITTED each statement of a
 * volatile function takes a new snapshot, so what follows sees every append to the stream
 * committed before the lock was granted. The existing-id check is an index probe by
 * construction (`event_id = ANY(array)`, and `enable_seqscan` off for the function), so the
 * plan PL/pgSQL caches per connection cannot turn into a scan of `events` as the log grows.
 */
function appendFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
  RETURNS TABLE (outcome text, stream_revision bigint, last_position bigint, existing jsonb)
  LANGUAGE plpgsql VOLATILE ${settings} AS $fn$
  DECLARE
    v_revision bigint;
    v_existing jsonb;
    v_ids uuid[];
    v_first bigint;
    v_n integer := jsonb_array_length(p_events);
  BEGIN
    PERFORM pg_advisory_xact_lock(${streamLockKey(s)}, hashtext(p_stream));
    v_revision := coalesce((${streamRevisionSql(s, 'p_stream')}), -1);
    v_ids := ARRAY(SELECT (x.value->>'id')::uuid FROM jsonb_array_elements(p_events) AS x(value));
    v_existing := (${existingEventsSql(s, 'v_ids')});
    IF v_existing IS NOT NULL THEN
      RETURN QUERY SELECT 'existing'::text, v_revision, NULL::bigint, v_existing;
      RETURN;
    END IF;
    IF NOT ${expectedHolds('p_expected', 'v_revision')} THEN
      RETURN QUERY SELECT 'conflict'::text, v_revision, NULL::bigint, NULL::jsonb;
      RETURN;
    END IF;
    IF v_n = 0 THEN
      RETURN QUERY SELECT 'ok'::text, v_revision, (${lastPositionSql(s)}), NULL::jsonb;
      RETURN;
    END IF;
    v_first := ${s}.allocate_positions(v_n);
    INSERT INTO ${s}.events (position, transaction_id, stream_id, revision, event_id, type, schema_version, data, metadata)
      SELECT v_first + e.ord - 1, pg_current_xact_id(), p_stream, v_revision + e.ord, (e.value->>'id')::uuid, e.value->>'type',
             (e.value->>'schemaVersion')::int, e.value->'data', e.value->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord);
    INSERT INTO ${s}.streams (stream_id, revision) VALUES (p_stream, v_revision + v_n)
      ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision;
    RETURN QUERY SELECT 'ok'::text, v_revision + v_n, v_first + v_n - 1, NULL::jsonb;
  END
  $fn$`;
}

/**
 * The settings of the append functions: no plan they cache may scan `events` or `streams`, only
 * probe their indexes, whatever the tables' size when the plan was made.
 */
export const APPEND_PLAN_SETTINGS = { enable_seqscan: 'off' } as const;

/** The stored events among the ids `ids` (a uuid[]), as JSON: one unique-index probe per id. */
export function existingEventsSql(s: string, ids: string): string {
  return `SELECT jsonb_agg(jsonb_build_object('id', ev.event_id::text, 'streamId', ev.stream_id, 'revision', ev.revision, 'position', ev.position))
      FROM ${s}.events ev WHERE ev.event_id = ANY (${ids})`;
}

/** A stream's revision (no row when it does not exist): one primary-key probe. */
export function streamRevisionSql(s: string, stream: string): string {
  return `SELECT st.revision FROM ${s}.streams st WHERE st.stream_id = ${stream}`;
}

/** The head of the log, for an append that writes nothing: the end of the primary key. */
export function lastPositionSql(s: string): string {
  return `SELECT coalesce((SELECT ev.position FROM ${s}.events ev ORDER BY ev.position DESC LIMIT 1), 0)`;
}

/** A function's `SET name = value ...` clause: the settings its statements are planned and run under. */
function settingsClause(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([name, value]) => `SET ${name} = ${value}`)
    .join(' ');
}

const settings = settingsClause(APPEND_PLAN_SETTINGS);

/**
 * `append_streams(appends)` (`appendMany`), on the rules of `append_events`: the locks of all
 * the streams first, in one order (sorted keys: two requests sharing streams cannot deadlock);
 * then every revision (one primary-key probe per stream, a subquery per row by construction)
 * and the ids; then every expected revision in request order; then one block of positions for
 * all the events, in request order. `p_appends` is `[{stream, expected, events}]` with distinct
 * streams (the caller checks). Returns, per request stream and in order, the revision (current
 * on `existing`/`conflict`, new on `ok`); `failed` is the 0-based index of the first stream
 * whose expected revision does not hold.
 */
function appendStreamsFunction(s: string): string {
  return `CREATE OR REPLACE FUNCTION ${s}.append_streams(p_appends jsonb)
  RETURNS TABLE (outcome text, revisions jsonb, last_position bigint, existing jsonb, failed integer)
  LANGUAGE plpgsql VOLATILE ${settings} AS $fn$
  DECLARE
    v_revisions bigint[];
    v_ids uuid[];
    v_existing jsonb;
    v_count integer := jsonb_array_length(p_appends);
    v_expected text;
    v_total integer;
    v_position bigint;
  BEGIN
    -- One statement for all the locks, in key order: a PL/pgSQL loop of one PERFORM per stream
    -- cost about a tenth of an import batch's append.
    PERFORM pg_advisory_xact_lock(${streamLockKey(s)}, k.key)
      FROM (SELECT DISTINCT hashtext(a.value->>'stream') AS key FROM jsonb_array_elements(p_appends) AS a(value) ORDER BY 1) AS k;
    v_revisions := ARRAY(
      SELECT coalesce((${streamRevisionSql(s, "a.value->>'stream'")}), -1)
      FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord) ORDER BY a.ord);
    v_ids := ARRAY(
      SELECT (x.value->>'id')::uuid
      FROM jsonb_array_elements(p_appends) AS a(value), jsonb_array_elements(a.value->'events') AS x(value));
    v_existing := (${existingEventsSql(s, 'v_ids')});
    IF v_existing IS NOT NULL THEN
      RETURN QUERY SELECT 'existing'::text, to_jsonb(v_revisions), NULL::bigint, v_existing, NULL::integer;
      RETURN;
    END IF;
    FOR i IN 1 .. v_count LOOP
      v_expected := p_appends->(i - 1)->>'expected';
      IF NOT ${expectedHolds('v_expected', 'v_revisions[i]')} THEN
        RETURN QUERY SELECT 'conflict'::text, to_jsonb(v_revisions), NULL::bigint, NULL::jsonb, i - 1;
        RETURN;
      END IF;
    END LOOP;
    v_total := cardinality(v_ids);
    IF v_total = 0 THEN
      RETURN QUERY SELECT 'ok'::text, to_jsonb(v_revisions), (${lastPositionSql(s)}), NULL::jsonb, NULL::integer;
      RETURN;
    END IF;
    v_position := ${s}.allocate_positions(v_total) - 1;
    -- One INSERT of every event and one upsert of every stream, however many streams (an import
    -- batch writes a thousand): a statement per stream cost PL/pgSQL more than the rows cost to
    -- write. Each stream's positions follow those of the streams before it in the request.
    WITH a AS (
        SELECT a.ord, a.value->>'stream' AS stream, v_revisions[a.ord] AS revision,
               jsonb_array_length(a.value->'events') AS n, a.value->'events' AS events
        FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord)),
      placed AS (
        SELECT a.*, v_position + coalesce(sum(a.n) OVER (ORDER BY a.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS before
        FROM a),
      inserted AS (
        INSERT INTO ${s}.events (position, transaction_id, stream_id, revision, event_id, type, schema_version, data, metadata)
        SELECT p.before + e.ord, pg_current_xact_id(), p.stream, p.revision + e.ord, (e.value->>'id')::uuid, e.value->>'type',
               (e.value->>'schemaVersion')::int, e.value->'data', e.value->'metadata'
        FROM placed p, jsonb_array_elements(p.events) WITH ORDINALITY AS e(value, ord))
    INSERT INTO ${s}.streams (stream_id, revision)
      SELECT p.stream, p.revision + p.n FROM placed p WHERE p.n > 0
      ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision;
    v_revisions := ARRAY(
      SELECT v_revisions[a.ord] + jsonb_array_length(a.value->'events')
      FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a(value, ord) ORDER BY a.ord);
    v_position := v_position + v_total;
    RETURN QUERY SELECT 'ok'::text, to_jsonb(v_revisions), v_position, NULL::jsonb, NULL::integer;
  END
  $fn$`;
}

/**
 * The settings of the log reads: a page is an ordered range of an index that stops once full,
 * whatever the statistics say. A log that grew since it was last analysed (a bulk import, a
 * burst, autovacuum off or behind) makes the planner think a range holds a few rows, and a
 * bitmap scan then reads every row after the position and sorts them: tens of milliseconds a
 * page at 300,000 events, where the ordered range takes one.
 */
export const LOG_READ_PLAN_SETTINGS = { enable_bitmapscan: 'off' } as const;

const readSettings = settingsClause(LOG_READ_PLAN_SETTINGS);

/**
 * `log_page(after, frontier, limit, scans)` and `log_head(frontier, scans)`: the reads of the
 * log, in one round trip. A NULL frontier is computed first (`log_frontier`), a statement of
 * its own inside these volatile functions, so the read after it runs in a later snapshot, as
 * `logFrontierSql` requires. One ordered index range per scan (`{category?, categoryLike?,
 * streamLike?}`, see `sql-log-queries.ts`; none: the whole log). The statement is built here
 * with the scans as literals, so each call is planned for its categories, and run under
 * `LOG_READ_PLAN_SETTINGS`. `log_page_statement` shows what `log_page` runs, for the plan tests.
 */
function logReadFunctions(s: string): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${s}.log_branches(p_scans jsonb)
     RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $fn$
       SELECT concat_ws(' AND ',
           CASE WHEN sc.value ? 'category' THEN format('category = %L', sc.value->>'category') END,
           CASE WHEN sc.value ? 'categoryLike' THEN format('category LIKE %L', sc.value->>'categoryLike') END,
           CASE WHEN sc.value ? 'streamLike' THEN format('stream_id LIKE %L', sc.value->>'streamLike') END,
           'true')
       FROM jsonb_array_elements(CASE WHEN jsonb_array_length(p_scans) = 0 THEN '[{}]'::jsonb ELSE p_scans END) WITH ORDINALITY AS sc(value, ord)
       ORDER BY sc.ord
     $fn$`,
    `CREATE OR REPLACE FUNCTION ${s}.log_page_statement(p_scans jsonb)
     RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
       SELECT format(
         'WITH page AS (%s), '
         'reach AS (SELECT (SELECT position FROM ${s}.events WHERE transaction_id < $2 ORDER BY position DESC LIMIT 1) AS scanned_to) '
         'SELECT page.*, reach.scanned_to FROM reach LEFT JOIN page ON true ORDER BY page.position LIMIT $3',
         string_agg(format('(SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE %s AND position > $1 AND transaction_id < $2 ORDER BY position LIMIT $3)', b), ' UNION ALL '))
       FROM ${s}.log_branches(p_scans) AS b
     $fn$`,
    `CREATE OR REPLACE FUNCTION ${s}.log_frontier(p_frontier xid8)
     RETURNS xid8 LANGUAGE plpgsql VOLATILE AS $fn$
     BEGIN
       RETURN coalesce(p_frontier, (${logFrontierSql(s)})::xid8);
     END
     $fn$`,
    `CREATE OR REPLACE FUNCTION ${s}.log_page(p_after bigint, p_frontier xid8, p_limit integer, p_scans jsonb)
     RETURNS TABLE ("position" bigint, stream_id text, revision bigint, event_id uuid, type text, schema_version integer,
                    data jsonb, metadata jsonb, recorded_at timestamptz, scanned_to bigint)
     LANGUAGE plpgsql VOLATILE ${readSettings} AS $fn$
     DECLARE
       v_frontier xid8 := ${s}.log_frontier(p_frontier);
     BEGIN
       RETURN QUERY EXECUTE ${s}.log_page_statement(p_scans) USING p_after, v_frontier, p_limit;
     END
     $fn$`,
    `CREATE OR REPLACE FUNCTION ${s}.log_head(p_frontier xid8, p_scans jsonb)
     RETURNS bigint LANGUAGE plpgsql VOLATILE ${readSettings} AS $fn$
     DECLARE
       v_frontier xid8 := ${s}.log_frontier(p_frontier);
       v_head bigint;
     BEGIN
       EXECUTE (SELECT format('SELECT greatest(%s)',
                  string_agg(format('(SELECT position FROM ${s}.events WHERE %s AND transaction_id < $1 ORDER BY position DESC LIMIT 1)', b), ', '))
                FROM ${s}.log_branches(p_scans) AS b)
         INTO v_head USING v_frontier;
       RETURN v_head;
     END
     $fn$`,
  ];
}
