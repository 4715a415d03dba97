import { migrate, type SqlClient } from '@pcn/eventsourcing';
import type { NirKeyFingerprints } from '../../application/nir-key-guard';

/**
 * The NIR key's fingerprint in the attribution schema, beside the events (PGlite, PostgreSQL)
 * or the read models (KurrentDB): one row, written once.
 */
export class SqlNirKeyFingerprints implements NirKeyFingerprints {
  private constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  static async open(sql: SqlClient, schema: string): Promise<SqlNirKeyFingerprints> {
    await migrate(sql, `pcn-attribution-nir-key-${schema}`, [
      `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      `CREATE TABLE IF NOT EXISTS ${schema}.nir_key (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        fingerprint text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now())`,
    ]);
    return new SqlNirKeyFingerprints(sql, schema);
  }

  async read(): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ fingerprint: string }>(`SELECT fingerprint FROM ${this.schema}.nir_key`);
    return rows[0]?.fingerprint;
  }

  async record(fingerprint: string): Promise<string> {
    await this.sql.query(`INSERT INTO ${this.schema}.nir_key (fingerprint) VALUES ($1) ON CONFLICT (only_row) DO NOTHING`, [fingerprint]);
    return (await this.read())!;
  }

  /** Records that the data are now keyed by `to` (the end of a rotation's first start); only from `from`. */
  async rotate(from: string, to: string): Promise<void> {
    await this.sql.query(`UPDATE ${this.schema}.nir_key SET fingerprint = $2, recorded_at = now() WHERE fingerprint = $1`, [from, to]);
  }
}
