import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patientInput } from '@pcn/attribution/testing';
import { eventually } from '@pcn/eventsourcing/testing';
import { registration } from '@pcn/registry/testing';
import { NIR_KEY_FILE } from '@pcn/attribution';
import { postJson, runEmbedded, startEmbedded, stop, type Started } from './testing-embedded';
import type { Proc } from './testing-processes';

// Runs the compiled binary (npm run build first) on a data directory, as an operator would.
let root: string;
const procs: Proc[] = [];
const start = async (dir: string, env: Record<string, string> = {}): Promise<Started> => {
  const s = await startEmbedded(dir, env);
  procs.push(s.proc);
  return s;
};
/** Starts and expects a refusal: exit code 1 and this message. */
const refused = async (dir: string, message: string | RegExp, env: Record<string, string> = {}): Promise<void> => {
  const proc = runEmbedded(dir, env);
  procs.push(proc);
  expect(await proc.exit).toBe(1);
  expect(proc.output()).toMatch(message);
};
const mode = (path: string): number => lstatSync(path).mode & 0o777;
/** Every entry under `dir` that its group or others may read, write or enter. */
const exposed = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => (mode(path) & 0o077) !== 0);
const sh = (command: string, args: string[]): void => {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  expect(done.stderr + (done.status === 0 ? '' : `exit ${done.status}`)).toBe('');
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pcn-embedded-data-'));
});
afterEach(async () => {
  for (const p of procs.splice(0)) await stop(p);
  rmSync(root, { recursive: true, force: true });
});

const CENTRES = ['93000001', '93000002', '75000003'];
const PATIENTS = [101, 102, 103, 104];

describe('the embedded data directory', () => {
  it('is for its owner only, keeps a NIR key it refuses to lose or replace, and restores from a copy taken while stopped', async () => {
    const dataDir = join(root, 'data');
    const first = await start(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, NIR_KEY_FILE))).toBe(0o600);
    expect(exposed(dataDir)).toEqual([]);
    const finesses: string[] = [];
    for (const c of CENTRES) {
      const created = await postJson(`${first.http}/v1/centres`, registration(c));
      expect(created.status).toBe(201);
      finesses.push(((await created.json()) as { finess: string }).finess);
    }
    const patientIds: string[] = [];
    for (const p of PATIENTS) {
      const registered = await postJson(`${first.http}/v1/attribution/patients`, patientInput(p, { communeInsee: '93066' }));
      expect(registered.status).toBe(201);
      patientIds.push(((await registered.json()) as { patientId: string }).patientId);
    }
    expect(await stop(first.proc)).toBe(0);
    expect(exposed(dataDir)).toEqual([]);

    // The backup of the runbook: the whole directory, stopped, key included.
    const backup = join(root, 'backup.tar.gz');
    sh('tar', ['-C', dataDir, '-czf', backup, '.']);

    // Key lost: refused, and no new key is generated behind the operator's back.
    const keyFile = join(dataDir, NIR_KEY_FILE);
    const key = readFileSync(keyFile, 'utf8');
    rmSync(keyFile);
    await refused(dataDir, /the NIR pseudonymisation key \(.*attribution-nir\.key\) is missing, but patients are stored/);
    expect(existsSync(keyFile)).toBe(false);
    // Another key: refused by the fingerprint stored with the data, here and as PCN_ATTRIBUTION_NIR_KEY.
    writeFileSync(keyFile, `${'0'.repeat(64)}\n`, { mode: 0o600 });
    await refused(dataDir, /is not the key the stored patients were registered with/);
    rmSync(keyFile);
    await refused(dataDir, /\(PCN_ATTRIBUTION_NIR_KEY\) is not the key/, { PCN_ATTRIBUTION_NIR_KEY: '1'.repeat(64) });
    // The right key, readable by others: refused until it is the owner's only.
    writeFileSync(keyFile, key, { mode: 0o644 });
    chmodSync(keyFile, 0o644);
    await refused(dataDir, /attribution-nir\.key is readable by others \(mode 0644\).*chmod 600/);
    chmodSync(keyFile, 0o600);
    await stop((await start(dataDir)).proc);

    // Restore on another machine (or after the directory is lost): every centre and patient is back.
    rmSync(dataDir, { recursive: true });
    const restored = join(root, 'restored');
    mkdirSync(restored, { mode: 0o700 });
    sh('tar', ['-C', restored, '-xzf', backup]);
    const again = await start(restored);
    for (const finess of finesses) expect((await fetch(`${again.http}/v1/centres/${finess}`)).status).toBe(200);
    for (const patientId of patientIds) expect((await fetch(`${again.http}/v1/attribution/patients/${patientId}`)).status).toBe(200);
    await eventually(async () => {
      const list = (await (await fetch(`${again.http}/v1/centres`)).json()) as { totalSize: number };
      expect(list.totalSize).toBe(CENTRES.length);
    }, 10_000);
    // The same NIR finds the same patient: no second registration. The identical registration
    // answers the patient registered before the backup; another profile for the NIR is refused.
    const retried = await postJson(`${again.http}/v1/attribution/patients`, patientInput(PATIENTS[0]!, { communeInsee: '93066' }));
    expect(retried.status).toBe(201);
    expect(((await retried.json()) as { patientId: string }).patientId).toBe(patientIds[0]);
    const duplicate = await postJson(`${again.http}/v1/attribution/patients`, patientInput(PATIENTS[0]!, { communeInsee: '93048' }));
    expect(duplicate.status).toBe(409);
    expect(exposed(restored)).toEqual([]);
  }, 300_000);
});
