import type { SqlExecutor } from '@pcn/eventsourcing';
import type { IsoDate } from '../../domain/iso-date';
import { DEFAULT_DECLARATION_FACTS, RecentDeclarationFacts, type CountedFacts, type RecentDeclarationFactsOptions } from './recent-declaration-facts';
import type { CentreInfo, CentreStatus, CentreType, DeclarationFacts, GpAssignment, PractitionerDirectory } from '../../application/ports';

interface CentreRow {
  finess: string;
  name: string;
  type: CentreType;
  commune_insee: string;
  departement: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  status: CentreStatus;
  member_since: string | null;
  closed_on: string | null;
}

interface AssignmentRow {
  assignment_id: string;
  professional_id: string;
  rpps: string;
  centre_finess: string;
  fte: number;
  start_on: string;
  end_on: string | null;
  end_reason: string | null;
}

const centreOf = (row: CentreRow): CentreInfo => ({
  finess: row.finess,
  name: row.name,
  type: row.type,
  communeInsee: row.commune_insee,
  departement: row.departement,
  region: row.region,
  ...(row.latitude !== null && row.longitude !== null && { latitude: row.latitude, longitude: row.longitude }),
  status: row.status,
  ...(row.member_since !== null && { memberSince: row.member_since }),
  ...(row.closed_on !== null && { closedOn: row.closed_on }),
});

const assignmentOf = (row: AssignmentRow): GpAssignment => ({
  assignmentId: row.assignment_id,
  professionalId: row.professional_id,
  rpps: row.rpps,
  centreFiness: row.centre_finess,
  fte: Number(row.fte),
  startOn: row.start_on,
  ...(row.end_on !== null && { endOn: row.end_on }),
  ...(row.end_reason !== null && { endReason: row.end_reason }),
});

const CENTRE_COLUMNS =
  'finess, name, type, commune_insee, departement, region, latitude, longitude, status, member_since::text AS member_since, closed_on::text AS closed_on';
/** Dates as YYYY-MM-DD text, the FTE as a JS number (numeric would come back as a string). */
const ASSIGNMENT_COLUMNS =
  'assignment_id, professional_id, rpps, centre_finess, fte::float8 AS fte, start_on::text AS start_on, end_on::text AS end_on, end_reason';

/** "Running on day $n": started on or before it, not yet ended (the end day is the first day off). */
const runningOn = (param: string): string => `start_on <= ${param}::date AND (end_on IS NULL OR ${param}::date < end_on)`;

/**
 * Who practises where, as attribution learnt it from the registry's and staff's events (never by
 * reading their stores). Tables: directory-tables.ts. Not a projection of attribution's own log.
 *
 * The writes are idempotent on their own, so a redelivered message changes nothing:
 * - a centre carries the registry's stream revision (`version`): an older or repeated one is
 *   dropped, and a closure, once announced, stays (closure is final in the registry);
 * - an assignment is keyed by staff's assignment id; its start is recorded once and never
 *   reopens an end already recorded; an end only ever moves a recorded end earlier (staff never
 *   moves an end later, but may end again earlier: a transfer, then the centre closes sooner).
 */
