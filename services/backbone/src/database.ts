import { join, resolve } from 'node:path';
import { PgliteSqlClient, PgSqlClient, type SqlClient } from '@pcn/eventsourcing';
import type { Config } from './config';
import { lockDataDir } from './data-dir-lock';

export interface Database {
  readonly sql: SqlClient;
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Embedded mode: one PGlite database under the data directory, shared by every service (each
 * in its own schema), locked against a second process. Otherwise a PostgreSQL server.
 */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.PCN_STORE !== 'pglite') {
    const sql = new PgSqlClient({ connectionString: config.PG_URL, max: 10 });
    await sql.query('SELECT 1');
    return { sql, description: `postgresql ${redact(config.PG_URL!)}`, close: () => sql.close() };
  }
  const dir = resolve(config.PCN_DATA_DIR);
  const unlock = await lockDataDir(dir);
  try {
    const sql = await PgliteSqlClient.open(join(dir, 'pglite'));
    return {
      sql,
      description: `pglite ${join(dir, 'pglite')}`,
      close: async () => {
        await sql.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
