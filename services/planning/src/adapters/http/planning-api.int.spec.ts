import request from 'supertest';
import type { Express } from 'express';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { startPlanning, type PlanningFixture } from '../../testing';
import { SqlAdoptedSchemes } from '../persistence/sql-adopted-schemes';

let sql: PgliteSqlClient;
let fx: PlanningFixture;
let app: Express;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startPlanning(sql, 'planning_api');
  app = fx.app;
  // The network as the registry and staff consumers would have stored it.
  const { network } = fx.module;
  await network.recordCentre(sql, { finess: '010000016', communeCode: '01053', status: 'member', version: 1 });
  await network.recordAssignmentStarted(sql, { assignmentId: 'a1', centreFiness: '010000016', fte: 1, startOn: '2026-01-01' });
}, 120_000);
afterAll(async () => {
  await fx.stop();
  await sql.close();
});

describe('REST /v1/planning: accessibility', () => {
  let computationId: string;

  it('imports the GPs outside the network from CSV, reporting bad lines', async () => {
    const res = await request(app).put('/v1/planning/outside-supply').type('text/csv').send('commune,gp_fte\n01053,30\n01283,12\n99999,2\n').expect(200);
    expect(res.body).toMatchObject({ lines: 3, accepted: 2, changed: 2, version: 1, errors: [{ line: 4, field: 'commune' }] });
    await request(app)
      .put('/v1/planning/outside-supply')
      .type('text/csv')
      .send('commune,gp_fte\n01053,30\n01283,12\n')
      .expect(200, /"changed":0/u);
  });

  it('computes accessibility over the country, stores it and answers where it is', async () => {
    const res = await request(app)
      .post('/v1/planning/accessibility-computations')
      .send({ parameters: { supplyScope: 'all' } })
      .expect(201);
    computationId = res.body.computationId;
    expect(res.headers.location).toBe(`/v1/planning/accessibility-computations/${computationId}`);
    expect(res.body).toMatchObject({
      parameters: { speedKmh: 45, supplyScope: 'all' },
      inputs: { centres: 1, outsideCommunes: 2, outsideSupplyVersion: 1 },
      supplyPoints: 3,
    });
    expect(res.body.communesComputed).toBeGreaterThan(34_000);
  }, 60_000);

  it('keeps the computation across a restart: another instance on the same schema reads it', async () => {
    const restarted = await startPlanning(sql, 'planning_api');
    try {
      const res = await request(restarted.app).get(`/v1/planning/accessibility-computations/${computationId}`).expect(200);
      expect(res.body).toMatchObject({ computationId, supplyPoints: 3 });
    } finally {
      await restarted.stop();
    }
  }, 60_000);

  it('lists the underserved communes of a département, and needs of a territory', async () => {
    const res = await request(app).get(`/v1/planning/accessibility-computations/${computationId}/underserved?level=departement&code=01`).expect(200);
    expect(res.body.communes.length).toBeGreaterThan(100);
    expect(res.body.communes[0]).toMatchObject({ class: 'underserved', accessibility: 0 });
    const needs = await request(app).get('/v1/planning/territories/departement/01/needs').expect(200);
    expect(needs.body).toMatchObject({ territory: { name: 'Ain' }, centres: 1, networkGpFte: 1, outsideGpFte: 42 });
  });

  it('serves GeoJSON and an SVG map of a territory', async () => {
    const geo = await request(app).get(`/v1/planning/accessibility-computations/${computationId}/geojson?level=epci&code=200071751`).expect(200);
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/u);
    const collection = JSON.parse(geo.text);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features[0]).toMatchObject({ type: 'Feature', geometry: { type: 'Point' }, properties: { kind: 'commune' } });
    const svg = await request(app).get(`/v1/planning/accessibility-computations/${computationId}/map.svg?level=departement&code=01&width=500`).expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/u);
    expect(svg.body.toString()).toContain('Ain: GP accessibility');
  });

  it('suggests sites, and refuses a bad request with each field named', async () => {
    const res = await request(app)
      .post(`/v1/planning/accessibility-computations/${computationId}/site-suggestions`)
      .send({ territory: { level: 'departement', code: '01' }, sites: 2, fte: 10 })
      .expect(200);
    expect(res.body.sites).toHaveLength(2);
    const bad = await request(app)
      .post(`/v1/planning/accessibility-computations/${computationId}/site-suggestions`)
      .send({ territory: { level: 'departement', code: '01' }, sites: 0, fte: -1 })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/u);
    expect(JSON.stringify(bad.body)).toContain('sites');
    await request(app).get('/v1/planning/accessibility-computations/unknown').expect(404);
  });
});

