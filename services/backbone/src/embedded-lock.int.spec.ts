import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@pcn/eventsourcing/testing';
import { registration } from '@pcn/registry/testing';
import { LOCK_FILE, type LockHolder } from './data-dir-lock';
import { processIdentity } from './process-identity';
import { postJson, runEmbedded, startEmbedded, started, stop } from './testing-embedded';
import { authorizationFor } from './testing-tokens';
import type { Proc } from './testing-processes';

// Runs the compiled binary (npm run build first): real processes, real signals.
let dataDir: string;
const procs: Proc[] = [];
const track = (proc: Proc): Proc => (procs.push(proc), proc);
const lockHolder = (): LockHolder => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
/** Longer than the 10 s after which the earlier lock (proper-lockfile) called a silent holder stale. */
const OLD_STALE_DELAY_MS = 10_000;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pcn-embedded-lock-'));
});
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.child.kill('SIGCONT');
    await stop(p);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded data directory, shared by two processes', () => {
  it('stays with a frozen holder: a second instance is refused however long the first is stopped, and the first goes on alone when resumed', async () => {
    const first = await startEmbedded(dataDir);
    track(first.proc);
    expect((await postJson(`${first.http}/v1/centres`, registration('93000001'), await authorizationFor(dataDir))).status).toBe(201);

    first.proc.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, OLD_STALE_DELAY_MS + 1000));
    const second = track(runEmbedded(dataDir));
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain(`is in use by another running instance (pid ${first.proc.child.pid}`);
    expect(lockHolder().pid).toBe(first.proc.child.pid);

    first.proc.child.kill('SIGCONT');
    expect((await postJson(`${first.http}/v1/centres`, registration('93000002'), await authorizationFor(dataDir))).status).toBe(201);
    expect((await fetch(`${first.http}/readyz`)).status).toBe(200);
    expect(lockHolder().pid).toBe(first.proc.child.pid);
    expect(await stop(first.proc)).toBe(0);

    // Nothing was damaged: the database opens again with both centres.
    const again = await startEmbedded(dataDir);
    track(again.proc);
    await eventually(async () => {
      const list = (await (await fetch(`${again.http}/v1/centres`, { headers: await authorizationFor(dataDir) })).json()) as { centres: { finess: string }[] };
      expect(list.centres.map((c) => c.finess.slice(0, 8)).sort()).toEqual(['93000001', '93000002']);
    }, 10_000);
  }, 120_000);

  it('is taken over from a holder that died without releasing it', async () => {
    const crashed = await startEmbedded(dataDir);
    track(crashed.proc);
    crashed.proc.child.kill('SIGKILL');
    await crashed.proc.exit;
    expect(lockHolder().pid).toBe(crashed.proc.child.pid);

    const next = track(runEmbedded(dataDir));
    await started(next);
    expect(next.lines().find((l) => l.msg === 'took over the data-directory lock of an instance that is no longer running')).toMatchObject({
      deadHolder: { pid: crashed.proc.child.pid },
    });
    expect(lockHolder().pid).toBe(next.child.pid);
  }, 120_000);

  it('stops writing and shuts down, exit code 1, when its lock file no longer names it', async () => {
    const holder = await startEmbedded(dataDir);
    track(holder.proc);
    // Another (live) holder's lock replaces ours, as a second instance that took the directory would.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ ...processIdentity(), token: '0'.repeat(32), since: new Date().toISOString() }));
    expect(await holder.proc.exit).toBe(1);
    expect(holder.proc.lines().find((l) => l.msg === 'cannot go on: refusing every request and shutting down')).toMatchObject({
      err: { type: 'DataDirLostError' },
    });
    // It left the other holder's lock alone.
    expect(lockHolder().token).toBe('0'.repeat(32));
  }, 120_000);
});
