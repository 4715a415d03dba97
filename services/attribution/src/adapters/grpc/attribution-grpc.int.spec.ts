import { status } from '@grpc/grpc-js';
import { attributionV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient, withAuthorization } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure as failure, serveOverGrpc, type ServedGrpc } from '@pcn/service/testing';
import { nir, startAttribution, type AttributionFixture } from '../../testing';

let sql: PgliteSqlClient;
let fx: AttributionFixture;
let server: ServedGrpc;
let client: pb.AttributionClient;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());
beforeEach(async () => {
  fx = await startAttribution({ sql });
  server = await serveOverGrpc(fx.module.grpc, createLogger({ service: 'grpc-test', level: 'silent' }), fx.issuer.gate);
  // Behind the real access gate: calls act as a national coordinator unless they send their own token.
  client = createClient(pb.AttributionClient, server.address, { clientOptions: { interceptors: [withAuthorization(fx.coordinator)] } });
  await signAs('centre:reception', 'coordinator:zoe');
}, 60_000);
afterEach(async () => {
  client.close();
  await server.stop();
  await fx.teardown();
});

/** Tokens signed before each test (so `as` stays synchronous): national coordinators named so, and professionals by id. */
const tokens = new Map<string, string>();
const as = (who: string, extra: Record<string, string> = {}) => {
  const authorization = tokens.get(who);
  if (!authorization) throw new Error(`no token signed for ${who}: add it to the names signed in beforeEach`);
  return { metadata: { authorization, ...extra } };
};
const signAs = async (...names: string[]): Promise<void> => {
  for (const name of names) tokens.set(name, await fx.issuer.bearer('national_coordinator', {}, name));
};

/** Patient number `order`: a woman born on 12 May 1980, living in Paris 11e unless told otherwise. */
const nirOf = (order: number) => nir({ order: String(order).padStart(3, '0') });
const byNir = (order: number): pb.PatientRef => ({ ref: { $case: 'nir', value: nirOf(order) } });
const byId = (patientId: string): pb.PatientRef => ({ ref: { $case: 'patientId', value: patientId } });

const registration = (order: number, overrides: Partial<pb.RegisterPatientRequest> = {}) =>
  pb.RegisterPatientRequest.fromPartial({ nir: nirOf(order), birthDate: '1980-05-12', sex: pb.Sex.SEX_FEMALE, communeInsee: '75111', ...overrides });
const register = (order: number, overrides: Partial<pb.RegisterPatientRequest> = {}) =>
  callUnary(client, 'registerPatient', registration(order, overrides), as('centre:reception'));

const declare = (patient: pb.PatientRef, gp: { rpps: string; centreFiness: string }, effectiveDate = '2026-02-01') =>
  callUnary(
    client,
    'declareMedecinTraitant',
    pb.DeclareMedecinTraitantRequest.fromPartial({
      patient,
      rpps: gp.rpps,
      centreFiness: gp.centreFiness,
      effectiveDate,
      channel: pb.DeclarationChannel.DECLARATION_CHANNEL_CENTRE_SOFTWARE,
    }),
    as('centre:reception'),
  );

const setCapacity = (rpps: string, capacity?: number) =>
  callUnary(
    client,
    'setPanelCapacity',
    pb.SetPanelCapacityRequest.fromPartial({ rpps, ...(capacity !== undefined && { capacity }), reason: 'part-time return' }),
    as('coordinator:zoe'),
  );

