import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { status } from '@grpc/grpc-js';
import { join } from 'node:path';
import { registryV1 as pb, staffV1 as staffPb } from '@pcn/contracts';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { registration } from '@pcn/registry/testing';
import { gpHire, rpps } from '@pcn/staff/testing';
import { patientInput } from '@pcn/attribution/testing';
import { eventually } from '@pcn/eventsourcing/testing';
import { loadConfig } from './config';
import { DataDirLockedError, LOCK_FILE } from './data-dir-lock';
import { DatabaseFencedError } from './fenced-sql-client';
import { DataDirLostError, startSystem, type RunningSystem } from './system';
import { writeUntilRefused } from './testing-keep-alive';
import { authorizationFor } from './testing-tokens';

const logger = createLogger({ service: 'system-test', level: 'silent' });
const GP_RPPS = rpps('1000345678');
let dataDir: string;
const running: RunningSystem[] = [];

const start = async (env: Record<string, string> = {}, options: { lockCheckIntervalMs?: number } = {}): Promise<RunningSystem> => {
  // No grace period unless a test asks: nothing sits in front of these instances.
  const system = await startSystem(
    loadConfig({ PCN_DATA_DIR: dataDir, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', PCN_SHUTDOWN_GRACE_MS: '0', ...env }),
    logger,
    options,
  );
  running.push(system);
  return system;
};

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pcn-system-'));
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded mode (all services, PGlite in a data directory)', () => {
  it('serves REST and gRPC, and keeps its data across a restart', async () => {
    const first = await start();
    const auth = await authorizationFor(dataDir);
    const created = await fetch(`http://127.0.0.1:${first.httpPort}/v1/centres`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(registration('93000001')),
    });
    expect(created.status).toBe(201);
    const { finess } = (await created.json()) as { finess: string };
    await first.stop();
    running.pop();

    const second = await start();
    const client = createClient(pb.CentreRegistryClient, `127.0.0.1:${second.grpcPort}`);
    try {
      const centre = await callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess }), { metadata: auth });
      expect(centre).toMatchObject({ finess, name: 'Centre de santé Louise-Michel', version: 0 });
    } finally {
      client.close();
    }
    // What the registry published before the restart is still on the durable embedded bus.
    const seen: string[] = [];
    const sub = await second.bus.subscribe({ topic: 'pcn.registry.v1', groupId: 'system-test', handler: async (m) => void seen.push(`${m.type} ${m.key}`) });
    await eventually(() => expect(seen).toEqual([`pcn.events.v1.CentreRegistered ${finess}`]));
    await sub.stop();

    const metrics = await (await fetch(`http://127.0.0.1:${second.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="GetCentre"[^}]*grpc_code="OK"[^}]*\} 1/);
    expect(metrics).toContain('pcn_projection_position');
    expect(metrics).toMatch(/pcn_relay_position\{[^}]*relay="registry"[^}]*\} [1-9]/);
    expect((await fetch(`http://127.0.0.1:${second.httpPort}/readyz`)).status).toBe(200);
  }, 60_000);

  it('runs the staff service beside the registry: a centre registered in one takes staff in the other', async () => {
    const system = await start();
    const base = `http://127.0.0.1:${system.httpPort}`;
    const auth = await authorizationFor(dataDir);
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
    const { finess } = (await (await post('/v1/centres', registration('93000001'))).json()) as { finess: string };
    const hired = await post('/v1/staff/professionals', {
      lastName: 'Martin',
      firstName: 'Inès',
      profession: 'nurse',
      grade: 'ide_b_cn',
      echelon: 3,
      hiredOn: '2026-01-05',
    });
    expect(hired.status).toBe(201);
    const { professionalId } = (await hired.json()) as { professionalId: string };
    // Staff learns the centre from the registry's events on the embedded bus: a moment later.
    await eventually(
      async () =>
        expect((await post(`/v1/staff/professionals/${professionalId}/assignments`, { centreFiness: finess, fte: '0.8', startOn: '2026-02-01' })).status).toBe(
          201,
        ),
      10_000,
    );
    const team = (await (await fetch(`${base}/v1/staff/centres/${finess}/team?on=2026-03-01`, { headers: auth })).json()) as {
      totalFte: string;
      members: unknown[];
    };
    expect(team).toMatchObject({ totalFte: '0.8', members: [expect.objectContaining({ professionalId, grade: 'ide_b_cn' })] });
    const staffGrpc = createClient(staffPb.StaffStatuteClient, `127.0.0.1:${system.grpcPort}`);
    try {
      const pay = await callUnary(staffGrpc, 'computePay', staffPb.ComputePayRequest.fromPartial({ professionalId, on: '2026-03-01' }), { metadata: auth });
      expect(pay).toMatchObject({ fte: '0.8', gridVersion: 'fph-2026-01-01' });
      expect(pay.annualGrossCents).toBeGreaterThan(0);
      // A general-practice doctor is hired on the shipped PH grid, out of the box.
      const gp = await callUnary(
        staffGrpc,
        'hireProfessional',
        staffPb.HireProfessionalRequest.fromPartial({
          lastName: 'Nguyen',
          firstName: 'Camille',
          rpps: GP_RPPS,
          profession: staffPb.Profession.PROFESSION_DOCTOR,
          specialty: staffPb.Specialty.SPECIALTY_GENERAL_PRACTICE,
          grade: 'ph',
          echelon: 1,
          hiredOn: '2026-01-05',
        }),
        { metadata: auth },
      );
      const gpPay = await callUnary(staffGrpc, 'computePay', staffPb.ComputePayRequest.fromPartial({ professionalId: gp.professionalId, on: '2026-03-01' }), {
        metadata: auth,
      });
      expect(gpPay).toMatchObject({ gridVersion: 'ph-2023-07-01', fullTimeAnnualGrossCents: 5_560_779 }); // 55 607,79 €, ph-2023-07.csv
    } finally {
      staffGrpc.close();
    }
    const openApi = (await (await fetch(`${base}/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/v1/centres', '/v1/staff/professionals']));
  }, 60_000);

  it('runs attribution beside them: a GP hired and assigned in staff, at a centre accredited in the registry, becomes a médecin traitant, and planning counts the patient', async () => {
    const system = await start();
    const base = `http://127.0.0.1:${system.httpPort}`;
    const auth = await authorizationFor(dataDir);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: JSON.stringify(body) });
    const { finess } = (await (await post('/v1/centres', registration('93000001'))).json()) as { finess: string };
    expect((await post(`/v1/centres/${finess}/accreditation`, { accreditedOn: '2026-01-02' }, { 'if-match': '"0"' })).status).toBe(200);
    // No grid is published by the test: the PH grid ships with the service.
    const { professionalId } = (await (await post('/v1/staff/professionals', gpHire({ rpps: GP_RPPS }))).json()) as { professionalId: string };
    await eventually(
      async () =>
        expect((await post(`/v1/staff/professionals/${professionalId}/assignments`, { centreFiness: finess, fte: '1', startOn: '2026-01-05' })).status).toBe(
          201,
        ),
      10_000,
    );

    const registered = await post('/v1/attribution/patients', patientInput(123, { communeInsee: '93066' }));
    expect(registered.status).toBe(201);
    const { patientId } = (await registered.json()) as { patientId: string };
    // Attribution learns the centre and the GP from the registry's and staff's events: a moment later.
    await eventually(async () => {
      const declared = await post(`/v1/attribution/patients/${patientId}/declarations`, {
        rpps: GP_RPPS,
        centreFiness: finess,
        effectiveDate: '2026-02-01',
        channel: 'paper_form',
      });
      expect(declared.status).toBe(201);
    }, 10_000);
    const attribution = (await (await fetch(`${base}/v1/attribution/patients/${patientId}/attribution`, { headers: auth })).json()) as { current: unknown };
    expect(attribution.current).toMatchObject({ rpps: GP_RPPS, professionalId, centreFiness: finess });
    // What it publishes carries the pseudonymous id, never the NIR.
    const seen: string[] = [];
    const sub = await system.bus.subscribe({
      topic: 'pcn.attribution.v1',
      groupId: 'system-test',
      handler: async (m) => void seen.push(`${m.type} ${m.key} ${Buffer.from(m.data).toString('latin1')}`),
    });
    await eventually(
      () =>
        expect(seen.map((m) => m.split(' ').slice(0, 2).join(' '))).toEqual([
          `pcn.events.v1.PatientRegistered ${patientId}`,
          `pcn.events.v1.MedecinTraitantDeclared ${patientId}`,
        ]),
      10_000,
    );
    await sub.stop();
    expect(seen.join('\n')).not.toContain(String(patientInput(123).nir));
    // Planning learns the patient from the same topic: Saint-Denis has one, with a médecin traitant.
    await eventually(async () => {
      const needs = (await (await fetch(`${base}/v1/planning/territories/commune/93066/needs`, { headers: auth })).json()) as { patients: unknown };
      expect(needs.patients).toMatchObject({ patients: 1, withMedecinTraitant: 1, withoutMedecinTraitant: 0 });
    }, 10_000);
  }, 60_000);

  it('refuses a second instance on the same data directory', async () => {
    await start();
    await expect(start()).rejects.toBeInstanceOf(DataDirLockedError);
  }, 60_000);

  it('refuses every request (503, UNAVAILABLE) and is not ready once its lock file names another holder', async () => {
    const system = await start({}, { lockCheckIntervalMs: 50 });
    const base = `http://127.0.0.1:${system.httpPort}`;
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), token: '0'.repeat(32), since: new Date().toISOString() }));
    expect(await system.failed).toBeInstanceOf(DataDirLostError);

    const refused = await fetch(`${base}/v1/centres`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration('93000001')),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 503, detail: expect.stringContaining('now names another holder') });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    const client = createClient(pb.CentreRegistryClient, `127.0.0.1:${system.grpcPort}`);
    try {
      await expect(callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess: '930000011' }))).rejects.toMatchObject({
        code: status.UNAVAILABLE,
      });
    } finally {
      client.close();
    }
    // Nothing reaches the database any more.
    await expect(system.registry!.registry.register(registration('93000002'), { actor: 'system-test' })).rejects.toBeInstanceOf(DatabaseFencedError);
  }, 60_000);
});

