import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `the data directory ${dataDir} is in use by another running instance. ` +
        'PGlite is a single-process database: stop the other instance, or start this one with another PCN_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * PGlite does not lock its directory, and two processes writing to it would corrupt it. The
 * lock is refreshed while we run and considered stale 10 s after a crash, so a killed
 * instance does not block the next start for long.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  try {
    return await lockfile.lock(dir, { lockfilePath: `${dir}/.pcn.lock`, stale: 10_000, update: 2_000, retries: 0, realpath: false });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dir);
    throw error;
  }
}
