import { Metadata, status } from '@grpc/grpc-js';
import { registryV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure as failure, serveOverGrpc, type ServedGrpc } from '@pcn/service/testing';
import { startRegistry, finess, type RegistryFixture } from '../../testing';

let sql: PgliteSqlClient;
let fx: RegistryFixture;
let server: ServedGrpc;
let client: pb.CentreRegistryClient;
let n = 0;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(() => sql.close());
beforeEach(async () => {
  fx = await startRegistry(sql, `registry_grpc_${++n}`);
  server = await serveOverGrpc(fx.module.grpc, createLogger({ service: 'grpc-test', level: 'silent' }));
  client = createClient(pb.CentreRegistryClient, server.address);
});
afterEach(async () => {
  client.close();
  await server.stop();
  await fx.stop();
});

const actor = (who: string): Metadata => {
  const m = new Metadata();
  m.set('x-pcn-actor', who);
  return m;
};

const registration = (first8 = '93000001'): pb.RegisterCentreRequest =>
  pb.RegisterCentreRequest.fromPartial({
    finess: finess(first8),
    name: 'Centre de santé Louise-Michel',
    manager: { kind: pb.ManagerKind.MANAGER_KIND_ASSOCIATION, name: 'Association Santé Pour Tous' },
    type: pb.CentreType.CENTRE_TYPE_COMMUNITY_PARTICIPATORY,
    communeInsee: '13201',
    address: { line1: '5 rue des Dominicaines', postalCode: '13001', city: 'Marseille' },
    coordinates: { latitude: 43.3, longitude: 5.38 },
    commitments: { sector1FeesOnly: true, fullThirdPartyPayment: true, salariedStaff: true },
    governance: { electedOfficialsSeats: 1, usersSeats: 4, staffSeats: 2 },
    healthProject: { adoptedOn: '2025-11-01', axes: [pb.HealthProjectAxis.HEALTH_PROJECT_AXIS_PREVENTION] },
    services: [pb.CentreServiceKind.CENTRE_SERVICE_KIND_GENERAL_MEDICINE, pb.CentreServiceKind.CENTRE_SERVICE_KIND_SOCIAL_WORK],
    secpaParticipation: true,
  });

