import { messageFromRow, type MessageRow } from './message-row';
import { assertSqlIdentifier, migrate, type SqlClient } from '@pcn/eventsourcing';
import { BusStorageError } from '../errors';
import type { IntegrationMessage } from '../message';
import { LogBus, type LogBusOptions, type LoggedMessage, type MessageLog } from '../consumer/log-bus';

export interface SqlBusOptions extends LogBusOptions {
  /** Schema holding the bus tables; `messaging` by default. */
  schema?: string;
}

/** Rows per INSERT: 10 parameters each, well under PostgreSQL's 65,535 per statement. */
const INSERT_CHUNK = 500;

export function sqlBusSchema(schema: string): string[] {
  const s = assertSqlIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    // One log per topic with dense offsets 1, 2, 3... (like a Kafka partition), so a group's
    // lag is head minus committed offset, read from the primary key alone.
    `CREATE TABLE IF NOT EXISTS ${s}.messages (
      topic text NOT NULL,
      "offset" bigint NOT NULL,
      key text NOT NULL,
      id text NOT NULL,
      type text NOT NULL,
      source text NOT NULL,
      subject text,
      time text NOT NULL,
      content_type text NOT NULL,
      headers jsonb NOT NULL,
      data bytea NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (topic, "offset")
    )`,
    // The last offset each group acknowledged per topic.
    `CREATE TABLE IF NOT EXISTS ${s}.consumer_offsets (
      group_id text NOT NULL,
      topic text NOT NULL,
      "offset" bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (group_id, topic)
    )`,
  ];
}

interface Row extends MessageRow {
  head: number;
  offset: number | null;
  id: string;
}

class SqlMessageLog implements MessageLog {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  async append(topic: string, messages: readonly IntegrationMessage[]): Promise<void> {
    const s = this.schema;
    await this.storage('publish', topic, () =>
      this.sql.transaction(async (tx) => {
        // Subscribers read "offset > last seen", so an offset must never become visible after
        // a higher one, or it would be skipped for good. With concurrent publishers on a
        // PostgreSQL server, offsets taken before commit would commit out of order. This
        // transaction-scoped lock (per schema and topic, held until COMMIT) serialises
        // publishers of a topic: each reads the head and inserts after the previous one has
        // committed (READ COMMITTED: the next statement sees it), so offset order is commit
        // order and the log stays gap-free. On PGlite (one connection) it costs nothing.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`pcn.messaging.${s}`, topic]);
        const { rows } = await tx.query<{ head: number }>(`SELECT coalesce(max("offset"), 0) AS head FROM ${s}.messages WHERE topic = $1`, [topic]);
        let next = Number(rows[0]?.head ?? 0) + 1;
        for (let start = 0; start < messages.length; start += INSERT_CHUNK) {
          const chunk = messages.slice(start, start + INSERT_CHUNK);
          const params: unknown[] = [];
          const values = chunk.map((m) => {
            const at = params.length;
            params.push(topic, next++, m.key, m.id, m.type, m.source, m.subject ?? null, m.time, m.contentType, JSON.stringify(m.headers), m.data);
            const p = (i: number): string => `$${at + i}`;
            return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::jsonb, ${p(11)})`;
          });
          await tx.query(
            `INSERT INTO ${s}.messages (topic, "offset", key, id, type, source, subject, time, content_type, headers, data) VALUES ${values.join(', ')}`,
            params,
          );
        }
      }),
    );
  }

  async read(topic: string, afterOffset: number, limit: number): Promise<{ messages: LoggedMessage[]; head: number }> {
    const s = this.schema;
    // One round trip per poll: the head (for the lag gauge) and the next batch.
    const { rows } = await this.storage('read', topic, () =>
      this.sql.query<Row>(
        `SELECT h.head, m."offset", m.key, m.id, m.type, m.source, m.subject, m.time, m.content_type, m.headers, m.data
           FROM (SELECT coalesce(max("offset"), 0) AS head FROM ${s}.messages WHERE topic = $1) h
           LEFT JOIN LATERAL (
             SELECT * FROM ${s}.messages WHERE topic = $1 AND "offset" > $2 ORDER BY "offset" LIMIT $3
           ) m ON true
          ORDER BY m."offset"`,
        [topic, afterOffset, limit],
      ),
    );
    const head = Number(rows[0]?.head ?? 0);
    const messages: LoggedMessage[] = [];
    for (const r of rows) {
      if (r.offset === null) continue;
      messages.push({ offset: Number(r.offset), ...messageFromRow(r.id, r) });
    }
    return { messages, head };
  }

  async committedOffset(groupId: string, topic: string): Promise<number> {
    const { rows } = await this.storage('read the committed offset', topic, () =>
      this.sql.query<{ offset: number }>(`SELECT "offset" FROM ${this.schema}.consumer_offsets WHERE group_id = $1 AND topic = $2`, [groupId, topic]),
    );
    return Number(rows[0]?.offset ?? 0);
  }

  async commit(groupId: string, topic: string, offset: number): Promise<void> {
    const s = this.schema;
    await this.storage('commit an offset', topic, () =>
      this.sql.query(
        `INSERT INTO ${s}.consumer_offsets (group_id, topic, "offset") VALUES ($1, $2, $3)
         ON CONFLICT (group_id, topic) DO UPDATE
           SET "offset" = GREATEST(${s}.consumer_offsets."offset", EXCLUDED."offset"), updated_at = now()`,
        [groupId, topic, offset],
      ),
    );
  }

  private async storage<T>(operation: string, topic: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      throw new BusStorageError(operation, topic, { cause: error });
    }
  }
}

/**
 * A durable bus on the SqlClient, for the embedded mode on PGlite (what the relay published
 * survives a restart) and usable on a PostgreSQL server. Delivery polls every
 * `pollIntervalMs` and is woken at once by publications from this process.
 *
 * Groups: one subscription per group and topic in a process (`ConsumerGroupBusyError`
 * otherwise). Across processes nothing coordinates two members of a group: both would
 * receive the messages, and commits only ever move a group forward (GREATEST), so a second
 * member causes duplicates (absorbed by idempotent consumers), never a skipped message.
 * Sharing a group's work across processes is what the Kafka adapter is for.
 */
export class SqlBus extends LogBus {
  readonly schema: string;

  constructor(
    private readonly sql: SqlClient,
    options: SqlBusOptions,
  ) {
    const schema = assertSqlIdentifier(options.schema ?? 'messaging');
    super(new SqlMessageLog(sql, schema), options, 'pcn_sql');
    this.schema = schema;
  }

  /** Creates the schema and tables if missing; safe to run at every start. */
  async migrate(): Promise<void> {
    await migrate(this.sql, `pcn.messaging.${this.schema}`, sqlBusSchema(this.schema));
  }
}
