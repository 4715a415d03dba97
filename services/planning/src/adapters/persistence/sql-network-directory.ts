import { migrate, type SqlClient, type SqlExecutor } from '@pcn/eventsourcing';
import { today, type Clock, type NetworkSnapshot, type NetworkSource } from '../../application/ports';
import type { AccreditedCentres } from '../../application/schemes';
import type { AccreditedCentre } from '../../domain/scheme';

export interface CentreRecord {
  readonly finess: string;
  readonly communeCode: string;
  readonly latitude?: number;
  readonly longitude?: number;
  /** Registry status: only members (accredited, not suspended nor closed) count as supply. */
  readonly status: string;
  /** First day of membership (ISO date), absent while the centre was never accredited. */
  readonly memberSince?: string;
  /** The registry's revision of the centre: an older snapshot never overwrites a newer one. */
  readonly version: number;
}

export interface GpAssignmentRecord {
  readonly assignmentId: string;
  readonly centreFiness: string;
  readonly fte: number;
  readonly startOn: string;
  /** First day no longer worked. */
  readonly endOn?: string;
}

/** Where a consumer is in a log: `topic` and `partition`, and the offset of the last message applied. */
export interface LogPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export async function migrateNetworkTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `${schema}-network`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.centres (
       finess text PRIMARY KEY, commune_code text NOT NULL, latitude double precision, longitude double precision,
       status text NOT NULL, version bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.gp_assignments (
       assignment_id text PRIMARY KEY, centre_finess text NOT NULL, fte double precision NOT NULL, start_on date NOT NULL, end_on date)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.log_positions (
       topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL, PRIMARY KEY (topic, partition))`,
    // Centres learnt before are dated by their next registry event (every snapshot carries it).
    `ALTER TABLE ${schema}.centres ADD COLUMN IF NOT EXISTS member_since date`,
    `CREATE INDEX IF NOT EXISTS centres_commune ON ${schema}.centres (commune_code)`,
  ]);
}

/**
 * The network as planning learns it from `pcn.registry.v1` (centres) and `pcn.staff.v1` (GPs'
 * assignments), in its own tables, with the position reached in each log. Every write is
 * idempotent, so a message delivered twice changes nothing.
 */
export class SqlNetworkDirectory implements NetworkSource, AccreditedCentres {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  async recordCentre(tx: SqlExecutor, centre: CentreRecord): Promise<void> {
    const t = `${this.schema}.centres`;
    await tx.query(
      `INSERT INTO ${t} (finess, commune_code, latitude, longitude, status, member_since, version) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (finess) DO UPDATE SET commune_code = EXCLUDED.commune_code, latitude = EXCLUDED.latitude,
         longitude = EXCLUDED.longitude, status = EXCLUDED.status, member_since = EXCLUDED.member_since, version = EXCLUDED.version
       WHERE ${t}.version < EXCLUDED.version`,
      [centre.finess, centre.communeCode, centre.latitude ?? null, centre.longitude ?? null, centre.status, centre.memberSince ?? null, centre.version],
    );
  }

  async recordAssignmentStarted(tx: SqlExecutor, a: GpAssignmentRecord): Promise<void> {
    const t = `${this.schema}.gp_assignments`;
    await tx.query(
      `INSERT INTO ${t} (assignment_id, centre_finess, fte, start_on, end_on) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (assignment_id) DO UPDATE SET centre_finess = EXCLUDED.centre_finess, fte = EXCLUDED.fte, start_on = EXCLUDED.start_on,
         end_on = CASE WHEN ${t}.end_on IS NULL OR EXCLUDED.end_on < ${t}.end_on THEN EXCLUDED.end_on ELSE ${t}.end_on END`,
      [a.assignmentId, a.centreFiness, a.fte, a.startOn, a.endOn ?? null],
    );
  }

  /** An end only ever moves earlier; an assignment whose start was never seen is not stored. */
  async recordAssignmentEnded(tx: SqlExecutor, assignmentId: string, endOn: string): Promise<void> {
    await tx.query(`UPDATE ${this.schema}.gp_assignments SET end_on = $2 WHERE assignment_id = $1 AND (end_on IS NULL OR end_on > $2)`, [assignmentId, endOn]);
  }

  async recordPosition(tx: SqlExecutor, position: LogPosition): Promise<void> {
    const t = `${this.schema}.log_positions`;
    await tx.query(
      `INSERT INTO ${t} (topic, partition, "offset") VALUES ($1, $2, $3)
       ON CONFLICT (topic, partition) DO UPDATE SET "offset" = GREATEST(${t}."offset", EXCLUDED."offset")`,
      [position.topic, position.partition, position.offset],
    );
  }

  /**
   * The centres of these communes the registry accredited and has not closed (a suspended centre
   * is still accredited), earliest accredited first: what may fulfil a scheme's proposals.
   */
  async accreditedIn(communeCodes: readonly string[]): Promise<AccreditedCentre[]> {
    const rows = await this.sql.query<{ finess: string; commune_code: string; member_since: string }>(
      `SELECT finess, commune_code, member_since::text AS member_since FROM ${this.schema}.centres
        WHERE commune_code = ANY($1::text[]) AND member_since IS NOT NULL AND status <> 'closed'
        ORDER BY member_since, finess`,
      [communeCodes],
    );
    return rows.rows.map((row) => ({ centreFiness: row.finess, communeCode: row.commune_code, accreditedOn: row.member_since }));
  }

  /** Member centres with the GP FTE of the assignments running today, and the positions reached (`topic` or `topic/partition`). */
  async snapshot(): Promise<NetworkSnapshot> {
    const day = today(this.clock);
    const centres = await this.sql.query<{ finess: string; commune_code: string; latitude: number | null; longitude: number | null; gp_fte: number }>(
      `SELECT c.finess, c.commune_code, c.latitude, c.longitude,
              COALESCE(SUM(a.fte) FILTER (WHERE a.start_on <= $1::date AND (a.end_on IS NULL OR a.end_on > $1::date)), 0) AS gp_fte
         FROM ${this.schema}.centres c LEFT JOIN ${this.schema}.gp_assignments a ON a.centre_finess = c.finess
        WHERE c.status = 'member'
        GROUP BY c.finess ORDER BY c.finess`,
      [day],
    );
    const positions = await this.sql.query<{ topic: string; partition: number; offset: string | number }>(
      `SELECT topic, partition, "offset" FROM ${this.schema}.log_positions ORDER BY topic, partition`,
    );
    const partitions = new Map<string, number>();
    for (const row of positions.rows) partitions.set(row.topic, (partitions.get(row.topic) ?? 0) + 1);
    return {
      centres: centres.rows.map((row) => ({
        finess: row.finess,
        communeCode: row.commune_code,
        ...(row.latitude !== null && row.longitude !== null && { latitude: row.latitude, longitude: row.longitude }),
        gpFte: Number(row.gp_fte),
      })),
      positions: Object.fromEntries(
        positions.rows.map((row) => [partitions.get(row.topic)! > 1 ? `${row.topic}/${row.partition}` : row.topic, Number(row.offset)]),
      ),
    };
  }
}
