import type { ProjectionRunner, SqlExecutor } from '@pcn/eventsourcing';
import type { Professional, Assignment } from '../../domain/professional/professional-state';
import type { Vacancy } from '../../domain/vacancy/vacancy-state';
import type { Mobility } from '../../domain/mobility/mobility-state';
import type { IsoDate } from '@pcn/time';
import type { MobilityRecord, StaffReadModel, TeamSlice, VacancyCount, VacancyFilter, VacancyRecord } from '../../application/read-model';
import type { MovementOutcome } from '../../application/views';
import { decodePageToken, encodePageToken } from './page-token';

const num = (v: number | string): number => Number(v);

/**
 * Queries over the staff projection. `centres` (learnt from the registry) gives vacancies their
 * territory; `movement_outcomes` (written by the movement process) says whether an approved
 * mobility's assignments have moved.
 */
export class SqlStaffReadModel implements StaffReadModel {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly runner: ProjectionRunner,
  ) {}

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.runner.waitForPosition(position, timeoutMs);
  }

  async team(centreFiness: string, on: IsoDate, page: { size: number; token?: string }): Promise<TeamSlice> {
    const s = this.schema;
    const worked = `a.centre_finess = $1 AND a.start_on <= $2::date AND (a.end_on IS NULL OR a.end_on > $2::date)`;
    const totals = await this.sql.query<{ n: number | string; fte: number | string | null }>(
      `SELECT count(*) AS n, sum(a.fte) AS fte FROM ${s}.assignments a WHERE ${worked}`,
      [centreFiness, on],
    );
    const params: unknown[] = [centreFiness, on];
    let after = '';
    if (page.token) {
      const [professionalId, assignmentId] = decodePageToken(page.token, 2);
      params.push(professionalId, assignmentId);
      after = `AND (a.professional_id, a.assignment_id) > ($3, $4)`;
    }
    params.push(page.size + 1);
    const { rows } = await this.sql.query<{ state: Professional; version: number | string; assignment_id: string }>(
      `SELECT p.state, p.version, a.assignment_id FROM ${s}.assignments a JOIN ${s}.professionals p USING (professional_id)
       WHERE ${worked} ${after} ORDER BY a.professional_id, a.assignment_id LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > page.size;
    const kept = rows.slice(0, page.size);
    const last = kept[kept.length - 1];
    return {
      rows: kept.map((r) => ({ professional: r.state, assignment: r.state.assignments[r.assignment_id]!, version: num(r.version) })),
      totalSize: num(totals.rows[0]?.n ?? 0),
      totalFte: num(totals.rows[0]?.fte ?? 0),
      ...(more && last && { nextPageToken: encodePageToken([last.state.professionalId, last.assignment_id]) }),
    };
  }

  async assignmentsAtCentreFrom(centreFiness: string, from: IsoDate): Promise<readonly { professionalId: string; assignment: Assignment }[]> {
    const { rows } = await this.sql.query<{ state: Professional; assignment_id: string }>(
      `SELECT p.state, a.assignment_id FROM ${this.schema}.assignments a JOIN ${this.schema}.professionals p USING (professional_id)
       WHERE a.centre_finess = $1 AND (a.end_on IS NULL OR a.end_on > $2::date) ORDER BY a.professional_id, a.assignment_id`,
      [centreFiness, from],
    );
    return rows.map((r) => ({ professionalId: r.state.professionalId, assignment: r.state.assignments[r.assignment_id]! }));
  }

  async vacancy(vacancyId: string): Promise<VacancyRecord | undefined> {
    const { rows } = await this.sql.query<VacancyRow>(`${this.vacancySelect()} WHERE v.vacancy_id = $1`, [vacancyId]);
    return rows[0] && toVacancyRecord(rows[0]);
  }

  async listVacancies(
    filter: VacancyFilter,
    page: { size: number; token?: string },
  ): Promise<{ records: readonly VacancyRecord[]; totalSize: number; nextPageToken?: string }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.departement) add((p) => `c.departement = ${p}`, filter.departement);
    if (filter.region) add((p) => `c.region = ${p}`, filter.region);
    if (filter.profession) add((p) => `v.profession = ${p}`, filter.profession);
    if (filter.status) add((p) => `v.status = ${p}`, filter.status);
    const total = await this.sql.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${this.schema}.vacancies v LEFT JOIN ${this.schema}.centres c ON c.finess = v.centre_finess ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    if (page.token) add((p) => `v.vacancy_id > ${p}`, decodePageToken(page.token, 1)[0]);
    params.push(page.size + 1);
    const { rows } = await this.sql.query<VacancyRow>(
      `${this.vacancySelect()} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.vacancy_id LIMIT $${params.length}`,
      params,
    );
    const kept = rows.slice(0, page.size);
    const last = kept[kept.length - 1];
    return {
      records: kept.map(toVacancyRecord),
      totalSize: num(total.rows[0]?.n ?? 0),
      ...(rows.length > page.size && last && { nextPageToken: encodePageToken([last.state.vacancyId]) }),
    };
  }

  async openVacanciesAt(centreFiness: string): Promise<readonly Vacancy[]> {
    const { rows } = await this.sql.query<{ state: Vacancy }>(
      `SELECT state FROM ${this.schema}.vacancies WHERE centre_finess = $1 AND status = 'open' ORDER BY vacancy_id`,
      [centreFiness],
    );
    return rows.map((r) => r.state);
  }

  async vacancyCounts(filter: { departement?: string; region?: string }): Promise<readonly VacancyCount[]> {
    const params: unknown[] = [];
    const where = [`v.status = 'open'`];
    if (filter.departement) {
      params.push(filter.departement);
      where.push(`c.departement = $${params.length}`);
    }
    if (filter.region) {
      params.push(filter.region);
      where.push(`c.region = $${params.length}`);
    }
    const { rows } = await this.sql.query<{
      region: string | null;
      departement: string | null;
      profession: string;
      open: number | string;
      fte: number | string;
    }>(
      `SELECT c.region, c.departement, v.profession, count(*) AS open, sum((v.state->>'fte')::int) AS fte
       FROM ${this.schema}.vacancies v LEFT JOIN ${this.schema}.centres c ON c.finess = v.centre_finess
       WHERE ${where.join(' AND ')} GROUP BY c.region, c.departement, v.profession ORDER BY c.region, c.departement, v.profession`,
      params,
    );
    return rows.map((r) => ({
      region: r.region ?? 'unknown',
      departement: r.departement ?? 'unknown',
      profession: r.profession as VacancyCount['profession'],
      open: num(r.open),
      openFte: num(r.fte),
    }));
  }

  async mobility(mobilityId: string): Promise<MobilityRecord | undefined> {
    const { rows } = await this.sql.query<{
      state: Mobility;
      version: number | string;
      decision: MobilityRecord['decision'] | null;
      outcome: string | null;
      error: string | null;
    }>(
      `SELECT m.state, m.version, m.decision, o.outcome, o.error FROM ${this.schema}.mobilities m
       LEFT JOIN ${this.schema}.movement_outcomes o USING (mobility_id) WHERE m.mobility_id = $1`,
      [mobilityId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const movement: MovementOutcome | undefined =
      row.state.status !== 'approved'
        ? undefined
        : row.outcome === 'failed'
          ? { status: 'failed', error: row.error ?? '' }
          : row.outcome === 'applied'
            ? { status: 'applied' }
            : { status: 'pending' };
    return { mobility: row.state, version: num(row.version), ...(row.decision && { decision: row.decision }), ...(movement && { movement }) };
  }

  async professionals(after: string | undefined, limit: number): Promise<readonly Professional[]> {
    const { rows } = await this.sql.query<{ state: Professional }>(
      `SELECT state FROM ${this.schema}.professionals WHERE professional_id > $1 ORDER BY professional_id LIMIT $2`,
      [after ?? '', limit],
    );
    return rows.map((r) => r.state);
  }

  private vacancySelect(): string {
    return `SELECT v.state, v.version, c.departement, c.region FROM ${this.schema}.vacancies v LEFT JOIN ${this.schema}.centres c ON c.finess = v.centre_finess`;
  }
}

interface VacancyRow {
  state: Vacancy;
  version: number | string;
  departement: string | null;
  region: string | null;
}

function toVacancyRecord(row: VacancyRow): VacancyRecord {
  return { vacancy: row.state, version: num(row.version), ...(row.departement && { departement: row.departement }), ...(row.region && { region: row.region }) };
}
