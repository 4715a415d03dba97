import { ProjectionTimeoutError, ValidationError, type ProjectionRunner, type SqlExecutor } from '@pcn/eventsourcing';
import { CommuneDirectory } from '@pcn/referential';
import type { IsoDate, Period } from '../../domain/iso-date';
import { SENIOR_AGE, type WaitingPatient } from '../../domain/waitlist/priority';
import type { AffectedPatient, AttributionReadModel, CommuneCoverage, Page, PageOf, PanelMember, RosterEntry, Territory } from '../../application/read-model';

/** The read model did not reach the head of the patient streams in time. */
export class AttributionReadModelLagError extends ProjectionTimeoutError {
  constructor(wanted: number, reached: number, waitMs: number) {
    super('attribution', wanted, reached);
    this.message = `the attribution read model is behind the patient streams: it reached position ${reached} of ${wanted} within ${waitMs} ms; try again shortly`;
    this.name = 'AttributionReadModelLagError';
  }
}

/** Keyset pagination: the token carries the patient id of the page's last row, opaque to clients. */
export function encodePageToken(patientId: string): string {
  return Buffer.from(JSON.stringify(['after', patientId])).toString('base64url');
}

export function decodePageToken(token: string): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString());
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || decoded[0] !== 'after' || typeof decoded[1] !== 'string') {
    throw ValidationError.field('pageToken', 'is not a token returned by a previous page');
  }
  return decoded[1];
}

/** Dates leave SQL as YYYY-MM-DD text whatever the server's DateStyle. */
const day = (column: string): string => `to_char(${column}, 'YYYY-MM-DD')`;

/** "Some period of this jsonb array covers the day" (`anyCovers`): start included, end excluded, no end = open. */
const anyCoversSql = (column: string, dayParam: string): string =>
  `EXISTS (SELECT 1 FROM jsonb_array_elements(${column}) AS period
     WHERE (period->>'start')::date <= ${dayParam}::date AND (period->>'end' IS NULL OR ${dayParam}::date < (period->>'end')::date))`;

/**
 * "Aged `SENIOR_AGE` or more on the day" (`ageOn(birth, day) >= SENIOR_AGE`): born on or before the
 * day, `SENIOR_AGE` years earlier. Postgres maps 29 February to the 28th in a common year, which
 * is what `ageOn`'s month-day comparison does for the only birth date it could matter for.
 */
const seniorSql = (dayParam: string): string => `(p.birth_date <= ${dayParam}::date - make_interval(years => ${SENIOR_AGE}))`;

interface RosterRow {
  patient_id: string;
  attribution_id: string;
  rpps: string;
  since: string;
  until: string | null;
  birth_year_month: string;
  sex: 'female' | 'male';
  commune_insee: string;
  ald: Period[];
  c2s: Period[];
}

interface WaitingRow {
  patient_id: string;
  birth_date: string;
  commune_insee: string;
  ald: Period[];
  c2s: Period[];
  waiting_since: string;
  top_priority: boolean;
  declined: string[];
}

/**
 * Queries over the `attribution` projection (attribution-projection.ts). Every query runs on an
 * index of that file; pages are keyset pages in patient id order.
 */
