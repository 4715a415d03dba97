import { migrate, type SqlClient, type SqlExecutor } from '@pcn/eventsourcing';
import type { MovementOutcomes } from '../../application/movement-process';

/**
 * Tables of the staff schema that are not projections of its own log, so a projection rebuild
 * leaves them alone: the centres learnt from the registry, and the outcome of each movement.
 */
export async function migrateStaffTables(sql: SqlClient, schema: string): Promise<void> {
  await migrate(sql, `pcn-staff-tables-${schema}`, [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.centres (
      finess text PRIMARY KEY,
      name text NOT NULL,
      departement text NOT NULL,
      region text NOT NULL,
      status text NOT NULL,
      closed_on date,
      version bigint NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.movement_outcomes (
      mobility_id text PRIMARY KEY,
      outcome text NOT NULL,
      error text,
      recorded_at timestamptz NOT NULL DEFAULT now())`,
  ]);
}

export class SqlMovementOutcomes implements MovementOutcomes {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
  ) {}

  async record(mobilityId: string, outcome: { status: 'applied' } | { status: 'failed'; error: string }): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${this.schema}.movement_outcomes (mobility_id, outcome, error) VALUES ($1, $2, $3)
       ON CONFLICT (mobility_id) DO UPDATE SET outcome = EXCLUDED.outcome, error = EXCLUDED.error, recorded_at = now()`,
      [mobilityId, outcome.status, outcome.status === 'failed' ? outcome.error : null],
    );
  }
}
