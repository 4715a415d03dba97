import request from 'supertest';
import type { Express } from 'express';
import { Metadata, status } from '@grpc/grpc-js';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { planningV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { callUnary, createClient } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { grpcFailure, serveOverGrpc, serveOverHttp, type ServedGrpc } from '@pcn/service/testing';
import { startPlanning, type PlanningFixture } from '../testing';

/** Scheme writes behind the real access gate: a regional coordinator runs the schemes of its région only. */
let sql: PgliteSqlClient;
let fx: PlanningFixture;
let issuer: TestIssuer;
let app: Express;
let server: ServedGrpc;
let client: pb.TerritorialPlanningClient;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startPlanning(sql, 'planning_scope');
  issuer = await createTestIssuer();
  const logger = createLogger({ service: 'planning-scope-test', level: 'silent' });
  app = serveOverHttp(fx.module.http, logger, issuer.gate);
  server = await serveOverGrpc(fx.module.grpc, logger, issuer.gate);
  client = createClient(pb.TerritorialPlanningClient, server.address);
}, 120_000);
afterAll(async () => {
  client.close();
  await server.stop();
  await fx.stop();
  await sql.close();
});

const national = () => issuer.bearer('national_coordinator', {}, 'zoe');
/** Auvergne-Rhône-Alpes (84) holds the Ain (01); Île-de-France (11) holds Paris (75). */
const regional = (region: string) => issuer.bearer('regional_coordinator', { region }, `ars-${region}`);
const metadata = async (bearer: Promise<string>): Promise<Metadata> => {
  const m = new Metadata();
  m.set('authorization', await bearer);
  return m;
};
const openCentre = (proposalId: string, communeCode: string) => ({
  proposalId,
  kind: 'open-centre',
  communeCode,
  staffing: [{ profession: 'general-practitioner', fte: 2 }],
});
const versionOf = async (schemeId: string): Promise<number> => (await fx.module.schemes.get(schemeId)).version;

describe('scheme writes of a regional coordinator over REST', () => {
  it('lets it draft and run a scheme of a département of its région', async () => {
    const drafted = await request(app)
      .post('/v1/planning/schemes')
      .set('Authorization', await regional('84'))
      .send({ schemeId: 'ain-2027', territory: { level: 'departement', code: '01' }, title: 'Ain' })
      .expect(201);
    expect(drafted.headers.etag).toBe('"0"');
    await request(app)
      .post('/v1/planning/schemes/ain-2027/proposals')
      .set('Authorization', await regional('84'))
      .send(openCentre('p1', '01004'))
      .expect(200);
    await request(app)
      .post('/v1/planning/schemes/ain-2027/stages')
      .set('Authorization', await regional('84'))
      .send({ stage: 'local' })
      .expect(200);
    const events = await fx.module.store.readStream('scheme-ain-2027');
    expect(events[0]!.metadata.actor).toBe('regional_coordinator:ars-84@84');
  });

  it('answers 403 with the reason and writes nothing for a territory outside its région', async () => {
    const refused = await request(app)
      .post('/v1/planning/schemes')
      .set('Authorization', await regional('84'))
      .send({ schemeId: 'paris-2027', territory: { level: 'departement', code: '75' }, title: 'Paris' })
      .expect(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toBe(
      'a regional coordinator of région 84 runs the schemes of its région and of its départements only, not of departement 75 (région 11)',
    );
    await request(app)
      .get('/v1/planning/schemes/paris-2027')
      .set('Authorization', await national())
      .expect(404);

    await request(app)
      .post('/v1/planning/schemes')
      .set('Authorization', await national())
      .send({ schemeId: 'paris-2027', territory: { level: 'departement', code: '75' }, title: 'Paris' })
      .expect(201);
    const before = await versionOf('paris-2027');
    await request(app)
      .post('/v1/planning/schemes/paris-2027/proposals')
      .set('Authorization', await regional('84'))
      .send(openCentre('p1', '75111'))
      .expect(403);
    await request(app)
      .post('/v1/planning/schemes/paris-2027/stages')
      .set('Authorization', await regional('84'))
      .send({ stage: 'local' })
      .expect(403);
    await request(app)
      .post('/v1/planning/schemes')
      .set('Authorization', await regional('84'))
      .send({ schemeId: 'fr-2027', territory: { level: 'nation', code: 'FR' }, title: 'France' })
      .expect(403);
    expect(await versionOf('paris-2027')).toBe(before);
    // Its own région's coordinator may.
    await request(app)
      .post('/v1/planning/schemes/paris-2027/proposals')
      .set('Authorization', await regional('11'))
      .send(openCentre('p1', '75111'))
      .expect(200);
  });
});

describe('scheme writes of a regional coordinator over gRPC', () => {
  it('answers PERMISSION_DENIED and writes nothing outside its région, and lets its own région through', async () => {
    const before = await versionOf('ain-2027');
    const opinion = { schemeId: 'ain-2027', stage: 'local', opinion: { college: 'users', participant: 'u-1', vote: 'favourable', opinion: '' } };
    const denied = await grpcFailure(callUnary(client, 'submitOpinion', opinion, { metadata: await metadata(regional('11')) }));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, message: expect.stringContaining('not of departement 01 (région 84)') });
    const closing = await grpcFailure(
      callUnary(client, 'closeConsultationStage', { schemeId: 'ain-2027', stage: 'local' }, { metadata: await metadata(regional('11')) }),
    );
    expect(closing.code).toBe(status.PERMISSION_DENIED);
    expect(await versionOf('ain-2027')).toBe(before);

    const given = await callUnary(client, 'submitOpinion', opinion, { metadata: await metadata(regional('84')) });
    expect(given).toMatchObject({ schemeId: 'ain-2027', openStage: 'local', version: before + 1 });
  });
});
