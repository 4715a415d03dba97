import type { SqlClient, SqlExecutor } from '../sql/sql-client';
import { assertSqlIdentifier, likePrefix } from '../sql/sql-identifiers';
import { migrate } from '../sql/migrate';
import type { NewEvent, RecordedEvent, EventMetadata } from './event';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LogFilter,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from './event-store';
import { AppendSignal } from './append-signal';
import { startCatchUpSubscription } from './catch-up-subscription';
import { assertExpectedRevision, EventIdConflictError } from './store-errors';
import { assertValidEvents } from './event-validation';
import { isSameAppend } from './in-memory-event-store';

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
    ]);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertValidEvents(streamId, events);
    const s = this.s;
    const result = await this.sql.transaction(async (tx) => {
      // The lock comes first, in a statement of its own: the statements after it take a fresh
      // snapshot (READ COMMITTED) and so see everything committed before the lock was granted.
      const head = await tx.query<{ position: number }>(`SELECT position FROM ${s}.log_head FOR UPDATE`);
      const base = head.rows[0]!.position;
      const { revision, replay } = await this.inspect(tx, streamId, events);
      if (replay) return replay;
      assertExpectedRevision(streamId, expected, revision);
      if (events.length === 0) return { nextExpectedRevision: revision, lastPosition: base, idempotentReplay: false };
      const n = events.length;
      await tx.query(
        `WITH ins AS (
           INSERT INTO ${s}.events (position, stream_id, revision, event_id, type, schema_version, data, metadata)
           SELECT $1::bigint + e.ord, $2, $3::bigint + e.ord, (e.value->>'id')::uuid, e.value->>'type',
                  (e.value->>'schemaVersion')::int, e.value->'data', e.value->'metadata'
           FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(value, ord)
           RETURNING 1),
         head AS (UPDATE ${s}.log_head SET position = $1::bigint + $5::bigint RETURNING 1),
         stream AS (
           INSERT INTO ${s}.streams (stream_id, revision) VALUES ($2, $3::bigint + $5::bigint)
           ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision
           RETURNING 1)
         SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM head) AS h, (SELECT count(*) FROM stream) AS st`,
        [base, streamId, revision, JSON.stringify(events.map(toJsonEvent)), n],
      );
      return { nextExpectedRevision: revision + n, lastPosition: base + n, idempotentReplay: false };
    });
    if (!result.idempotentReplay && events.length > 0) this.signal.notify();
    return result;
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

  /** The stream's revision and, when these event ids are already stored, the original append. */
  private async inspect(tx: SqlExecutor, streamId: string, events: readonly NewEvent[]): Promise<{ revision: number; replay?: AppendResult }> {
    const res = await tx.query<{ revision: number | null; existing: { id: string; streamId: string; revision: number; position: number }[] }>(
      `SELECT (SELECT revision FROM ${this.s}.streams WHERE stream_id = $1) AS revision,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('id', event_id::text, 'streamId', stream_id, 'revision', revision, 'position', position))
                        FROM ${this.s}.events WHERE event_id IN (SELECT value::uuid FROM jsonb_array_elements_text($2::jsonb))), '[]'::jsonb) AS existing`,
      [streamId, JSON.stringify(events.map((e) => e.id.toLowerCase()))],
    );
    const row = res.rows[0]!;
    const revision = row.revision ?? -1;
    if (row.existing.length === 0) return { revision };
    const normalised = events.map((e) => ({ ...e, id: e.id.toLowerCase() }));
    if (!isSameAppend(streamId, normalised, row.existing)) throw new EventIdConflictError(row.existing[0]!.id, streamId);
    const last = row.existing.reduce((a, b) => (b.revision > a.revision ? b : a));
    return { revision, replay: { nextExpectedRevision: last.revision, lastPosition: last.position, idempotentReplay: true } };
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