export class SqlPractitionerDirectory implements PractitionerDirectory {
  private readonly recentFacts: RecentDeclarationFacts;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    factsOptions: RecentDeclarationFactsOptions = DEFAULT_DECLARATION_FACTS,
  ) {
    this.recentFacts = new RecentDeclarationFacts(() => this.changeCount(), factsOptions);
  }

  async centre(finess: string): Promise<CentreInfo | undefined> {
    const { rows } = await this.sql.query<CentreRow>(`SELECT ${CENTRE_COLUMNS} FROM ${this.schema}.centres WHERE finess = $1`, [finess]);
    const row = rows[0];
    return row && centreOf(row);
  }

  async centres(): Promise<readonly CentreInfo[]> {
    const { rows } = await this.sql.query<CentreRow>(`SELECT ${CENTRE_COLUMNS} FROM ${this.schema}.centres ORDER BY finess`);
    return rows.map(centreOf);
  }

  async centresClosedBetween(from: IsoDate, until: IsoDate): Promise<readonly { finess: string; closedOn: IsoDate }[]> {
    const { rows } = await this.sql.query<{ finess: string; closed_on: string }>(
      `SELECT finess, closed_on::text AS closed_on FROM ${this.schema}.centres WHERE closed_on > $1::date AND closed_on <= $2::date ORDER BY closed_on, finess`,
      [from, until],
    );
    return rows.map((r) => ({ finess: r.finess, closedOn: r.closed_on }));
  }

  async assignmentsEndedBetween(from: IsoDate, until: IsoDate): Promise<readonly GpAssignment[]> {
    const { rows } = await this.sql.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM ${this.schema}.gp_assignments WHERE end_on > $1::date AND end_on <= $2::date ORDER BY end_on, assignment_id`,
      [from, until],
    );
    return rows.map(assignmentOf);
  }

  async assignmentsOf(rpps: string): Promise<readonly GpAssignment[]> {
    const { rows } = await this.sql.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM ${this.schema}.gp_assignments WHERE rpps = $1 ORDER BY start_on, assignment_id`,
      [rpps],
    );
    return rows.map(assignmentOf);
  }

  async assignmentsAt(centreFiness: string, day: IsoDate): Promise<readonly GpAssignment[]> {
    const { rows } = await this.sql.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM ${this.schema}.gp_assignments WHERE centre_finess = $1 AND ${runningOn('$2')} ORDER BY start_on, assignment_id`,
      [centreFiness, day],
    );
    return rows.map(assignmentOf);
  }

  async assignmentsAtCentres(centres: readonly string[], day: IsoDate): Promise<readonly GpAssignment[]> {
    if (centres.length === 0) return [];
    const { rows } = await this.sql.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM ${this.schema}.gp_assignments WHERE centre_finess = ANY($1::text[]) AND ${runningOn('$2')}
       ORDER BY centre_finess, start_on, assignment_id`,
      [[...new Set(centres)], day],
    );
    return rows.map(assignmentOf);
  }

  /**
   * One statement for what a declaration checks (gp-eligibility.ts): the GP's assignments, the
   * centre named and the centres the GP works at (their type sets the capacity norm).
   */
  declarationFacts(centreFiness: string, rpps: string): Promise<DeclarationFacts> {
    return this.recentFacts.get(centreFiness, rpps, () => this.readDeclarationFacts(centreFiness, rpps));
  }

  private async readDeclarationFacts(centreFiness: string, rpps: string): Promise<CountedFacts> {
    const s = this.schema;
    const { rows } = await this.sql.query<{ assignments: AssignmentRow[]; centres: CentreRow[]; wanted: string[]; changes: string }>(
      `WITH a AS (SELECT ${ASSIGNMENT_COLUMNS} FROM ${s}.gp_assignments WHERE rpps = $2),
            wanted AS (SELECT $1::text AS finess UNION SELECT centre_finess FROM a)
       SELECT (SELECT coalesce(json_agg(a ORDER BY a.start_on, a.assignment_id), '[]'::json) FROM a) AS assignments,
              (SELECT coalesce(json_agg(c), '[]'::json) FROM (SELECT ${CENTRE_COLUMNS} FROM ${s}.centres WHERE finess IN (SELECT finess FROM wanted)) c) AS centres,
              (SELECT array_agg(finess) FROM wanted) AS wanted,
              (SELECT changes FROM ${s}.directory_changes) AS changes`,
      [centreFiness, rpps],
    );
    const row = rows[0]!;
    return {
      facts: { rpps, assignments: row.assignments.map(assignmentOf), centres: row.centres.map(centreOf), centresRead: row.wanted },
      changes: Number(row.changes),
    };
  }

  /** The directory's change counter (directory-tables.ts): moved after every write. */
  private async changeCount(): Promise<number> {
    const { rows } = await this.sql.query<{ changes: string }>(`SELECT changes FROM ${this.schema}.directory_changes`);
    return Number(rows[0]!.changes);
  }

  /**
   * After every write (in the caller's transaction when it gives one), the counter moves, so other
   * instances stop reusing facts read before the write. Never before it: facts read in between
   * are newer than the count they carry, which only costs a read more. If the process dies between
   * the two, the consumer's message is delivered again and both are done again.
   */
  private async changed(tx: SqlExecutor): Promise<void> {
    await tx.query(`UPDATE ${this.schema}.directory_changes SET changes = changes + 1`);
    this.recentFacts.forgetAll();
  }

  /** Records what a registry event says, unless a later version is already known. A closure, once announced, stays; so does a membership date. */
  async recordCentre(tx: SqlExecutor, centre: CentreInfo, version: number): Promise<void> {
    const t = `${this.schema}.centres`;
    await tx.query(
      `INSERT INTO ${t} (finess, name, type, commune_insee, departement, region, latitude, longitude, status, closed_on, version, member_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (finess) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, commune_insee = EXCLUDED.commune_insee,
         departement = EXCLUDED.departement, region = EXCLUDED.region, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
         status = EXCLUDED.status, closed_on = COALESCE(EXCLUDED.closed_on, ${t}.closed_on), version = EXCLUDED.version,
         member_since = COALESCE(EXCLUDED.member_since, ${t}.member_since)
       WHERE ${t}.version < EXCLUDED.version`,
      [
        centre.finess,
        centre.name,
        centre.type,
        centre.communeInsee,
        centre.departement,
        centre.region,
        centre.latitude ?? null,
        centre.longitude ?? null,
        centre.status,
        centre.closedOn ?? null,
        version,
        centre.memberSince ?? null,
      ],
    );
    await this.changed(tx);
  }

  /**
   * Records a GP's assignment as staff started it. Staff never reuses an assignment id, so a
   * second delivery carries the same terms; it refreshes them, but an end already recorded
   * (`end_reason` set by `recordAssignmentEnded`) is kept: a redelivered start never reopens it.
   */
  async recordAssignmentStarted(tx: SqlExecutor, a: GpAssignment): Promise<void> {
    const t = `${this.schema}.gp_assignments`;
    await tx.query(
      `INSERT INTO ${t} (assignment_id, professional_id, rpps, centre_finess, fte, start_on, end_on, end_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (assignment_id) DO UPDATE SET professional_id = EXCLUDED.professional_id, rpps = EXCLUDED.rpps,
         centre_finess = EXCLUDED.centre_finess, fte = EXCLUDED.fte, start_on = EXCLUDED.start_on,
         end_on = CASE WHEN ${t}.end_reason IS NULL THEN EXCLUDED.end_on ELSE ${t}.end_on END`,
      [a.assignmentId, a.professionalId, a.rpps, a.centreFiness, a.fte, a.startOn, a.endOn ?? null, a.endReason ?? null],
    );
    await this.changed(tx);
  }

  /**
   * Records the end of an assignment: `endOn` is the first day no longer worked. An end only ever
   * moves earlier (a repeat or a later end changes nothing; an earlier one, e.g. the centre closing
   * before a planned transfer, replaces it with its reason).
   *
   * Returns whether the assignment is known. When its start was never seen (the consumer joined
   * after the start left the topic's retention, or it was not a GP's), nothing is stored and
   * `false` is returned: an assignment attribution never knew cannot have been declared, and on
   * one key staff publishes a start before its end, so no start can come later to be ended. The
   * consumer still hands the departure over, from the message itself, so the end is not lost.
   */
  async recordAssignmentEnded(tx: SqlExecutor, assignmentId: string, endOn: IsoDate, reason: string): Promise<boolean> {
    const { rows } = await tx.query<{ assignment_id: string }>(
      `UPDATE ${this.schema}.gp_assignments
       SET end_reason = CASE WHEN end_reason IS NULL OR end_on IS NULL OR $2::date < end_on THEN $3 ELSE end_reason END,
           end_on = LEAST(end_on, $2::date)
       WHERE assignment_id = $1
       RETURNING assignment_id`,
      [assignmentId, endOn, reason],
    );
    await this.changed(tx);
    return rows.length > 0;
  }
}