describe('pcn.registry.v1.CentreRegistry over gRPC', () => {
  it('registers and gets a centre, with enums, timestamps and the derived commune', async () => {
    const created = await callUnary(client, 'registerCentre', registration(), { metadata: actor('centre-software:marseille') });
    expect(created).toMatchObject({
      finess: finess('93000001'),
      status: pb.CentreStatus.CENTRE_STATUS_CANDIDATE,
      type: pb.CentreType.CENTRE_TYPE_COMMUNITY_PARTICIPATORY,
      communeName: 'Marseille 1er Arrondissement',
      departement: '13',
      region: '93',
      secpaParticipation: true,
      version: 0,
    });
    expect(created.registeredAt).toBeInstanceOf(Date);
    const got = await callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess: finess('93000001') }));
    expect(got).toEqual(created);
  });

  it('maps refusals to status codes with structured details', async () => {
    const invalid = await failure(callUnary(client, 'registerCentre', { ...registration(), finess: '12', communeInsee: '00000' }));
    expect(invalid.code).toBe(status.INVALID_ARGUMENT);
    expect(invalid.fieldViolations.map((v) => v.field)).toEqual(['finess']);

    const forProfit = await failure(
      callUnary(client, 'registerCentre', { ...registration(), manager: { kind: pb.ManagerKind.MANAGER_KIND_FOR_PROFIT_CLINIC, name: 'Clinique SA' } }),
    );
    expect(forProfit.fieldViolations).toEqual([{ field: 'manager.kind', description: expect.stringContaining('for-profit') }]);

    const unspecified = await failure(callUnary(client, 'registerCentre', { ...registration(), type: pb.CentreType.CENTRE_TYPE_UNSPECIFIED }));
    expect(unspecified.fieldViolations).toEqual([{ field: 'type', description: 'is required' }]);

    const missing = await failure(callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess: finess('93099999') })));
    expect(missing.code).toBe(status.NOT_FOUND);
    // A write to a FINESS never registered: NOT_FOUND naming it, whatever the expected version.
    const neverRegistered = await failure(
      callUnary(client, 'suspendCentre', pb.SuspendCentreRequest.fromPartial({ finess: finess('93099999'), expectedVersion: 0, reason: 'x' })),
    );
    expect(neverRegistered).toMatchObject({
      code: status.NOT_FOUND,
      message: `centre ${finess('93099999')} not found`,
      resourceInfo: { resourceType: 'centre', resourceName: finess('93099999') },
    });

    const registered = await callUnary(client, 'registerCentre', registration());
    // The same registration again is a retry: it answers the centre; another one is refused.
    expect(await callUnary(client, 'registerCentre', registration())).toEqual(registered);
    const twice = await failure(callUnary(client, 'registerCentre', { ...registration(), name: 'Another centre' }));
    expect(twice.code).toBe(status.ALREADY_EXISTS);

    const noVersion = await failure(
      callUnary(client, 'accreditCentre', pb.AccreditCentreRequest.fromPartial({ finess: finess('93000001'), accreditedOn: '2026-03-01' })),
    );
    expect(noVersion.fieldViolations[0]?.field).toBe('expectedVersion');

    const stale = await failure(
      callUnary(client, 'accreditCentre', pb.AccreditCentreRequest.fromPartial({ finess: finess('93000001'), expectedVersion: 3, accreditedOn: '2026-03-01' })),
    );
    expect(stale.code).toBe(status.ABORTED);

    const suspendCandidate = await failure(
      callUnary(client, 'suspendCentre', pb.SuspendCentreRequest.fromPartial({ finess: finess('93000001'), expectedVersion: 0, reason: 'x' })),
    );
    expect(suspendCandidate.code).toBe(status.FAILED_PRECONDITION);
    expect(suspendCandidate.preconditionViolations[0]).toMatchObject({ type: 'LIFECYCLE', subject: 'status' });
  });

  it('accredits, amends with a wrapped empty service list, lists, and returns the history', async () => {
    fx.clock.set('2026-03-02T09:00:00Z');
    await callUnary(client, 'registerCentre', registration());
    fx.clock.set('2026-03-05T09:00:00Z');
    const member = await callUnary(
      client,
      'accreditCentre',
      pb.AccreditCentreRequest.fromPartial({ finess: finess('93000001'), expectedVersion: 0, accreditedOn: '2026-03-01' }),
    );
    expect(member.status).toBe(pb.CentreStatus.CENTRE_STATUS_MEMBER);
    const amended = await callUnary(
      client,
      'amendCentre',
      pb.AmendCentreRequest.fromPartial({ finess: finess('93000001'), expectedVersion: 1, name: 'Le Château en Santé', services: { services: [] } }),
      { metadata: actor('coordinator:zoe') },
    );
    expect(amended).toMatchObject({ name: 'Le Château en Santé', services: [], type: pb.CentreType.CENTRE_TYPE_COMMUNITY_PARTICIPATORY, version: 2 });

    const page = await callUnary(client, 'listCentres', pb.ListCentresRequest.fromPartial({ status: pb.CentreStatus.CENTRE_STATUS_MEMBER, departement: '13' }));
    expect(page.totalSize).toBe(1);
    expect(page.nextPageToken).toBe('');

    const history = await callUnary(client, 'getCentreHistory', pb.GetCentreHistoryRequest.fromPartial({ finess: finess('93000001') }));
    expect(history.entries.map((e) => [e.version, e.type, e.actor])).toEqual([
      [0, 'CentreRegistered', 'anonymous'],
      [1, 'CentreAccredited', 'anonymous'],
      [2, 'CentreAmended', 'coordinator:zoe'],
    ]);
    expect(JSON.parse(history.entries[2]!.dataJson)).toEqual({ finess: finess('93000001'), changes: { name: 'Le Château en Santé', services: [] } });

    const asOf = await callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess: finess('93000001'), asOf: new Date('2026-03-03T00:00:00Z') }));
    expect(asOf.status).toBe(pb.CentreStatus.CENTRE_STATUS_CANDIDATE);
    // A business day: the accreditation counts from its date (2026-03-01), though recorded on 03-05.
    const onDay = await callUnary(client, 'getCentre', pb.GetCentreRequest.fromPartial({ finess: finess('93000001'), on: '2026-03-01' }));
    expect(onDay.status).toBe(pb.CentreStatus.CENTRE_STATUS_MEMBER);
    // Both senses at once: on 2026-03-04 by what was recorded on 2026-03-03 (before the accreditation).
    const known = await callUnary(
      client,
      'getCentre',
      pb.GetCentreRequest.fromPartial({ finess: finess('93000001'), asOf: new Date('2026-03-03T00:00:00Z'), on: '2026-03-04' }),
    );
    expect(known.status).toBe(pb.CentreStatus.CENTRE_STATUS_CANDIDATE);
  });

  it('answers DEADLINE_EXCEEDED rather than working past the caller’s deadline', async () => {
    const expired = await failure(callUnary(client, 'listCentres', pb.ListCentresRequest.fromPartial({}), { deadlineMs: -1 }));
    expect(expired.code).toBe(status.DEADLINE_EXCEEDED);
  });
});
