import { Metadata, status } from '@grpc/grpc-js';
import { planningV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure as failure, serveOverGrpc, type ServedGrpc } from '@pcn/service/testing';
import { startPlanning, type PlanningFixture } from '../../testing';

let sql: PgliteSqlClient;
let fx: PlanningFixture;
let server: ServedGrpc;
let client: pb.TerritorialPlanningClient;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startPlanning(sql, 'planning_grpc');
  await fx.module.network.recordCentre(sql, { finess: '010000016', communeCode: '01053', status: 'member', version: 1 });
  await fx.module.network.recordAssignmentStarted(sql, { assignmentId: 'a1', centreFiness: '010000016', fte: 1, startOn: '2026-01-01' });
  // A patient of Bourg-en-Bresse, as the attribution consumer would have stored them: chronic, no médecin traitant.
  await fx.module.patients.recordPatient(sql, { patientId: 'p1', communeCode: '01053', ald: [{ start: '2020-01-01' }], asOf: '2026-01-01T00:00:00Z' });
  server = await serveOverGrpc(fx.module.grpc, createLogger({ service: 'grpc-test', level: 'silent' }));
  client = createClient(pb.TerritorialPlanningClient, server.address);
}, 120_000);
afterAll(async () => {
  client.close();
  await server.stop();
  await fx.stop();
  await sql.close();
});

const actor = (who: string): Metadata => {
  const m = new Metadata();
  m.set('x-pcn-actor', who);
  return m;
};
const ain = { level: 'departement', code: '01' };

describe('pcn.planning.v1.TerritorialPlanning over gRPC', () => {
  it('reads the needs of a territory, computes accessibility, lists the underserved and suggests sites', async () => {
    const needs = await callUnary(client, 'getTerritoryNeeds', { territory: ain });
    expect(needs).toMatchObject({ territory: ain, name: 'Ain', centres: 1, networkGpFte: 1 });
    expect(needs.patients).toEqual({ asOf: '2026-12-06', patients: 1, withMedecinTraitant: 0, withoutMedecinTraitant: 1, chronicWithoutMedecinTraitant: 1 });
    expect(needs.population).toBeGreaterThan(600_000);

    const computation = await callUnary(client, 'computeAccessibility', pb.ComputeAccessibilityRequest.fromPartial({ supplyScope: 'network' }));
    expect(computation).toMatchObject({ supplyPoints: 1 });
    expect(computation.communesComputed).toBeGreaterThan(34_000);

    const underserved = await callUnary(client, 'listUnderserved', { computationId: computation.computationId, territory: ain });
    expect(underserved.communes.length).toBeGreaterThan(100);
    expect(underserved.communes[0]).toMatchObject({ accessibilityClass: 'underserved', index: 0 });

    const sites = await callUnary(
      client,
      'suggestSites',
      pb.SuggestSitesRequest.fromPartial({ computationId: computation.computationId, territory: ain, sites: 2, fte: 10 }),
    );
    expect(sites.sites).toHaveLength(2);
    expect(sites.gained).toBeGreaterThan(0);
  }, 60_000);

  it('drafts a scheme, adds a proposal and consults, with the actor recorded and versions checked', async () => {
    const drafted = await callUnary(client, 'draftScheme', { schemeId: 'ain-grpc', territory: ain, title: 'Ain' }, { metadata: actor('ars-ara') });
    expect(drafted).toMatchObject({ schemeId: 'ain-grpc', status: 'draft', version: 0 });
    const proposal = {
      proposalId: 'p1',
      kind: 'open-centre',
      communeCode: '01004',
      centreFiness: '',
      staffing: [{ profession: 'general-practitioner', fte: 3 }],
    };
    const added = await callUnary(client, 'addProposal', { schemeId: 'ain-grpc', proposal, expectedVersion: 0 });
    expect(added.proposals).toEqual([proposal]);
    const stale = await failure(callUnary(client, 'openConsultationStage', { schemeId: 'ain-grpc', stage: 'local', expectedVersion: 0 }));
    expect(stale.code).toBe(status.ABORTED);
    await callUnary(client, 'openConsultationStage', { schemeId: 'ain-grpc', stage: 'local' });
    const opinion = await callUnary(client, 'submitOpinion', {
      schemeId: 'ain-grpc',
      stage: 'local',
      opinion: { college: 'users', participant: 'users-1', vote: 'favourable', opinion: '' },
    });
    expect(opinion).toMatchObject({ openStage: 'local', opinions: [{ college: 'users', vote: 'favourable' }] });
    const closed = await callUnary(client, 'closeConsultationStage', { schemeId: 'ain-grpc', stage: 'local' });
    expect(closed.openStage).toBe('');
    expect(await callUnary(client, 'getScheme', { schemeId: 'ain-grpc' })).toEqual(closed);
  });

  it('answers bad input INVALID_ARGUMENT naming each field, and an unknown scheme NOT_FOUND', async () => {
    const bad = await failure(callUnary(client, 'draftScheme', { schemeId: 'Bad Id', territory: { level: 'planet', code: '01' }, title: 'x' }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.fieldViolations.map((v) => v.field).sort()).toEqual(['schemeId', 'territory.level']);
    const proposal = await failure(
      callUnary(client, 'addProposal', {
        schemeId: 'ain-grpc',
        proposal: { proposalId: 'p2', kind: 'open-centre', communeCode: '1', centreFiness: '', staffing: [] },
      }),
    );
    expect(proposal.fieldViolations.map((v) => v.field)).toEqual(expect.arrayContaining(['communeCode', 'staffing']));
    const unknownStage = await failure(callUnary(client, 'closeConsultationStage', { schemeId: 'ain-grpc', stage: 'county' }));
    expect(unknownStage.fieldViolations.map((v) => v.field)).toEqual(['stage']);
    expect((await failure(callUnary(client, 'getScheme', { schemeId: 'nowhere' }))).code).toBe(status.NOT_FOUND);
    expect((await failure(callUnary(client, 'listUnderserved', pb.ListUnderservedRequest.fromPartial({ computationId: 'unknown' })))).code).toBe(
      status.NOT_FOUND,
    );
  });
});
