import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client';

const parsers = { [types.INT8]: (v: string) => Number(v) };

/**
 * Embedded PostgreSQL (WASM). One instance is one connection: PGlite queues queries and
 * `transaction` holds the connection exclusively, so transactions are serialised.
 */
export class PgliteSqlClient implements SqlClient {
  readonly dialect = 'pglite' as const;

  private constructor(readonly db: PGlite) {}

  /** `dataDir` undefined: in memory (tests). Otherwise persisted in that directory. */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir, { parsers });
    return new PgliteSqlClient(db);
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const res = await this.db.query<R>(sql, params as unknown[]);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({
        query: async <R>(sql: string, params: readonly unknown[] = []) => {
          const res = await tx.query<R>(sql, params as unknown[]);
          return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
