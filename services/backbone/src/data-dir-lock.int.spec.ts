import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE, lockDataDir, type LockHolder } from './data-dir-lock';
import { processIdentity } from './process-identity';

let dir: string;
const releases: (() => void)[] = [];
const lock = (onLost: (reason: string) => void = () => undefined, checkIntervalMs = 50) => {
  const held = lockDataDir(dir, { onLost, checkIntervalMs });
  releases.push(() => held.release());
  return held;
};
const lockFile = (): LockHolder => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
/** The pid of a process that has exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pcn-lock-'));
});
afterEach(() => {
  for (const release of releases.splice(0)) release();
  rmSync(dir, { recursive: true, force: true });
});

describe('the data-directory lock', () => {
  it('names its holder (pid, host, random token), is refused to a second taker while held, and is removed on release', () => {
    const first = lock();
    expect(lockFile()).toMatchObject({ pid: process.pid, token: first.holder.token });
    expect(first.holder.token).toMatch(/^[0-9a-f]{32}$/);
    expect(() => lock()).toThrow(DataDirLockedError);
    expect(() => lock()).toThrow(`pid ${process.pid}`);
    first.release();
    const second = lock();
    expect(lockFile().token).toBe(second.holder.token);
  });

  it('is never taken from a live process, however old its file: no staleness by time', () => {
    // A live process other than this one: the test runner's parent (alive as long as this test runs).
    const holder = { ...processIdentity(process.ppid), token: 'f'.repeat(32), since: '2020-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
    utimesSync(join(dir, LOCK_FILE), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(() => lock()).toThrow(`pid ${process.ppid}`);
    expect(lockFile().token).toBe(holder.token);
  });

  it('is taken over when its holder is dead: a pid no longer running, a pid reused by another process, or a file of a previous incarnation of this pid', () => {
    const dead = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...processIdentity(), pid: dead, token: 'a'.repeat(32), since: 'x' }));
    const taken = lock();
    expect(taken.tookOverFrom).toMatchObject({ pid: dead });
    expect(lockFile().token).toBe(taken.holder.token);
    taken.release();

    const me = processIdentity();
    if (me.startTime !== undefined) {
      // The parent's pid with another start time: that pid now names another process.
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...processIdentity(process.ppid), startTime: '1', token: 'b'.repeat(32), since: 'x' }));
      expect(lock().tookOverFrom).toMatchObject({ pid: process.ppid });
      releases.pop()!();
    }
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...me, token: 'c'.repeat(32), since: 'x' }));
    expect(lock().tookOverFrom).toMatchObject({ token: 'c'.repeat(32) });
  });

  it('refuses a lock of another host (its pid cannot be checked) and a file it cannot read', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere.example', token: 'd'.repeat(32), since: 'x' }));
    expect(() => lock()).toThrow(/another machine's process/);
    writeFileSync(join(dir, LOCK_FILE), 'not a lock');
    expect(() => lock()).toThrow(/not a lock this version can read/);
  });

  it('waits for a lock directory of an earlier version while it is refreshed, and removes it once stale', () => {
    mkdirSync(join(dir, LOCK_FILE));
    expect(() => lock()).toThrow(/earlier version/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    expect(lock().holder.pid).toBe(process.pid);
  });

  it('reports the loss once when its file is replaced by another holder, or removed, and then leaves the file alone', async () => {
    const lost: string[] = [];
    const held = lock((reason) => lost.push(reason));
    const other = { ...processIdentity(), token: 'e'.repeat(32), since: 'x' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(other));
    await until(() => lost.length > 0);
    expect(lost).toEqual([expect.stringContaining('now names another holder')]);
    held.release();
    expect(lockFile().token).toBe(other.token);

    rmSync(join(dir, LOCK_FILE));
    const removed: string[] = [];
    lock((reason) => removed.push(reason));
    rmSync(join(dir, LOCK_FILE));
    await until(() => removed.length > 0);
    expect(removed).toEqual([expect.stringContaining('was removed')]);
  });
});
