import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patientInput } from '@pcn/attribution/testing';
import { PgSqlClient } from '@pcn/eventsourcing';
import { registration } from '@pcn/registry/testing';
import { postJson, started, stop, MAIN } from './testing-embedded';
import { runNode, scratchDatabase } from './testing-processes';
import { scratchIssuer } from './testing-tokens';

// The runbook's PostgreSQL backup: pg_dump of the services' schemas, pg_restore into an empty database.
const KEY = randomBytes(32).toString('hex');
let issuer: Awaited<ReturnType<typeof scratchIssuer>>;
let auth: { authorization: string };
beforeAll(async () => {
  issuer = await scratchIssuer();
  auth = await issuer.authorization();
});
const run = (url: string, key = KEY) =>
  runNode(MAIN, [], { PCN_STORE: 'postgres', PG_URL: url, PCN_ATTRIBUTION_NIR_KEY: key, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', ...issuer.env });
const tool = (command: string, args: string[]): void => {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  expect(`${done.stderr}${done.status === 0 ? '' : `exit ${done.status}`}`).toBe('');
};

describe('a backup of the PostgreSQL schemas', () => {
  const source = scratchDatabase('pcn_backup_src');
  const target = scratchDatabase('pcn_backup_dst');
  const dir = mkdtempSync(join(tmpdir(), 'pcn-pg-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restores every centre and patient into an empty database, and is refused with another NIR key', async () => {
    const first = await started(run(source.url));
    source.procs.push(first.proc);
    const finess = ((await (await postJson(`${first.http}/v1/centres`, registration('93000001'), auth)).json()) as { finess: string }).finess;
    const registered = await postJson(`${first.http}/v1/attribution/patients`, patientInput(101, { communeInsee: '93066' }), auth);
    expect(registered.status).toBe(201);
    const { patientId } = (await registered.json()) as { patientId: string };
    expect(await stop(first.proc)).toBe(0);

    const dump = join(dir, 'pcn.dump');
    tool('pg_dump', [
      '-Fc',
      '-n',
      'registry',
      '-n',
      'staff',
      '-n',
      'attribution',
      '-n',
      'billing',
      '-n',
      'planning',
      '-n',
      'messaging',
      '-n',
      'access',
      '-f',
      dump,
      source.url,
    ]);
    tool('pg_restore', ['--no-owner', '-d', target.url, dump]);

    const wrongKey = run(target.url, randomBytes(32).toString('hex'));
    target.procs.push(wrongKey);
    expect(await wrongKey.exit).toBe(1);
    expect(wrongKey.output()).toContain('(PCN_ATTRIBUTION_NIR_KEY) is not the key the stored patients were registered with');

    const restored = await started(run(target.url));
    target.procs.push(restored.proc);
    expect((await fetch(`${restored.http}/v1/centres/${finess}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${restored.http}/v1/attribution/patients/${patientId}`, { headers: auth })).status).toBe(200);
    // The same NIR finds the same patient: the identical registration answers it (retried
    // creates), another profile for the NIR is refused.
    const retried = await postJson(`${restored.http}/v1/attribution/patients`, patientInput(101, { communeInsee: '93066' }), auth);
    expect(retried.status).toBe(201);
    expect(((await retried.json()) as { patientId: string }).patientId).toBe(patientId);
    expect((await postJson(`${restored.http}/v1/attribution/patients`, patientInput(101, { communeInsee: '93048' }), auth)).status).toBe(409);
    const events = new PgSqlClient(target.url);
    try {
      expect((await events.query('SELECT 1 FROM attribution.nir_key')).rowCount).toBe(1);
    } finally {
      await events.close();
    }
  }, 180_000);
});
