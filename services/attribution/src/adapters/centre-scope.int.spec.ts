import request from 'supertest';
import { status } from '@grpc/grpc-js';
import { attributionV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure as failure, serveOverGrpc, type ServedGrpc } from '@pcn/service/testing';
import { patientInput, startAttribution, type AttributionFixture, type TestGp } from '../testing';

/*
 * A centre acts on its own patients only (issue 13): the gate lets a centre's token through to
 * these operations, and the attribution application decides from the patient's stream. Centre A
 * is `fx.centre` (gp1, gp2), centre B `fx.otherCentre` (gp3).
 */
let sql: PgliteSqlClient;
let fx: AttributionFixture;
let centreA: string;
let centreB: string;
/** A patient of centre A and one of centre B. */
let ofA: string;
let ofB: string;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startAttribution({ sql });
  centreA = await fx.issuer.bearer('centre', { finess: fx.centre }, 'software-a');
  centreB = await fx.issuer.bearer('centre', { finess: fx.otherCentre }, 'software-b');
  ofA = await declared(1, fx.gp1);
  ofB = await declared(2, fx.gp3);
}, 60_000);
afterAll(async () => {
  await fx.teardown();
  await sql.close();
});

const api = (token: string) => request.agent(fx.app).set('Authorization', token);
async function declared(order: number, gp: TestGp): Promise<string> {
  const patientId = (await api(fx.coordinator).post('/v1/attribution/patients').send(patientInput(order))).body.patientId as string;
  const res = await api(fx.coordinator)
    .post(`/v1/attribution/patients/${patientId}/declarations`)
    .send({ rpps: gp.rpps, centreFiness: gp.centreFiness, effectiveDate: '2026-03-02', channel: 'paper_form' });
  expect(res.status).toBe(201);
  return patientId;
}
const head = () => fx.module.store.headPosition();

describe('over REST, a centre', () => {
  it('reads its own patient and their attributions', async () => {
    const patient = await api(centreA).get(`/v1/attribution/patients/${ofA}`);
    expect(patient.status).toBe(200);
    expect(patient.body.current).toMatchObject({ centreFiness: fx.centre });
    expect((await api(centreA).get(`/v1/attribution/patients/${ofA}/attribution`)).status).toBe(200);
  });

  it('is refused another centre’s patient: 403 with the reason', async () => {
    for (const path of [`/v1/attribution/patients/${ofB}`, `/v1/attribution/patients/${ofB}/attribution`]) {
      const res = await api(centreA).get(path);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toBe(`centre ${fx.centre} may not act on patient ${ofB}: the patient’s médecin traitant practises at another centre`);
    }
  });

  it('may not end another centre’s attribution, and nothing is written', async () => {
    const before = await head();
    const res = await api(centreA).post(`/v1/attribution/patients/${ofB}/attribution/end`).send({ endDate: '2026-03-02', reason: 'patient_request' });
    expect(res.status).toBe(403);
    expect(await head()).toBe(before);
    expect((await api(fx.coordinator).get(`/v1/attribution/patients/${ofB}`)).body.current).toMatchObject({ centreFiness: fx.otherCentre });
  });

  it('does not get another centre’s answer by replaying its idempotency key', async () => {
    const patientId = await declared(5, fx.gp3);
    const end = (token: string) =>
      api(token)
        .post(`/v1/attribution/patients/${patientId}/attribution/end`)
        .set('Idempotency-Key', 'end-5')
        .send({ endDate: '2026-03-02', reason: 'patient_request' });
    expect((await end(centreB)).status).toBe(200);
    const replayed = await end(centreA);
    expect([replayed.status, replayed.body.errors]).toEqual([400, [expect.objectContaining({ field: 'idempotencyKey' })]]);
    expect(JSON.stringify(replayed.body)).not.toContain(fx.gp3.rpps);
  });

  it('ends an attribution at its own centre', async () => {
    const patientId = await declared(3, fx.gp2);
    const res = await api(centreA).post(`/v1/attribution/patients/${patientId}/attribution/end`).send({ endDate: '2026-03-02', reason: 'moved_away' });
    expect(res.status).toBe(200);
    expect(res.body.current).toBeUndefined();
  });

  it('answers only the waitlist proposals made to it, and sees whom it is offered', async () => {
    const patientId = (await api(fx.coordinator).post('/v1/attribution/patients').send(patientInput(4))).body.patientId as string;
    expect((await api(fx.coordinator).post(`/v1/attribution/patients/${patientId}/waitlist`)).status).toBe(200);
    const matched = await api(fx.coordinator)
      .post('/v1/attribution/waitlist/matches')
      .send({ territory: { kind: 'departement', code: '75' } });
    const proposal = matched.body.proposals[0] as { proposalId: string; centreFiness: string };
    expect(proposal).toMatchObject({ patientId });
    const [own, other] = proposal.centreFiness === fx.centre ? [centreA, centreB] : [centreB, centreA];

    const before = await head();
    for (const answer of ['confirm', 'decline']) {
      const call = api(other).post(`/v1/attribution/proposals/${proposal.proposalId}/${answer}`);
      const res = answer === 'decline' ? await call.send({ reason: 'not ours' }) : await call;
      expect([answer, res.status, res.body.detail]).toEqual([answer, 403, expect.stringContaining('the proposal went to another centre')]);
    }
    expect((await api(other).get(`/v1/attribution/patients/${patientId}`)).status).toBe(403);
    expect(await head()).toBe(before);

    expect((await api(own).get(`/v1/attribution/patients/${patientId}`)).body.pendingProposal).toMatchObject({ proposalId: proposal.proposalId });
    const declined = await api(own).post(`/v1/attribution/proposals/${proposal.proposalId}/decline`).send({ reason: 'no home visits' });
    expect(declined.status).toBe(200);
    expect(declined.body.pendingProposal).toBeUndefined();
  });
});

describe('over gRPC, a centre', () => {
  let server: ServedGrpc;
  let client: pb.AttributionClient;
  beforeAll(async () => {
    server = await serveOverGrpc(fx.module.grpc, createLogger({ service: 'grpc-test', level: 'silent' }), fx.issuer.gate);
    client = createClient(pb.AttributionClient, server.address);
  });
  afterAll(async () => {
    client.close();
    await server.stop();
  });
  const byId = (patientId: string): pb.PatientRef => ({ ref: { $case: 'patientId', value: patientId } });
  const as = (token: string) => ({ metadata: { authorization: token } });

  it('reads its own patient; another centre’s is PERMISSION_DENIED, for reads and ends, and nothing is written', async () => {
    expect(await callUnary(client, 'getPatient', { patient: byId(ofB) }, as(centreB))).toMatchObject({ patientId: ofB });
    const before = await head();
    const read = await failure(callUnary(client, 'getPatient', { patient: byId(ofB) }, as(centreA)));
    expect([read.code, read.message]).toEqual([status.PERMISSION_DENIED, expect.stringContaining('practises at another centre')]);
    expect((await failure(callUnary(client, 'getAttribution', { patient: byId(ofB) }, as(centreA)))).code).toBe(status.PERMISSION_DENIED);
    const end = await failure(
      callUnary(
        client,
        'endAttribution',
        pb.EndAttributionRequest.fromPartial({ patient: byId(ofB), endDate: '2026-03-02', reason: pb.EndReason.END_REASON_PATIENT_REQUEST }),
        as(centreA),
      ),
    );
    expect(end.code).toBe(status.PERMISSION_DENIED);
    expect(await head()).toBe(before);
  });
});
