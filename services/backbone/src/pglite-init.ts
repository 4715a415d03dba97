import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Creates a new PGlite database in `dir` in a short-lived child process, when there is none yet.
 * PGlite's initdb grows its WebAssembly memory to about 800 MB, and WebAssembly memory never
 * shrinks: done in this process, the first start would hold that until the next restart. The
 * child's memory goes back to the system when it exits, and this process opens the database as
 * on any restart.
 */
export async function initialisePglite(dir: string): Promise<boolean> {
  if (existsSync(join(dir, 'PG_VERSION'))) return false;
  const pglite = require.resolve('@electric-sql/pglite');
  const script = `require(${JSON.stringify(pglite)}).PGlite.create(process.argv[1]).then((db) => db.close()).catch((e) => { console.error(e); process.exit(1); })`;
  try {
    await run(process.execPath, ['-e', script, dir], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`could not create the embedded database in ${dir}: ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
  return true;
}
