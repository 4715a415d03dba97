import { join, resolve } from 'node:path';
import { PgliteSqlClient, PgSqlClient, type SqlClient } from '@pcn/eventsourcing';
import type { Logger } from '@pcn/observability';
import type { Config } from './config';
import { lockDataDir } from './data-dir-lock';
import { secureDataDir } from './data-dir-permissions';
import { FencedSqlClient } from './fenced-sql-client';
import { initialisePglite } from './pglite-init';
import { NIR_KEY_FILE } from '@pcn/attribution';

export interface Database {
  readonly sql: SqlClient;
  readonly description: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly logger: Logger;
  /**
   * Embedded mode: the data-directory lock was lost (another instance took the directory).
   * Every query already fails when this is called; the process must stop.
   */
  readonly onLockLost: (reason: string) => void;
  readonly lockCheckIntervalMs?: number;
}

/**
 * Embedded mode: one PGlite database under the data directory, shared by every service (each
 * in its own schema), locked against a second process, readable by its owner only. Otherwise
 * a PostgreSQL server.
 */
export async function openDatabase(config: Config, options: DatabaseOptions): Promise<Database> {
  if (config.PCN_STORE !== 'pglite') {
    const sql = new PgSqlClient({ connectionString: config.PG_URL, max: 10 });
    await sql.query('SELECT 1');
    return { sql, description: `postgresql ${redact(config.PG_URL!)}`, close: () => sql.close() };
  }
  const dir = resolve(config.PCN_DATA_DIR);
  const tightened = secureDataDir(dir, [NIR_KEY_FILE]);
  if (tightened > 0)
    options.logger.warn({ dataDir: dir, entries: tightened }, 'took group and other permissions away from the data directory (it holds patient data)');
  let fenced: FencedSqlClient | undefined;
  let lost: string | undefined;
  const lock = lockDataDir(dir, {
    ...(options.lockCheckIntervalMs !== undefined && { checkIntervalMs: options.lockCheckIntervalMs }),
    onLost: (reason) => {
      lost = reason;
      fenced?.fence(reason);
      options.onLockLost(reason);
    },
  });
  if (lock.tookOverFrom)
    options.logger.warn({ dataDir: dir, deadHolder: lock.tookOverFrom }, 'took over the data-directory lock of an instance that is no longer running');
  try {
    const pgliteDir = join(dir, 'pglite');
    if (await initialisePglite(pgliteDir)) options.logger.info({ dataDir: pgliteDir }, 'created a new embedded database');
    const sql = new FencedSqlClient(await PgliteSqlClient.open(pgliteDir));
    if (lost !== undefined) sql.fence(lost);
    // PostgreSQL rewrites its relation-cache files (pg_internal.init) at every start, and PGlite
    // creates them readable by all whatever the umask.
    secureDataDir(dir, [NIR_KEY_FILE]);
    fenced = sql;
    return {
      sql,
      description: `pglite ${pgliteDir}`,
      close: async () => {
        try {
          await sql.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
