import { ValidationError, type ProjectionRunner, type SqlExecutor } from '@pcn/eventsourcing';
import type { ExistingCentre } from '../../domain/centre-state';
import type { CentreFilter, CentrePage, CentreReadModel } from '../../application/centre-read-model';
import { toCentreView, type CentreView } from '../../application/centre-view';

interface Row {
  state: ExistingCentre;
  version: number;
  registered_at: Date | string;
  updated_at: Date | string;
}

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();
// The status a row has on a given day, as statusOn (domain/centre-state.ts) decides it: an
// announced closure takes effect on its date, an accreditation recorded in advance on its own.
const effectiveStatus = (day: string): string =>
  `CASE WHEN closure_date IS NOT NULL AND closure_date <= ${day}::date THEN 'closed'
        WHEN status <> 'candidate' AND (state->>'accreditedOn')::date > ${day}::date THEN 'candidate'
        ELSE status END`;

export class SqlCentreReadModel implements CentreReadModel {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly runner: ProjectionRunner,
  ) {}

  async get(finess: string, day: string): Promise<CentreView | undefined> {
    const res = await this.sql.query<Row>(`SELECT state, version, registered_at, updated_at FROM ${this.schema}.centres WHERE finess = $1`, [finess]);
    const row = res.rows[0];
    return row && toView(row, day);
  }

  async list(filter: CentreFilter, page: { size: number; token?: string }, day: string): Promise<CentrePage> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.departement) add((p) => `departement = ${p}`, filter.departement);
    if (filter.region) add((p) => `region = ${p}`, filter.region);
    if (filter.type) add((p) => `type = ${p}`, filter.type);
    if (filter.status) {
      params.push(day);
      add((p) => `${effectiveStatus(`$${params.length - 1}`)} = ${p}`, filter.status);
    }
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.schema}.centres ${filtered}`, params);

    const pageParams = [...params];
    const pageWhere = [...where];
    if (page.token) {
      pageParams.push(decodePageToken(page.token));
      pageWhere.push(`finess > $${pageParams.length}`);
    }
    pageParams.push(page.size + 1);
    const res = await this.sql.query<Row>(
      `SELECT state, version, registered_at, updated_at FROM ${this.schema}.centres
       ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY finess LIMIT $${pageParams.length}`,
      pageParams,
    );
    const rows = res.rows.slice(0, page.size);
    const more = res.rows.length > page.size;
    return {
      centres: rows.map((r) => toView(r, day)),
      totalSize: total.rows[0]?.n ?? 0,
      ...(more && { nextPageToken: encodePageToken(rows[rows.length - 1]!.state.finess) }),
    };
  }

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.runner.waitForPosition(position, timeoutMs);
  }
}

function toView(row: Row, day: string): CentreView {
  return toCentreView(row.state, { version: row.version, registeredAt: iso(row.registered_at), updatedAt: iso(row.updated_at) }, day);
}

/** Keyset pagination: the token is the last FINESS of the page, opaque to clients. */
export function encodePageToken(finess: string): string {
  return Buffer.from(`after:${finess}`).toString('base64url');
}

export function decodePageToken(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString();
  if (!decoded.startsWith('after:') || decoded.length > 40) throw ValidationError.field('pageToken', 'is not a token returned by a previous page');
  return decoded.slice('after:'.length);
}
