import { migrate, type SqlClient } from '@pcn/eventsourcing';
import type { ComputationRecord, ComputationStore } from '../../application/computations';

export async function migrateComputationTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `${schema}-computations`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.computations (
       computation_id text PRIMARY KEY,
       computed_at timestamptz NOT NULL,
       saved_seq bigserial NOT NULL,
       record jsonb NOT NULL)`,
  ]);
}

/**
 * Computations stored in SQL, so that they survive a restart and every instance reads the same
 * ones. Each holds ~35,000 results (about 2 MB): the most recent `capacity` are kept.
 */
export class SqlComputations implements ComputationStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
    private readonly capacity = 20,
  ) {}

  async save(record: ComputationRecord): Promise<void> {
    const table = `${this.schema}.computations`;
    await this.sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (computation_id, computed_at, record) VALUES ($1, $2, $3::jsonb) ON CONFLICT (computation_id) DO NOTHING`, [
        record.computationId,
        record.computedAt,
        JSON.stringify(record),
      ]);
      await tx.query(`DELETE FROM ${table} WHERE computation_id NOT IN (SELECT computation_id FROM ${table} ORDER BY saved_seq DESC LIMIT $1)`, [
        this.capacity,
      ]);
    });
  }

  async get(computationId: string): Promise<ComputationRecord | undefined> {
    const rows = await this.sql.query<{ record: ComputationRecord }>(`SELECT record FROM ${this.schema}.computations WHERE computation_id = $1`, [
      computationId,
    ]);
    return rows.rows[0]?.record;
  }
}