export class SqlAttributionReadModel implements AttributionReadModel {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly runner: ProjectionRunner,
    /** Head of the patient streams (`store.headPosition({ streamPrefixes: [PATIENT_PREFIX] })`). */
    private readonly head: () => Promise<number>,
    private readonly waitMs = 5000,
  ) {}

  async catchUp(): Promise<void> {
    const wanted = await this.head();
    try {
      await this.runner.waitForPosition(wanted, this.waitMs);
    } catch (error) {
      if (error instanceof ProjectionTimeoutError) throw new AttributionReadModelLagError(wanted, error.reached, this.waitMs);
      throw error;
    }
  }

  async activeAttributions(filter: { centreFiness: string; rpps?: string }): Promise<readonly AffectedPatient[]> {
    const params: unknown[] = [filter.centreFiness];
    if (filter.rpps !== undefined) params.push(filter.rpps);
    const { rows } = await this.sql.query<{ patient_id: string; attribution_id: string; ald: Period[] }>(
      `SELECT a.patient_id, a.attribution_id, p.ald FROM ${this.schema}.attributions a JOIN ${this.schema}.patients p USING (patient_id)
       WHERE a.centre_finess = $1 AND a.end_date IS NULL ${filter.rpps !== undefined ? 'AND a.rpps = $2' : ''}
       ORDER BY a.patient_id`,
      params,
    );
    return rows.map((r) => ({ patientId: r.patient_id, attributionId: r.attribution_id, ald: r.ald }));
  }

  async panelMembers(rpps: string, page: Page): Promise<PageOf<PanelMember>> {
    const { params, after, limit } = keyset([rpps], page, 'a.patient_id');
    const { rows } = await this.sql.query<{ patient_id: string; attribution_id: string; centre_finess: string; since: string }>(
      `SELECT a.patient_id, a.attribution_id, a.centre_finess, ${day('a.start_date')} AS since FROM ${this.schema}.attributions a
       WHERE a.rpps = $1 AND a.end_date IS NULL ${after} ORDER BY a.patient_id LIMIT ${limit}`,
      params,
    );
    return pageOf(rows, page, (r) => ({ patientId: r.patient_id, attributionId: r.attribution_id, centreFiness: r.centre_finess, since: r.since }));
  }

  async roster(centreFiness: string, asOf: IsoDate, page: Page): Promise<PageOf<RosterEntry>> {
    const { params, after, limit } = keyset([centreFiness, asOf], page, 'a.patient_id');
    const { rows } = await this.sql.query<RosterRow>(
      `SELECT a.patient_id, a.attribution_id, a.rpps, ${day('a.start_date')} AS since, ${day('a.end_date')} AS until,
         to_char(p.birth_date, 'YYYY-MM') AS birth_year_month, p.sex, p.commune_insee, p.ald, p.c2s
       FROM ${this.schema}.attributions a JOIN ${this.schema}.patients p USING (patient_id)
       WHERE a.centre_finess = $1 AND a.start_date <= $2::date AND (a.end_date IS NULL OR $2::date < a.end_date) ${after}
       ORDER BY a.patient_id LIMIT ${limit}`,
      params,
    );
    return pageOf(rows, page, (r) => ({
      patientId: r.patient_id,
      attributionId: r.attribution_id,
      rpps: r.rpps,
      since: r.since,
      ...(r.until !== null && { until: r.until }),
      birthYearMonth: r.birth_year_month,
      sex: r.sex,
      communeInsee: r.commune_insee,
      ald: r.ald,
      c2s: r.c2s,
    }));
  }

  async waiting(territory: Territory, onDay: IsoDate, limit: number): Promise<readonly WaitingPatient[]> {
    if (!Number.isInteger(limit) || limit < 1) throw ValidationError.field('limit', 'must be a positive integer');
    const params: unknown[] = [onDay];
    const inTerritory = territoryClause(territory, params);
    params.push(limit);
    // The order of `byPriority`: displaced, ALD, senior, C2S, longest wait, patient id.
    const { rows } = await this.sql.query<WaitingRow>(
      `SELECT p.patient_id, ${day('p.birth_date')} AS birth_date, p.commune_insee, p.ald, p.c2s, ${day('p.waiting_since')} AS waiting_since, p.top_priority,
         ARRAY(SELECT DISTINCT d.rpps FROM ${this.schema}.proposals d WHERE d.patient_id = p.patient_id AND d.status = 'declined') AS declined
       FROM ${this.schema}.patients p
       WHERE p.waiting_since IS NOT NULL AND p.pending_proposal_id IS NULL AND NOT p.deceased AND p.current_attribution_id IS NULL AND ${inTerritory}
       ORDER BY p.top_priority DESC, ${anyCoversSql('p.ald', '$1')} DESC, ${seniorSql('$1')} DESC, ${anyCoversSql('p.c2s', '$1')} DESC, p.waiting_since, p.patient_id
       LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      patientId: r.patient_id,
      birthDate: r.birth_date,
      communeInsee: r.commune_insee,
      ald: r.ald,
      c2s: r.c2s,
      waitingSince: r.waiting_since,
      topPriority: r.top_priority,
      ...(r.declined.length > 0 && { declinedRpps: r.declined }),
    }));
  }

  async pendingProposals(rppsList: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>(rppsList.map((rpps) => [rpps, 0]));
    if (rppsList.length === 0) return counts;
    const { rows } = await this.sql.query<{ rpps: string; n: number | string }>(
      `SELECT rpps, count(*) AS n FROM ${this.schema}.proposals WHERE status = 'pending' AND rpps = ANY($1::text[]) GROUP BY rpps`,
      [[...rppsList]],
    );
    for (const r of rows) counts.set(r.rpps, Number(r.n));
    return counts;
  }

  async proposalPatient(proposalId: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ patient_id: string }>(`SELECT patient_id FROM ${this.schema}.proposals WHERE proposal_id = $1`, [proposalId]);
    return rows[0]?.patient_id;
  }

  async coverage(territory: Territory, onDay: IsoDate): Promise<readonly CommuneCoverage[]> {
    const params: unknown[] = [onDay];
    const inTerritory = territoryClause(territory, params);
    const { rows } = await this.sql.query<{
      commune_insee: string;
      patients: number | string;
      with_mt: number | string;
      without_mt: number | string;
      chronic_without: number | string;
    }>(
      // "With a médecin traitant" on the day asked: an attribution running that day (history, not
      // the current row), found through the attributions' (patient_id, start_date) index.
      `SELECT c.commune_insee, count(*) AS patients,
         count(*) FILTER (WHERE c.with_mt) AS with_mt,
         count(*) FILTER (WHERE NOT c.with_mt) AS without_mt,
         count(*) FILTER (WHERE NOT c.with_mt AND c.chronic) AS chronic_without
       FROM (SELECT p.commune_insee,
               EXISTS (SELECT 1 FROM ${this.schema}.attributions a WHERE a.patient_id = p.patient_id AND a.start_date <= $1::date AND (a.end_date IS NULL OR $1::date < a.end_date)) AS with_mt,
               ${anyCoversSql('p.ald', '$1')} AS chronic
             FROM ${this.schema}.patients p
             WHERE NOT p.deceased AND ${inTerritory}) c
       GROUP BY c.commune_insee ORDER BY c.commune_insee`,
      params,
    );
    return rows.map((r) => ({
      communeInsee: r.commune_insee,
      patients: Number(r.patients),
      withMedecinTraitant: Number(r.with_mt),
      withoutMedecinTraitant: Number(r.without_mt),
      chronicWithout: Number(r.chronic_without),
    }));
  }
}

/**
 * The territory as a condition on `p`, its value appended to `params`. A commune is itself plus,
 * for Paris, Lyon and Marseille, its arrondissements (where residents are usually registered).
 */
function territoryClause(territory: Territory, params: unknown[]): string {
  switch (territory.kind) {
    case 'commune': {
      const directory = CommuneDirectory.shared();
      const code = directory.get(territory.code)?.insee ?? territory.code;
      params.push([code, ...directory.arrondissementsOf(code).map((a) => a.insee)]);
      return `p.commune_insee = ANY($${params.length}::text[])`;
    }
    case 'departement':
      params.push(territory.code.toUpperCase());
      return `p.departement = $${params.length}`;
    case 'region':
      params.push(territory.code);
      return `p.region = $${params.length}`;
  }
}

/** Parameters and SQL of a keyset page: rows after the token's patient id, one more than the page to know if another follows. */
function keyset(params: unknown[], page: Page, column: string): { params: unknown[]; after: string; limit: string } {
  if (!Number.isInteger(page.pageSize) || page.pageSize < 1) throw ValidationError.field('pageSize', 'must be a positive integer');
  let after = '';
  if (page.pageToken) {
    params.push(decodePageToken(page.pageToken));
    after = `AND ${column} > $${params.length}`;
  }
  params.push(page.pageSize + 1);
  return { params, after, limit: `$${params.length}` };
}

function pageOf<R extends { patient_id: string }, T>(rows: readonly R[], page: Page, map: (row: R) => T): PageOf<T> {
  const kept = rows.slice(0, page.pageSize);
  const last = kept[kept.length - 1];
  return { items: kept.map(map), ...(rows.length > page.pageSize && last && { nextPageToken: encodePageToken(last.patient_id) }) };
}
