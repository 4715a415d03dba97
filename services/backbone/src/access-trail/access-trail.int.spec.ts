import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { attributionV1 as pb } from '@pcn/contracts';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { finessCheckDigit } from '@pcn/referential';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { loadConfig } from '../config';
import { SqlAccessTrail } from './sql-access-trail';
import { startSystem, type RunningSystem } from '../system';
import { authorizationFor } from '../testing-tokens';

const logger = createLogger({ service: 'access-trail-test', level: 'silent' });
const CENTRE = `93000001${finessCheckDigit('93000001')}`;
const OTHER = `69000003${finessCheckDigit('69000003')}`;

let dataDir: string;
let system: RunningSystem | undefined;
const start = async (): Promise<RunningSystem> =>
  (system = await startSystem(loadConfig({ PCN_DATA_DIR: dataDir, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', PCN_SHUTDOWN_GRACE_MS: '0' }), logger));

beforeAll(() => void (dataDir = mkdtempSync(join(tmpdir(), 'pcn-trail-'))));
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Entry {
  actor: string;
  role: string;
  operation: string;
  subjectKind: string;
  subject: string;
  from: string;
  transport: string;
  at: string;
}

const trail = async (s: RunningSystem, role: 'auditor' | 'centre' | 'national_coordinator', query = ''): Promise<{ status: number; entries: Entry[] }> => {
  const res = await fetch(`http://127.0.0.1:${s.httpPort}/v1/access-trail${query}`, {
    headers: await authorizationFor(dataDir, role, role === 'centre' ? { finess: CENTRE } : {}),
  });
  const body = (await res.json()) as { entries?: Entry[] };
  return { status: res.status, entries: body.entries ?? [] };
};

describe('the access trail', () => {
  it('records every read of patient-level data over REST and gRPC, refused reads excepted, and keeps it across a restart', async () => {
    const first = await start();
    const centre = await authorizationFor(dataDir, 'centre', { finess: CENTRE });
    // A centre reads its roster over REST and over gRPC; its attempt on another centre's is refused and not a read.
    expect((await fetch(`http://127.0.0.1:${first.httpPort}/v1/attribution/centres/${CENTRE}/roster`, { headers: centre })).status).toBe(200);
    const client = createClient(pb.AttributionClient, `127.0.0.1:${first.grpcPort}`);
    try {
      await callUnary(client, 'getCentreRoster', pb.GetCentreRosterRequest.fromPartial({ centreFiness: CENTRE }), { metadata: centre });
      await expect(
        callUnary(client, 'getCentreRoster', pb.GetCentreRosterRequest.fromPartial({ centreFiness: OTHER }), { metadata: centre }),
      ).rejects.toMatchObject({ code: status.PERMISSION_DENIED, details: `finess ${OTHER} is outside your scope` });
    } finally {
      client.close();
    }
    // A coordinator reads a patient (unknown here: the read is still recorded, it was attempted).
    const patientId = '0123456789abcdef0123456789abcdef';
    await fetch(`http://127.0.0.1:${first.httpPort}/v1/attribution/patients/${patientId}`, { headers: await authorizationFor(dataDir) });

    const { status: ok, entries } = await trail(first, 'auditor');
    expect(ok).toBe(200);
    expect(entries.map((e) => [e.actor, e.operation, e.subjectKind, e.subject, e.transport])).toEqual([
      [`centre:test-centre@${CENTRE}`, 'attribution.GetCentreRoster', 'centre', CENTRE, 'rest'],
      [`centre:test-centre@${CENTRE}`, 'attribution.GetCentreRoster', 'centre', CENTRE, 'grpc'],
      ['national_coordinator:test-national_coordinator', 'attribution.GetPatient', 'patient', patientId, 'rest'],
    ]);
    for (const e of entries) expect(e.from).toMatch(/127\.0\.0\.1/);
    expect((await trail(first, 'auditor', `?subject=${patientId}`)).entries).toHaveLength(1);
    // Centres do not read the trail.
    expect((await trail(first, 'centre')).status).toBe(403);

    await first.stop();
    const second = await start();
    expect((await trail(second, 'national_coordinator')).entries).toHaveLength(3);
  }, 120_000);

  it("is append-only, even for the service's own connection", async () => {
    const sql = await PgliteSqlClient.open();
    try {
      const store = new SqlAccessTrail(sql);
      await store.migrate();
      await store.record({
        at: new Date(),
        actor: 'auditor:a',
        role: 'auditor',
        operation: 'attribution.GetPatient',
        subjectKind: 'patient',
        subject: 'p',
        from: '127.0.0.1',
        transport: 'rest',
      });
      await expect(sql.query("UPDATE access.trail SET actor = 'nobody'")).rejects.toThrow('append-only');
      await expect(sql.query('DELETE FROM access.trail')).rejects.toThrow('append-only');
      expect(await store.list({ limit: 10 })).toEqual([expect.objectContaining({ sequence: 1, actor: 'auditor:a', subject: 'p' })]);
    } finally {
      await sql.close();
    }
  }, 60_000);
});
