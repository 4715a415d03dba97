import { migrate, type SqlClient } from '@pcn/eventsourcing';
import type { IndexedPseudonym, PseudonymIndex } from '../../application/nir-key-ring';

/** The NIR pseudonyms by key (table `<schema>.nir_pseudonyms`), beside the NIR key's fingerprint. */
export class SqlPseudonymIndex implements PseudonymIndex {
  private constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {}

  static async open(sql: SqlClient, schema: string): Promise<SqlPseudonymIndex> {
    await migrate(sql, `pcn-attribution-nir-pseudonyms-${schema}`, [
      `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      `CREATE TABLE IF NOT EXISTS ${schema}.nir_pseudonyms (
        pseudonym text PRIMARY KEY,
        key_id text NOT NULL,
        patient_id text NOT NULL,
        indexed_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX IF NOT EXISTS nir_pseudonyms_patient ON ${schema}.nir_pseudonyms (patient_id, key_id)`,
    ]);
    return new SqlPseudonymIndex(sql, schema);
  }

  async find(pseudonyms: readonly string[]): Promise<Map<string, IndexedPseudonym>> {
    const { rows } = await this.sql.query<{ pseudonym: string; key_id: string; patient_id: string }>(
      `SELECT pseudonym, key_id, patient_id FROM ${this.schema}.nir_pseudonyms WHERE pseudonym = ANY($1::text[])`,
      [pseudonyms],
    );
    return new Map(rows.map((r) => [r.pseudonym, { pseudonym: r.pseudonym, keyId: r.key_id, patientId: r.patient_id }]));
  }

  async add(entries: readonly IndexedPseudonym[]): Promise<IndexedPseudonym[]> {
    if (entries.length === 0) return [];
    const { rows } = await this.sql.query<{ pseudonym: string; key_id: string; patient_id: string }>(
      `INSERT INTO ${this.schema}.nir_pseudonyms (pseudonym, key_id, patient_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (pseudonym) DO NOTHING
       RETURNING pseudonym, key_id, patient_id`,
      [entries.map((e) => e.pseudonym), entries.map((e) => e.keyId), entries.map((e) => e.patientId)],
    );
    return rows.map((r) => ({ pseudonym: r.pseudonym, keyId: r.key_id, patientId: r.patient_id }));
  }

  async countNotRekeyed(from: string, to: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: string | number }>(
      `SELECT count(DISTINCT p.patient_id) AS n FROM ${this.schema}.nir_pseudonyms p
       WHERE p.key_id = $1 AND NOT EXISTS (SELECT 1 FROM ${this.schema}.nir_pseudonyms q WHERE q.patient_id = p.patient_id AND q.key_id = $2)`,
      [from, to],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
