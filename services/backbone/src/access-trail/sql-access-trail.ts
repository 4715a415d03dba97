import { migrate, type SqlClient } from '@pcn/eventsourcing';
import type { AccessTrail, TrailEntry } from '@pcn/auth';

export interface TrailQuery {
  readonly actor?: string;
  readonly subject?: string;
  readonly operation?: string;
  /** Sequence of the last entry of the previous page. */
  readonly after?: number;
  readonly limit: number;
}

export interface StoredTrailEntry extends TrailEntry {
  readonly sequence: number;
}

const SCHEMA = 'access';

/**
 * The access trail in the backbone's database (PGlite embedded, PostgreSQL distributed), schema
 * `access`: append-only, a trigger refuses every UPDATE and DELETE, so the trail outlives
 * restarts and cannot be edited through the service's own connection.
 */
export class SqlAccessTrail implements AccessTrail {
  constructor(private readonly sql: SqlClient) {}

  async migrate(): Promise<void> {
    await migrate(this.sql, 'pcn-access-trail', [
      `CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`,
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.trail (
        sequence bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        role text NOT NULL,
        operation text NOT NULL,
        subject_kind text NOT NULL,
        subject text NOT NULL,
        remote_address text NOT NULL,
        transport text NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS trail_subject ON ${SCHEMA}.trail (subject, sequence)`,
      `CREATE INDEX IF NOT EXISTS trail_actor ON ${SCHEMA}.trail (actor, sequence)`,
      `CREATE OR REPLACE FUNCTION ${SCHEMA}.trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the access trail is append-only'; END $$`,
      `DROP TRIGGER IF EXISTS trail_append_only ON ${SCHEMA}.trail`,
      `CREATE TRIGGER trail_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${SCHEMA}.trail FOR EACH STATEMENT EXECUTE FUNCTION ${SCHEMA}.trail_append_only()`,
    ]);
  }

  async record(entry: TrailEntry): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${SCHEMA}.trail (at, actor, role, operation, subject_kind, subject, remote_address, transport) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.at.toISOString(), entry.actor, entry.role, entry.operation, entry.subjectKind, entry.subject, entry.from, entry.transport],
    );
  }

  async list(query: TrailQuery): Promise<StoredTrailEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.actor !== undefined) add('actor = ?', query.actor);
    if (query.subject !== undefined) add('subject = ?', query.subject);
    if (query.operation !== undefined) add('operation = ?', query.operation);
    if (query.after !== undefined) add('sequence > ?', query.after);
    params.push(query.limit);
    const rows = await this.sql.query<{
      sequence: string | number;
      at: Date | string;
      actor: string;
      role: string;
      operation: string;
      subject_kind: TrailEntry['subjectKind'];
      subject: string;
      remote_address: string;
      transport: TrailEntry['transport'];
    }>(`SELECT * FROM ${SCHEMA}.trail ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sequence LIMIT $${params.length}`, params);
    return rows.rows.map((r) => ({
      sequence: Number(r.sequence),
      at: new Date(r.at),
      actor: r.actor,
      role: r.role,
      operation: r.operation,
      subjectKind: r.subject_kind,
      subject: r.subject,
      from: r.remote_address,
      transport: r.transport,
    }));
  }
}