describe('pcn.attribution.v1.Attribution over gRPC', () => {
  it('registers a patient from the NIR and answers with the pseudonymous id only', async () => {
    const patient = await register(1, { ald: [{ start: '2020-01-01', end: '' }] });
    expect(patient).toMatchObject({
      birthDate: '1980-05-12',
      sex: pb.Sex.SEX_FEMALE,
      communeInsee: '75111',
      ald: [{ start: '2020-01-01', end: '' }],
      c2s: [],
      deceased: false,
      current: undefined,
      waitlist: undefined,
      version: 0,
    });
    expect(patient.patientId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(pb.Patient.toJSON(patient))).not.toContain(nirOf(1));

    expect(await callUnary(client, 'getPatient', { patient: byNir(1) })).toEqual(patient);
    expect(await callUnary(client, 'getPatient', { patient: byId(patient.patientId) })).toEqual(patient);
    expect((await failure(register(1))).code).toBe(status.ALREADY_EXISTS);
    expect((await failure(callUnary(client, 'getPatient', { patient: byNir(2) }))).code).toBe(status.NOT_FOUND);
  });

  it('answers INVALID_ARGUMENT with field violations', async () => {
    const good = nirOf(1);
    const badKey = `${good.slice(0, 13)}${String((Number(good.slice(13)) % 97) + 1).padStart(2, '0')}`;
    const wrongKey = await failure(register(1, { nir: badKey }));
    expect(wrongKey.code).toBe(status.INVALID_ARGUMENT);
    expect(wrongKey.fieldViolations).toEqual([{ field: 'nir', description: expect.stringContaining('NIR key') }]);
    // The refusal does not echo the number.
    expect(wrongKey.message).not.toContain(badKey);

    const nowhere = await failure(register(1, { communeInsee: '75000' }));
    expect(nowhere.code).toBe(status.INVALID_ARGUMENT);
    expect(nowhere.fieldViolations).toEqual([{ field: 'communeInsee', description: expect.stringContaining('reference list') }]);

    // proto3 defaults are absent fields.
    const empty = await failure(callUnary(client, 'registerPatient', pb.RegisterPatientRequest.fromPartial({ nir: good })));
    expect(empty.fieldViolations.map((v) => v.field)).toEqual(['birthDate', 'sex', 'communeInsee']);
    expect(empty.fieldViolations.slice(0, 2).map((v) => v.description)).toEqual(['is required', 'is required']);

    const noRef = await failure(callUnary(client, 'getPatient', { patient: undefined }));
    expect(noRef.fieldViolations.map((v) => v.field)).toEqual(['patient']);
    const badId = await failure(callUnary(client, 'getPatient', { patient: byId('not-an-id') }));
    expect(badId.fieldViolations.map((v) => v.field)).toEqual(['patient.patientId']);
  });

  it('updates only the fields present: an absent period list stays, an empty one clears it', async () => {
    const registered = await register(1, { ald: [{ start: '2020-01-01', end: '' }], c2s: [{ start: '2024-01-01', end: '2025-01-01' }] });
    const moved = await callUnary(
      client,
      'updatePatient',
      pb.UpdatePatientRequest.fromPartial({ patient: byNir(1), expectedVersion: registered.version, communeInsee: '75112' }),
    );
    expect(moved).toMatchObject({ communeInsee: '75112', ald: registered.ald, c2s: registered.c2s, version: 1 });

    const cleared = await callUnary(
      client,
      'updatePatient',
      pb.UpdatePatientRequest.fromPartial({ patient: byId(registered.patientId), c2s: { periods: [] } }),
    );
    expect(cleared).toMatchObject({ communeInsee: '75112', ald: registered.ald, c2s: [], version: 2 });

    const stale = await failure(
      callUnary(client, 'updatePatient', pb.UpdatePatientRequest.fromPartial({ patient: byNir(1), expectedVersion: 0, communeInsee: '75111' })),
    );
    expect(stale.code).toBe(status.ABORTED);
    const overlapping = await failure(
      callUnary(
        client,
        'updatePatient',
        pb.UpdatePatientRequest.fromPartial({
          patient: byNir(1),
          ald: {
            periods: [
              { start: '2020-01-01', end: '2022-01-01' },
              { start: '2021-01-01', end: '' },
            ],
          },
        }),
      ),
    );
    expect(overlapping.fieldViolations.map((v) => v.field)).toEqual(['ald[1]']);
  });

  it('declares a médecin traitant, replaces and ends it, and gives the history', async () => {
    const { patientId } = await register(1);
    const declared = await declare(byNir(1), fx.gp1);
    expect(declared.current).toEqual({
      attributionId: expect.any(String),
      rpps: fx.gp1.rpps,
      professionalId: fx.gp1.professionalId,
      centreFiness: fx.centre,
      start: '2026-02-01',
      end: '',
      endReason: pb.EndReason.END_REASON_UNSPECIFIED,
      channel: pb.DeclarationChannel.DECLARATION_CHANNEL_CENTRE_SOFTWARE,
    });
    const replaced = await declare(byId(patientId), fx.gp2, '2026-03-01');
    const history = await callUnary(client, 'getAttribution', { patient: byNir(1) });
    expect(history.patientId).toBe(patientId);
    expect(history.current).toEqual(replaced.current);
    expect(history.history.map((a) => [a.rpps, a.start, a.end, a.endReason])).toEqual([
      [fx.gp1.rpps, '2026-02-01', '2026-03-01', pb.EndReason.END_REASON_REPLACED],
      [fx.gp2.rpps, '2026-03-01', '', pb.EndReason.END_REASON_UNSPECIFIED],
    ]);

    const ownChannel = await failure(
      callUnary(
        client,
        'declareMedecinTraitant',
        pb.DeclareMedecinTraitantRequest.fromPartial({
          patient: byNir(1),
          rpps: fx.gp1.rpps,
          centreFiness: fx.centre,
          effectiveDate: '2026-03-02',
          channel: pb.DeclarationChannel.DECLARATION_CHANNEL_WAITLIST_MATCH,
        }),
      ),
    );
    expect(ownChannel.fieldViolations.map((v) => v.field)).toEqual(['channel']);
    const noChannel = await failure(
      callUnary(
        client,
        'declareMedecinTraitant',
        pb.DeclareMedecinTraitantRequest.fromPartial({ patient: byNir(1), rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-03-02' }),
      ),
    );
    expect(noChannel.fieldViolations).toEqual([{ field: 'channel', description: 'is required' }]);
    // gp3 works at the other centre, not this one.
    const elsewhere = await failure(declare(byNir(1), { rpps: fx.gp3.rpps, centreFiness: fx.centre }, '2026-03-02'));
    expect(elsewhere.code).toBe(status.FAILED_PRECONDITION);
    expect(elsewhere.preconditionViolations[0]).toMatchObject({ type: 'PRACTITIONER', subject: 'rpps' });

    const ended = await callUnary(
      client,
      'endAttribution',
      pb.EndAttributionRequest.fromPartial({ patient: byNir(1), endDate: '2026-03-02', reason: pb.EndReason.END_REASON_DEATH }),
      as('centre:reception'),
    );
    expect(ended).toMatchObject({ current: undefined, deceased: true });
    const after = await callUnary(client, 'getAttribution', { patient: byNir(1) });
    expect(after.current).toBeUndefined();
    expect(after.history[1]).toMatchObject({ end: '2026-03-02', endReason: pb.EndReason.END_REASON_DEATH });
    const nothingToEnd = await failure(
      callUnary(
        client,
        'endAttribution',
        pb.EndAttributionRequest.fromPartial({ patient: byNir(1), endDate: '2026-03-02', reason: pb.EndReason.END_REASON_MOVED_AWAY }),
      ),
    );
    expect(nothingToEnd.preconditionViolations[0]?.type).toBe('NO_ATTRIBUTION');
  });

  it('refuses a declaration beyond the panel capacity with FAILED_PRECONDITION giving count and capacity', async () => {
    const set = await setCapacity(fx.gp1.rpps, 1);
    expect(set).toMatchObject({ rpps: fx.gp1.rpps, count: 0, capacity: 1, capacityOverride: 1, asOf: '2026-03-02' });
    await register(1);
    await register(2);
    await declare(byNir(1), fx.gp1);

    const full = await failure(declare(byNir(2), fx.gp1));
    expect(full.code).toBe(status.FAILED_PRECONDITION);
    expect(full.message).toContain('full');
    expect(full.preconditionViolations).toEqual([{ type: 'PANEL_CAPACITY', subject: 'rpps', description: expect.stringContaining('count 1, capacity 1') }]);
    expect(full.errorInfo?.metadata).toEqual({ rpps: fx.gp1.rpps, count: '1', capacity: '1' });

    const panel = await callUnary(client, 'getPanel', pb.GetPanelRequest.fromPartial({ rpps: fx.gp1.rpps }));
    expect(panel).toMatchObject({ count: 1, capacity: 1, capacityOverride: 1, nextPageToken: '' });
    expect(panel.patients).toEqual([{ patientId: expect.any(String), attributionId: expect.any(String), centreFiness: fx.centre, since: '2026-02-01' }]);

    // Without a capacity, back to FTE × norm (1.0 × 1000 in the fixture).
    const norm = await setCapacity(fx.gp1.rpps);
    expect(norm.capacity).toBe(1000);
    expect(norm.capacityOverride).toBeUndefined();
    expect((await declare(byNir(2), fx.gp1)).current?.rpps).toBe(fx.gp1.rpps);

    const tooMuch = await failure(setCapacity(fx.gp1.rpps, 10_001));
    expect(tooMuch.fieldViolations.map((v) => v.field)).toEqual(['capacity']);
  });

  it('pages through a centre roster as of a date, with birth year and month only', async () => {
    for (const order of [1, 2, 3]) {
      await register(order);
      await declare(byNir(order), order === 2 ? fx.gp2 : fx.gp1);
    }
    const roster = (pageToken = '') =>
      callUnary(client, 'getCentreRoster', pb.GetCentreRosterRequest.fromPartial({ centreFiness: fx.centre, asOf: '2026-02-15', pageSize: 2, pageToken }));
    const first = await roster();
    expect(first).toMatchObject({ centreFiness: fx.centre, asOf: '2026-02-15' });
    expect(first.entries).toHaveLength(2);
    expect(first.nextPageToken).not.toBe('');
    const second = await roster(first.nextPageToken);
    expect(second.entries).toHaveLength(1);
    expect(second.nextPageToken).toBe('');
    const all = [...first.entries, ...second.entries];
    expect(new Set(all.map((e) => e.patientId)).size).toBe(3);
    expect(all.map((e) => e.rpps).sort()).toEqual([fx.gp1.rpps, fx.gp1.rpps, fx.gp2.rpps].sort());
    expect(all[0]).toMatchObject({ birthYearMonth: '1980-05', sex: pb.Sex.SEX_FEMALE, communeInsee: '75111', since: '2026-02-01', until: '' });

    const before = await callUnary(client, 'getCentreRoster', pb.GetCentreRosterRequest.fromPartial({ centreFiness: fx.centre, asOf: '2026-01-15' }));
    expect(before.entries).toEqual([]);
    const badToken = await failure(roster('garbage'));
    expect(badToken.fieldViolations.map((v) => v.field)).toEqual(['pageToken']);
  });

  it('enrols on the waitlist, matches, confirms one proposal and declines another', async () => {
    const first = await register(1);
    const second = await register(2);
    const enrolled = await callUnary(
      client,
      'enrolOnWaitlist',
      pb.EnrolOnWaitlistRequest.fromPartial({ patient: byNir(1), centreFiness: fx.centre }),
      as('centre:reception'),
    );
    expect(enrolled.waitlist).toEqual({
      waitingSince: '2026-03-02',
      topPriority: false,
      enrolledBy: { kind: pb.EnrollerKind.ENROLLER_KIND_CENTRE, centreFiness: fx.centre, departureId: '' },
    });
    const byCoordinator = await callUnary(
      client,
      'enrolOnWaitlist',
      pb.EnrolOnWaitlistRequest.fromPartial({ patient: byId(second.patientId) }),
      as('coordinator:zoe'),
    );
    expect(byCoordinator.waitlist?.enrolledBy?.kind).toBe(pb.EnrollerKind.ENROLLER_KIND_COORDINATOR);
    expect((await failure(callUnary(client, 'enrolOnWaitlist', pb.EnrolOnWaitlistRequest.fromPartial({ patient: byNir(1) })))).code).toBe(
      status.ALREADY_EXISTS,
    );

    const noKind = await failure(callUnary(client, 'matchWaitlist', pb.MatchWaitlistRequest.fromPartial({ territory: { code: '75' } })));
    expect(noKind.fieldViolations).toEqual([{ field: 'territory.kind', description: 'is required' }]);

    const match = await callUnary(
      client,
      'matchWaitlist',
      pb.MatchWaitlistRequest.fromPartial({ territory: { kind: pb.TerritoryKind.TERRITORY_KIND_DEPARTEMENT, code: '75' }, maxDistanceKm: 10 }),
      as('coordinator:zoe'),
    );
    expect(match.considered).toBe(2);
    expect(match.unmatched).toEqual([]);
    expect(match.proposals.map((p) => p.patientId).sort()).toEqual([first.patientId, second.patientId].sort());
    for (const p of match.proposals) {
      expect([fx.gp1.rpps, fx.gp2.rpps]).toContain(p.rpps);
      expect(p).toMatchObject({ centreFiness: fx.centre, proposedOn: '2026-03-02' });
      expect(p.distanceKm).toBeLessThan(10);
    }
    const toFirst = match.proposals.find((p) => p.patientId === first.patientId)!;
    const toSecond = match.proposals.find((p) => p.patientId === second.patientId)!;

    const confirmed = await callUnary(client, 'confirmProposal', { proposalId: toFirst.proposalId }, as('centre:reception'));
    expect(confirmed.current).toMatchObject({
      rpps: toFirst.rpps,
      centreFiness: fx.centre,
      start: '2026-03-02',
      channel: pb.DeclarationChannel.DECLARATION_CHANNEL_WAITLIST_MATCH,
    });
    expect(confirmed.waitlist).toBeUndefined();
    expect(confirmed.pendingProposal).toBeUndefined();
    // Confirming again is harmless.
    expect((await callUnary(client, 'confirmProposal', { proposalId: toFirst.proposalId })).current).toEqual(confirmed.current);

    expect((await callUnary(client, 'getPatient', { patient: byNir(2) })).pendingProposal).toEqual(toSecond);
    const declined = await callUnary(client, 'declineProposal', { proposalId: toSecond.proposalId, reason: 'the GP is on leave' }, as('centre:reception'));
    expect(declined).toMatchObject({ current: undefined, pendingProposal: undefined, waitlist: { waitingSince: '2026-03-02' } });
    expect((await failure(callUnary(client, 'confirmProposal', { proposalId: toSecond.proposalId }))).preconditionViolations[0]?.type).toBe(
      'PROPOSAL_ANSWERED',
    );

    expect((await failure(callUnary(client, 'declineProposal', { proposalId: '00000000-0000-4000-8000-000000000000', reason: 'x' }))).code).toBe(
      status.NOT_FOUND,
    );
    expect((await failure(callUnary(client, 'confirmProposal', { proposalId: 'nope' }))).fieldViolations.map((v) => v.field)).toEqual(['proposalId']);
  });

  it('gives the coverage of a département and of its communes', async () => {
    await register(1);
    await register(2, { ald: [{ start: '2015-01-01', end: '' }] });
    await register(3, { communeInsee: '75112' });
    await declare(byNir(1), fx.gp1);

    const coverage = await callUnary(
      client,
      'getCoverage',
      pb.GetCoverageRequest.fromPartial({ territory: { kind: pb.TerritoryKind.TERRITORY_KIND_DEPARTEMENT, code: '75' }, asOf: '2026-03-02' }),
    );
    expect(coverage).toMatchObject({ territory: { kind: pb.TerritoryKind.TERRITORY_KIND_DEPARTEMENT, code: '75' }, name: 'Paris', asOf: '2026-03-02' });
    expect(coverage.totals).toMatchObject({ patients: 3, withMedecinTraitant: 1, withoutMedecinTraitant: 2, chronicWithout: 1 });
    expect(coverage.totals!.inhabitants).toBeGreaterThan(2_000_000);
    const part = (code: string) => coverage.parts.find((p) => p.code === code);
    expect(part('75111')?.figures).toMatchObject({ patients: 2, withMedecinTraitant: 1, withoutMedecinTraitant: 1, chronicWithout: 1 });
    expect(part('75112')?.figures).toMatchObject({ patients: 1, withoutMedecinTraitant: 1, chronicWithout: 0 });
    expect(part('75101')?.figures).toMatchObject({ patients: 0 });
    expect(coverage.parts.reduce((sum, p) => sum + p.figures!.inhabitants, 0)).toBe(coverage.totals!.inhabitants);

    const unknown = await failure(
      callUnary(client, 'getCoverage', pb.GetCoverageRequest.fromPartial({ territory: { kind: pb.TerritoryKind.TERRITORY_KIND_DEPARTEMENT, code: '00' } })),
    );
    expect(unknown.code).toBe(status.NOT_FOUND);
  });

  it('erases a patient named by NIR: their attribution ends, a retry answers the same, then NOT_FOUND', async () => {
    const { patientId } = await register(4);
    await declare(byNir(4), fx.gp1);
    const erase = () => callUnary(client, 'erasePatient', pb.ErasePatientRequest.fromPartial({ patient: byNir(4) }), as('coordinator:zoe'));
    const erased = await erase();
    expect(erased).toMatchObject({ patientId, erasedOn: '2026-03-02', endedAttributionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await erase()).toEqual(erased);
    expect((await failure(callUnary(client, 'getPatient', pb.GetPatientRequest.fromPartial({ patient: byId(patientId) })))).code).toBe(status.NOT_FOUND);
    const unknown = await failure(callUnary(client, 'erasePatient', pb.ErasePatientRequest.fromPartial({ patient: byNir(5) }), as('coordinator:zoe')));
    expect(unknown.code).toBe(status.NOT_FOUND);
  });
});
