import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { processIdentity, processLiveness, type ProcessIdentity } from './process-identity';

export const LOCK_FILE = '.pcn.lock';
/** How often the holder checks that the lock file still names it. */
export const DEFAULT_LOCK_CHECK_MS = 1000;
/** A lock directory of an earlier version (proper-lockfile) whose mtime is older than this is left behind by a crash. */
const LEGACY_STALE_MS = 10_000;

/** What the lock file holds: enough to tell whether its writer is still running, and whether it is us. */
export interface LockHolder extends ProcessIdentity {
  /** Random, new at every start: tells two incarnations of the same pid apart. */
  readonly token: string;
  readonly since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: string,
  ) {
    super(
      `the data directory ${dataDir} is in use by another running instance (${holder}). ` +
        'PGlite is a single-process database: stop the other instance, or start this one with another PCN_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly holder: LockHolder;
  /** The dead holder whose lock was taken over, if any (it crashed without releasing it). */
  readonly tookOverFrom?: LockHolder;
  /** Stops watching, and removes the lock file if it is still ours. */
  release(): void;
}

export interface LockOptions {
  /**
   * Called once when the lock file no longer names this process (removed, or replaced by
   * another instance): from then on this process must not write to the directory.
   */
  readonly onLost: (reason: string) => void;
  readonly checkIntervalMs?: number;
}

/** Locks held by this process, so a second start in the same process is refused, not taken for a dead pid. */
const heldHere = new Set<string>();

/**
 * PGlite does not lock its directory, and two processes writing to it destroy it. The lock is a
 * file naming its holder (pid, start time, boot, host, random token). It is never taken from a
 * live process, however long that process has been frozen: only when the named process is gone
 * (or the pid now belongs to another process, or the machine has rebooted). The holder re-reads
 * the file every `checkIntervalMs`, and if it no longer names it, reports the loss at once.
 *
 * Taking a file is `link()` of a complete temporary file (atomic, fails if the name exists), so
 * a reader never sees a half-written lock. Taking over a dead holder's file moves it aside and
 * checks that what was moved is the file judged dead; a live lock moved by mistake in a race is
 * put back.
 */
export function lockDataDir(dataDir: string, options: LockOptions): DataDirLock {
  const dir = resolve(dataDir);
  const lockPath = join(dir, LOCK_FILE);
  const holder: LockHolder = { ...processIdentity(), token: randomBytes(16).toString('hex'), since: new Date().toISOString() };
  const content = `${JSON.stringify(holder)}\n`;
  const candidate = `${lockPath}.${holder.token}`;
  writeFileSync(candidate, content, { mode: 0o600, flag: 'wx' });
  let tookOverFrom: LockHolder | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      if (tryLink(candidate, lockPath)) break;
      if (attempt >= 5) throw new DataDirLockedError(dir, 'the lock changed hands repeatedly while this instance tried to take it');
      const found = readLock(lockPath);
      if (found === undefined) continue;
      if (found.kind === 'legacy') {
        if (Date.now() - found.mtimeMs < LEGACY_STALE_MS)
          throw new DataDirLockedError(dir, 'an instance of an earlier version, which refreshes its lock directory');
        rmdirSync(lockPath);
        continue;
      }
      if (found.kind === 'unreadable') {
        throw new DataDirLockedError(dir, `${lockPath} is not a lock this version can read; remove it once you are sure no instance uses the directory`);
      }
      const verdict = judge(found.holder);
      if (verdict.alive) throw new DataDirLockedError(dir, verdict.why);
      if (moveAsideIfUnchanged(lockPath, found.raw, holder.token)) tookOverFrom = found.holder;
    }
  } finally {
    unlinkSync(candidate);
  }
  heldHere.add(holder.token);

  let released = false;
  const check = (): void => {
    const now = readLock(lockPath);
    const ours = now?.kind === 'holder' && now.holder.token === holder.token && now.holder.pid === holder.pid;
    if (ours) return;
    const reason = now === undefined ? `the lock file ${lockPath} was removed` : `the lock file ${lockPath} now names another holder`;
    stop();
    options.onLost(reason);
  };
  const timer = setInterval(check, options.checkIntervalMs ?? DEFAULT_LOCK_CHECK_MS);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    heldHere.delete(holder.token);
  };
  return {
    holder,
    ...(tookOverFrom && { tookOverFrom }),
    release() {
      if (released) return;
      released = true;
      stop();
      const now = readLock(lockPath);
      if (now?.kind === 'holder' && now.holder.token === holder.token) unlinkSync(lockPath);
    },
  };
}

type Found = { kind: 'holder'; holder: LockHolder; raw: string } | { kind: 'legacy'; mtimeMs: number } | { kind: 'unreadable' };

function readLock(lockPath: string): Found | undefined {
  let raw: string;
  try {
    const stat = lstatSync(lockPath);
    if (stat.isDirectory()) return { kind: 'legacy', mtimeMs: stat.mtimeMs };
    raw = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(raw) as LockHolder;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string' && typeof holder.host === 'string') return { kind: 'holder', holder, raw };
  } catch {
    // Not JSON: reported as unreadable below, never taken over.
  }
  return { kind: 'unreadable' };
}

function judge(holder: LockHolder): { alive: boolean; why: string } {
  const who = `pid ${holder.pid} on ${holder.host}, since ${holder.since}`;
  if (holder.pid === process.pid && holder.host === hostname()) {
    // Our own pid: either a lock this process holds, or one left by an earlier process that had
    // the same pid (a container restarted: its main process is pid 1 again).
    return heldHere.has(holder.token) ? { alive: true, why: `${who}: this very process` } : { alive: false, why: who };
  }
  const liveness = processLiveness(holder);
  if (liveness === 'unknown')
    return { alive: true, why: `${who}: another machine's process, which cannot be checked from here; remove ${LOCK_FILE} once you are sure it is stopped` };
  return { alive: liveness === 'alive', why: who };
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the dead holder's file, unless another instance replaced it since it was read (then
 * that instance's lock is put back, and the next round finds it alive).
 */
function moveAsideIfUnchanged(lockPath: string, judgedRaw: string, token: string): boolean {
  const aside = `${lockPath}.stale-${token}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== judgedRaw) tryLink(aside, lockPath);
  unlinkSync(aside);
  return moved === judgedRaw;
}