describe('shutdown', () => {
  it('answers every write accepted while it drains (Connection: close), then refuses connections; every answered write, and only those, is stored', async () => {
    const system = await start({ PCN_SHUTDOWN_GRACE_MS: '300' });
    const port = system.httpPort;
    let stopping: Promise<void> | undefined;
    let readiness: { status: number; body: unknown } | undefined;
    // Two clients registering centres one after another on keep-alive connections; the stop
    // (what SIGTERM runs) arrives while they are at it.
    const { answered, failures } = await writeUntilRefused({
      port,
      path: '/v1/centres',
      headers: await authorizationFor(dataDir),
      clients: 2,
      body: (n) => registration(`9300${String(n).padStart(4, '0')}`),
      stopAfter: 6,
      stop: async () => {
        stopping = system.stop();
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        readiness = { status: ready.status, body: await ready.json() };
      },
    });
    await stopping;
    running.pop();

    expect(readiness).toEqual({ status: 503, body: { status: 'draining' } });
    // Each client ended when the listener closed: refused, or reset while its connection still
    // waited in the kernel's accept queue, before any request on it was read.
    expect(failures).toHaveLength(2);
    for (const code of failures) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(code);
    expect(answered.every((a) => a.status === 201)).toBe(true);
    expect(answered.filter((a) => a.headers.connection === 'close').length).toBeGreaterThan(0);
    const answeredFiness = answered.map((a) => (JSON.parse(a.body) as { finess: string }).finess).sort();

    // What the store holds is exactly what was answered: no write was lost to a reset.
    const after = await start();
    const stored = (await after.registry!.store.readAll())
      .filter((e) => e.type === 'CentreRegistered')
      .map((e) => (e.data as { finess: string }).finess)
      .sort();
    expect(stored).toEqual(answeredFiness);
  }, 60_000);
});