describe('REST /v1/planning: schemes', () => {
  it('drafts, consults and adopts a départemental scheme, with ETags', async () => {
    const drafted = await request(app)
      .post('/v1/planning/schemes')
      .send({ schemeId: 'ain-2027', territory: { level: 'departement', code: '01' }, title: 'Ain 2027' })
      .expect(201);
    expect(drafted.headers.etag).toBe('"0"');
    await request(app)
      .post('/v1/planning/schemes/ain-2027/proposals')
      .set('If-Match', '"0"')
      .send({ proposalId: 'p1', kind: 'open-centre', communeCode: '01004', staffing: [{ profession: 'general-practitioner', fte: 3 }] })
      .expect(200);
    await request(app).post('/v1/planning/schemes/ain-2027/stages').set('If-Match', '"0"').send({ stage: 'local' }).expect(412);
    for (const stage of ['local', 'departemental']) {
      await request(app).post('/v1/planning/schemes/ain-2027/stages').send({ stage }).expect(200);
      for (const college of ['users', 'elected-officials', 'professionals']) {
        await request(app)
          .post(`/v1/planning/schemes/ain-2027/stages/${stage}/opinions`)
          .send({ college, participant: `${college}-1`, vote: 'favourable' })
          .expect(200);
      }
      await request(app).post(`/v1/planning/schemes/ain-2027/stages/${stage}/closure`).send({}).expect(200);
    }
    const scheme = await request(app).get('/v1/planning/schemes/ain-2027').expect(200);
    expect(scheme.body.scheme).toMatchObject({ status: 'adopted', approvedStages: ['local', 'departemental'] });
    // The read model follows the stream: one row per scheme, at its version.
    const events = await fx.module.store.readStream('scheme-ain-2027');
    await fx.module.projection.waitForPosition(events.at(-1)!.position);
    const rows = await sql.query<{ status: string; version: number }>(
      `SELECT status, version::int AS version FROM planning_api.schemes WHERE scheme_id = 'ain-2027'`,
    );
    expect(rows.rows).toEqual([{ status: 'adopted', version: Number(String(scheme.headers.etag).replaceAll('"', '')) }]);
    await request(app).post('/v1/planning/schemes/ain-2027/stages').send({ stage: 'regional' }).expect(409);

    // A centre accredited in the proposed commune fulfils the proposal, once; elsewhere, nothing.
    const adopted = new SqlAdoptedSchemes(sql, 'planning_api');
    const centre = { centreFiness: '010000024', communeCode: '01004', accreditedOn: '2027-03-01' };
    expect(await fx.module.schemes.recordCentreAccredited({ ...centre, communeCode: '01053' }, adopted)).toEqual([]);
    expect(await fx.module.schemes.recordCentreAccredited(centre, adopted, { actor: 'planning' })).toEqual(['ain-2027']);
    expect(await fx.module.schemes.recordCentreAccredited(centre, adopted)).toEqual([]);
    const fulfilled = await request(app).get('/v1/planning/schemes/ain-2027').expect(200);
    expect(fulfilled.body.scheme.fulfilled).toEqual({ p1: { centreFiness: '010000024', accreditedOn: '2027-03-01' } });
    await request(app).post('/v1/planning/schemes/ain-2027/stages/nowhere/closure').send({}).expect(400);
  });
});
