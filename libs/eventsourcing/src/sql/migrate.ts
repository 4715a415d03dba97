import type { SqlClient } from './sql-client';

/**
 * Runs idempotent DDL statements in one transaction under an advisory lock, so two processes
 * starting at once on the same database do not race on CREATE ... IF NOT EXISTS.
 */
export async function migrate(sql: SqlClient, lockName: string, statements: readonly string[]): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
    for (const statement of statements) await tx.query(statement);
  });
}
