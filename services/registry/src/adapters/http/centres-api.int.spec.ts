import request from 'supertest';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { startRegistry, registration, finess, type RegistryFixture } from '../../testing';

let sql: PgliteSqlClient;
let n = 0;
let fx: RegistryFixture;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(() => sql.close());
beforeEach(async () => {
  fx = await startRegistry(sql, `registry_http_${++n}`);
});
afterEach(() => fx.stop());

const api = () => request.agent(fx.app).set('Authorization', fx.coordinator);

const as = (subject: string): Promise<string> => fx.issuer.bearer('national_coordinator', {}, subject);
const register = (body = registration()) => api().post('/v1/centres').send(body);

describe('REST /v1/centres', () => {
  it('registers a candidate, resolving the commune, with Location and ETag', async () => {
    const res = await register();
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/centres/${finess('93000001')}`);
    expect(res.headers.etag).toBe('"0"');
    expect(res.body).toMatchObject({
      finess: finess('93000001'),
      status: 'candidate',
      communeName: 'Saint-Denis',
      departement: '93',
      region: '11',
      secpaParticipation: false,
      version: 0,
    });
    // No coordinates given: the commune's centroid.
    expect(res.body.coordinates.latitude).toBeCloseTo(48.93, 1);
    const got = await api().get(`/v1/centres/${finess('93000001')}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('answers the same registration again with the centre it registered (a retry), and refuses another registration of the FINESS', async () => {
    const first = await register();
    const retried = await register();
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    const res = await register({ ...registration(), name: 'Another centre' });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:pcn:problem:already-exists', status: 409 });
  });

  it.each([
    ['a malformed FINESS', { finess: '93000001X' }, 'finess', /9 characters|digit/i],
    ['a wrong FINESS check digit', { finess: `93000001${(Number(finess('93000001').slice(-1)) + 1) % 10}` }, 'finess', /check/i],
    ['an unknown commune', { communeInsee: '99999' }, 'communeInsee', /official list/],
    ['a missing name', { name: undefined }, 'name', /required/],
    ['an oversized name', { name: 'x'.repeat(201) }, 'name', /at most 200/],
    ['an unknown centre type', { type: 'hospital' }, 'type', /option/i],
    ['an unknown field', { colour: 'blue' }, 'colour', /unknown field/],
    ['a for-profit manager', { manager: { kind: 'commercial_company', name: 'SAS Santé+' } }, 'manager.kind', /for-profit/],
    ['a repeated service', { services: ['nursing', 'nursing'] }, 'services', /repeat/],
    ['a date that is not in the calendar', { healthProject: { adoptedOn: '2026-02-30', axes: ['prevention'] } }, 'healthProject.adoptedOn', /calendar/],
  ])('refuses %s, naming the field, and writes nothing', async (_case, change, field, description) => {
    const res = await register(registration('93000001', change));
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:pcn:problem:invalid-argument');
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, description: expect.stringMatching(description) }]));
    const list = await api().get('/v1/centres');
    expect(list.body.totalSize).toBe(0);
  });

  it('reports every invalid field at once', async () => {
    const res = await register(
      registration('93000001', { name: '', communeInsee: 'ABCDE', governance: { electedOfficialsSeats: -1, usersSeats: 1, staffSeats: 1 } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['communeInsee', 'governance.electedOfficialsSeats', 'name']);
  });

  it('answers malformed JSON and unknown routes with problem+json', async () => {
    const bad = await api().post('/v1/centres').set('Content-Type', 'application/json').send('{"finess": ');
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:pcn:problem:malformed-body');
    const unknown = await api().get('/v1/nowhere');
    expect(unknown.status).toBe(404);
  });

  it('walks the lifecycle with optimistic concurrency: accredit, suspend, reinstate, close', async () => {
    const id = finess('93000001');
    await register();
    const noIfMatch = await api().post(`/v1/centres/${id}/accreditation`).send({ accreditedOn: '2026-03-01' });
    expect(noIfMatch.status).toBe(428);
    const stale = await api().post(`/v1/centres/${id}/accreditation`).set('If-Match', '"7"').send({ accreditedOn: '2026-03-01' });
    expect(stale.status).toBe(412);

    const accredited = await api().post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2026-03-01' });
    expect(accredited.status).toBe(200);
    expect(accredited.body).toMatchObject({ status: 'member', accreditedOn: '2026-03-01', version: 1 });
    expect(accredited.headers.etag).toBe('"1"');

    const suspended = await api().post(`/v1/centres/${id}/suspension`).set('If-Match', '"1"').send({ reason: 'board not convened for a year' });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionReason: 'board not convened for a year' });
    const reinstated = await api().post(`/v1/centres/${id}/reinstatement`).set('If-Match', '"2"');
    expect(reinstated.body.status).toBe('member');
    expect(reinstated.body.suspensionReason).toBeUndefined();

    const closing = await api()
      .post(`/v1/centres/${id}/closure`)
      .set('If-Match', '"3"')
      .send({ effectiveDate: '2026-06-30', reason: 'merged with a neighbour' });
    expect(closing.body).toMatchObject({ status: 'member', closure: { effectiveDate: '2026-06-30' } });
    fx.clock.set('2026-07-01T08:00:00Z');
    const closed = await api().get(`/v1/centres/${id}`);
    expect(closed.body.status).toBe('closed');
    const afterClosure = await api().patch(`/v1/centres/${id}`).set('If-Match', '"4"').send({ name: 'Renamed' });
    expect(afterClosure.status).toBe(409);
  });

  it('refuses accreditation listing each unmet criterion', async () => {
    const id = finess('93000001');
    await register(
      registration('93000001', { commitments: { sector1FeesOnly: false, fullThirdPartyPayment: true, salariedStaff: false }, healthProject: undefined }),
    );
    const res = await api().post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2026-03-01' });
    expect(res.status).toBe(409);
    expect(res.body.violations.map((v: { subject: string }) => v.subject)).toEqual([
      'commitments.sector1FeesOnly',
      'commitments.salariedStaff',
      'healthProject',
    ]);
    expect((await api().get(`/v1/centres/${id}`)).body.status).toBe('candidate');
  });

  it('amends only what is sent, and answers the state as of a past instant and the history', async () => {
    const id = finess('93000001');
    fx.clock.set('2026-03-02T09:00:00Z');
    await register();
    fx.clock.set('2026-04-10T09:00:00Z');
    const amended = await api()
      .patch(`/v1/centres/${id}`)
      .set('If-Match', '"0"')
      .set('Authorization', await as('bob'))
      .send({ name: 'Centre Louise-Michel', services: ['general_medicine', 'psychology'] });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ name: 'Centre Louise-Michel', services: ['general_medicine', 'psychology'], type: 'polyvalent', version: 1 });

    const before = await api().get(`/v1/centres/${id}`).query({ asOf: '2026-03-15T00:00:00Z' });
    expect(before.body).toMatchObject({ name: 'Centre de santé Louise-Michel', version: 0 });
    const tooEarly = await api().get(`/v1/centres/${id}`).query({ asOf: '2026-01-01T00:00:00Z' });
    expect(tooEarly.status).toBe(404);
    const badAsOf = await api().get(`/v1/centres/${id}`).query({ asOf: 'yesterday' });
    expect(badAsOf.status).toBe(400);
    expect(badAsOf.body.errors[0].field).toBe('asOf');

    const history = await api().get(`/v1/centres/${id}/history`);
    expect(history.body.entries.map((e: { type: string; actor: string; version: number }) => [e.version, e.type, e.actor])).toEqual([
      [0, 'CentreRegistered', 'national_coordinator:tester'],
      [1, 'CentreAmended', 'national_coordinator:bob'],
    ]);
    expect(history.body.entries[1].data.changes).toEqual({ name: 'Centre Louise-Michel', services: ['general_medicine', 'psychology'] });
  });

  it('keeps a centre accredited in advance a candidate until its accreditation date, in reads and lists', async () => {
    const id = finess('93000001');
    fx.clock.set('2026-12-06T09:00:00Z');
    await register();
    const accredited = await api().post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2027-01-05' });
    expect(accredited.status).toBe(200);
    expect(accredited.body).toMatchObject({ status: 'candidate', accreditedOn: '2027-01-05' });
    expect((await api().get('/v1/centres').query({ status: 'member' })).body.totalSize).toBe(0);
    expect((await api().get('/v1/centres').query({ status: 'candidate' })).body.totalSize).toBe(1);
    const suspend = await api().post(`/v1/centres/${id}/suspension`).set('If-Match', '"1"').send({ reason: 'board not convened' });
    expect(suspend.status).toBe(409);
    expect(suspend.body.detail).toContain('candidate until its accreditation takes effect on 2027-01-05');

    // The status on a business day, from the centre's dates.
    expect((await api().get(`/v1/centres/${id}`).query({ on: '2027-01-04' })).body.status).toBe('candidate');
    expect((await api().get(`/v1/centres/${id}`).query({ on: '2027-01-05' })).body).toMatchObject({ status: 'member', version: 1 });
    const beforeRegistration = await api().get(`/v1/centres/${id}`).query({ on: '2026-12-05' });
    expect(beforeRegistration.status).toBe(404);
    expect(beforeRegistration.body.detail).toBe(`centre ${id} on 2026-12-05 (registered on 2026-12-06) not found`);
    const badDay = await api().get(`/v1/centres/${id}`).query({ on: '2027-02-30' });
    expect(badDay.status).toBe(400);
    expect(badDay.body.errors[0].field).toBe('on');

    fx.clock.set('2027-01-05T00:00:00Z');
    expect((await api().get(`/v1/centres/${id}`)).body.status).toBe('member');
    expect((await api().get('/v1/centres').query({ status: 'member' })).body.totalSize).toBe(1);
  });

  it('refuses a health project adopted after the accreditation date', async () => {
    const id = finess('93000001');
    await register(registration('93000001', { healthProject: { adoptedOn: '2026-03-15', axes: ['prevention'] } }));
    const res = await api().post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2026-03-01' });
    expect(res.status).toBe(409);
    expect(res.body.violations).toEqual([expect.objectContaining({ type: 'ACCREDITATION_CRITERION', subject: 'healthProject.adoptedOn' })]);
  });

  it('names the FINESS of a centre never registered when refusing a write to it', async () => {
    const id = finess('93000009');
    const res = await api().post(`/v1/centres/${id}/suspension`).set('If-Match', '"0"').send({ reason: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: 'urn:pcn:problem:not-found', detail: `centre ${id} not found` });
  });

  it('makes a retried registration with the same Idempotency-Key a no-op', async () => {
    const first = await register().set('Idempotency-Key', 'import-2026-03-batch-7');
    const again = await api().post('/v1/centres').set('Idempotency-Key', 'import-2026-03-batch-7').send(registration());
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await api().get(`/v1/centres/${finess('93000001')}/history`)).body.entries).toHaveLength(1);
  });

  it('lists with filters and keyset pagination', async () => {
    await register(registration('93000001'));
    await register(registration('93000002', { name: 'Centre B' }));
    await register(registration('75000003', { communeInsee: '75111', address: { line1: '1 rue Oberkampf', postalCode: '75011', city: 'Paris' } }));
    await register(registration('2A000004', { communeInsee: '2A004', address: { line1: '1 cours Napoléon', postalCode: '20000', city: 'Ajaccio' } }));
    await register(registration('93000005', { type: 'dental' }));
    const accredit = await api()
      .post(`/v1/centres/${finess('93000002')}/accreditation`)
      .set('If-Match', '"0"')
      .send({ accreditedOn: '2026-03-01' });
    expect(accredit.status).toBe(200);

    const seine = await api().get('/v1/centres').query({ departement: '93' });
    expect(seine.body.totalSize).toBe(3);
    const members = await api().get('/v1/centres').query({ status: 'member' });
    expect(members.body.centres.map((c: { finess: string }) => c.finess)).toEqual([finess('93000002')]);
    const dental = await api().get('/v1/centres').query({ type: 'dental', region: '11' });
    expect(dental.body.totalSize).toBe(1);
    const corsica = await api().get('/v1/centres').query({ departement: '2A' });
    expect(corsica.body.centres[0]).toMatchObject({ communeName: 'Ajaccio', region: '94' });

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await api()
        .get('/v1/centres')
        .query({ pageSize: 2, ...(token && { pageToken: token }) });
      expect(page.body.totalSize).toBe(5);
      pages.push(page.body.centres.map((c: { finess: string }) => c.finess));
      token = page.body.nextPageToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...pages.flat()].sort());

    const forged = await api().get('/v1/centres').query({ pageToken: 'garbage' });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].field).toBe('pageToken');
    const tooBig = await api().get('/v1/centres').query({ pageSize: 5000 });
    expect(tooBig.status).toBe(400);
  });

  it('moves the coordinates to the new commune unless new ones are given', async () => {
    const id = finess('93000001');
    await register();
    const moved = await api().patch(`/v1/centres/${id}`).set('If-Match', '"0"').send({ communeInsee: '2A004' });
    expect(moved.body).toMatchObject({ communeName: 'Ajaccio', departement: '2A', region: '94' });
    expect(moved.body.coordinates.latitude).toBeCloseTo(41.93, 1);
    const placed = await api()
      .patch(`/v1/centres/${id}`)
      .set('If-Match', '"1"')
      .send({ communeInsee: '93066', coordinates: { latitude: 48.9, longitude: 2.35 } });
    expect(placed.body.coordinates).toEqual({ latitude: 48.9, longitude: 2.35 });
  });

  it('answers a committed write from the stream when the read model lags behind', async () => {
    const id = finess('93000001');
    await register();
    await fx.module.projection.stop();
    const res = await api().patch(`/v1/centres/${id}`).set('If-Match', '"0"').send({ name: 'Renamed while the read model is stopped' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed while the read model is stopped', version: 1 });
    expect(res.headers.etag).toBe('"1"');
  });

  it('answers 404, not a version mismatch, for a write to a centre that does not exist', async () => {
    const res = await api()
      .post(`/v1/centres/${finess('93000001')}/suspension`)
      .set('If-Match', '"0"')
      .send({ reason: 'x' });
    expect(res.status).toBe(404);
  });

  it('lets exactly one of two concurrent amendments based on the same version win', async () => {
    const id = finess('93000001');
    await register();
    const results = await Promise.all([
      api().patch(`/v1/centres/${id}`).set('If-Match', '"0"').send({ name: 'Name A' }),
      api().patch(`/v1/centres/${id}`).set('If-Match', '"0"').send({ name: 'Name B' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('registers a FINESS once when different registrations race: the others are told it already exists', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => register({ ...registration(), name: `Centre ${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await api().get(`/v1/centres/${finess('93000001')}/history`)).body.entries).toHaveLength(1);
  });

  it('registers a FINESS once when the same registration is sent several times at once, and answers each with that centre', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => register()));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.finess))).toEqual(new Set([finess('93000001')]));
    expect((await api().get(`/v1/centres/${finess('93000001')}/history`)).body.entries).toHaveLength(1);
  });

  it('serves its OpenAPI document', async () => {
    const res = await api().get('/v1/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/centres', '/v1/centres/{finess}', '/v1/centres/{finess}/closure']));
    expect(res.body.components.schemas.RegisterCentre.required).toEqual(expect.arrayContaining(['finess', 'name', 'manager', 'communeInsee']));
  });
});
