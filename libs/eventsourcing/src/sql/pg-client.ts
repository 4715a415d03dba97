import { Pool, type PoolConfig } from 'pg';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client';

// BIGINT (int8) columns come back as strings by default; positions and revisions fit in a
// JS number well past any realistic log size (2^53), so parse them as numbers.
const INT8_OID = 20;

export class PgSqlClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(config: PoolConfig | string) {
    const base: PoolConfig = typeof config === 'string' ? { connectionString: config } : config;
    this.pool = new Pool({
      ...base,
      types: {
        getTypeParser: ((oid: number, format?: string) => (oid === INT8_OID ? (v: string) => Number(v) : defaultParser(oid, format))) as never,
      },
    });
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const res = await this.pool.query(sql, params as unknown[]);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const conn = await this.pool.connect();
    try {
      await conn.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: readonly unknown[] = []) => {
          const res = await conn.query(sql, params as unknown[]);
          return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
        },
      };
      const result = await fn(tx);
      await conn.query('COMMIT');
      return result;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function defaultParser(oid: number, format?: string): (value: string) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const types = require('pg').types as { getTypeParser(oid: number, format?: string): (v: string) => unknown };
  return types.getTypeParser(oid, format);
}
