import type { SqlExecutor } from '@pcn/eventsourcing';
import type { CentreDirectory, CentreInfo, CentreStatus } from '../../application/ports';

interface Row {
  finess: string;
  name: string;
  departement: string;
  region: string;
  status: CentreStatus;
  closed_on: string | null;
}

/**
 * The centres staff has heard of, from the registry's events. Not a projection of staff's own
 * log, so a rebuild of the staff read model leaves it alone; `version` is the registry's stream
 * revision, which makes a late or repeated message harmless. Table: staff-tables.ts.
 */
export class SqlCentreDirectory implements CentreDirectory {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
  ) {}

  async get(finess: string): Promise<CentreInfo | undefined> {
    const { rows } = await this.sql.query<Row>(
      `SELECT finess, name, departement, region, status, closed_on::text AS closed_on FROM ${this.schema}.centres WHERE finess = $1`,
      [finess],
    );
    const row = rows[0];
    return (
      row && {
        finess: row.finess,
        name: row.name,
        departement: row.departement,
        region: row.region,
        status: row.status,
        ...(row.closed_on && { closedOn: row.closed_on }),
      }
    );
  }

  /** Records what a registry event says, unless a later version is already known. A closure, once announced, stays (closure is final in the registry). */
  async record(tx: SqlExecutor, centre: CentreInfo, version: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.centres (finess, name, departement, region, status, closed_on, version) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (finess) DO UPDATE SET name = EXCLUDED.name, departement = EXCLUDED.departement, region = EXCLUDED.region,
         status = EXCLUDED.status, closed_on = COALESCE(EXCLUDED.closed_on, ${this.schema}.centres.closed_on), version = EXCLUDED.version
       WHERE ${this.schema}.centres.version < EXCLUDED.version`,
      [centre.finess, centre.name, centre.departement, centre.region, centre.status, centre.closedOn ?? null, version],
    );
  }
}
