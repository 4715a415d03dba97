import type { SqlClient } from '@pcn/eventsourcing';
import type { AdoptedSchemes } from '../../application/schemes';

/** The adopted schemes proposing to open a centre in a commune, read from the `schemes` read model. */
export class SqlAdoptedSchemes implements AdoptedSchemes {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  async openingIn(communeCode: string): Promise<string[]> {
    const rows = await this.sql.query<{ scheme_id: string }>(
      `SELECT scheme_id FROM ${this.schema}.schemes WHERE status = 'adopted' AND state->'proposals' @> $1::jsonb ORDER BY scheme_id`,
      [JSON.stringify([{ kind: 'open-centre', communeCode }])],
    );
    return rows.rows.map((row) => row.scheme_id);
  }
}
