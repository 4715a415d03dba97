import request from 'supertest';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { completeFiness } from '@pcn/referential';
import { freshRpps, nir, patientInput, startAttribution, type AttributionFixture, type TestGp } from '../../testing';

const finessOf = completeFiness;

let sql: PgliteSqlClient;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

/** A fixture of its own per block (own schema): panels, rosters, waitlists and counts see only that block's writes. */
function withAttribution(): () => AttributionFixture {
  let fx: AttributionFixture;
  beforeAll(async () => {
    fx = await startAttribution({ sql });
  }, 60_000);
  afterAll(() => fx.teardown());
  return () => fx;
}

/** The fields a 400 names, once each, sorted. */
const fields = (res: request.Response): string[] => [...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort();

const declaration = (gp: TestGp, effectiveDate = '2026-03-02') => ({ rpps: gp.rpps, centreFiness: gp.centreFiness, effectiveDate, channel: 'paper_form' });

describe('REST /v1/attribution: patients', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);
  const as = (subject: string): Promise<string> => fx().issuer.bearer('national_coordinator', {}, subject);

  it('registers with Location and ETag, never answers the NIR, and reads the same patient there', async () => {
    const input = patientInput(1, { ald: [{ start: '2020-01-01' }] });
    const res = await api()
      .post('/v1/attribution/patients')
      .set('Authorization', await as('alice'))
      .send(input);
    expect(res.status).toBe(201);
    const patientId = res.body.patientId as string;
    expect(patientId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.location).toBe(`/v1/attribution/patients/${patientId}`);
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      patientId,
      birthDate: '1980-05-12',
      sex: 'female',
      communeInsee: '75056',
      ald: [{ start: '2020-01-01' }],
      c2s: [],
      deceased: false,
      version: 0,
    });
    expect(res.text).not.toContain(input.nir as string);

    const got = await api().get(res.headers.location!);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"0"');
    expect(got.body).toEqual(res.body);

    // The same registration again is a retry: it answers the patient; another one is refused.
    const retried = await api().post('/v1/attribution/patients').send(input);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(res.body);
    const again = await api()
      .post('/v1/attribution/patients')
      .send({ ...input, communeInsee: '75112' });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a bad NIR and an unknown commune with one problem naming both fields, and writes nothing', async () => {
    const good = nir({ order: '002' });
    const badKey = `${good.slice(0, 13)}${good.slice(13) === '01' ? '02' : '01'}`;
    const res = await api()
      .post('/v1/attribution/patients')
      .send(patientInput(2, { nir: badKey, communeInsee: '75000' }));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:pcn:problem:invalid-argument', status: 400, instance: '/v1/attribution/patients' });
    expect(fields(res)).toEqual(['communeInsee', 'nir']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'communeInsee').description).toMatch(/reference list/);

    const contradicting = await api()
      .post('/v1/attribution/patients')
      .send(patientInput(2, { nir: nir({ sex: 'male', order: '002' }) }));
    expect(contradicting.status).toBe(400);
    expect(fields(contradicting)).toEqual(['sex']);
    expect((await api().post('/v1/attribution/patients/lookup').send({ nir: good })).status).toBe(404);
  });

  it('finds a patient by the NIR in the body, refusing a bad one and an extra field', async () => {
    const input = patientInput(3);
    const registered = await api().post('/v1/attribution/patients').send(input);
    // Spaces are ignored, as on a carte Vitale.
    const spaced = (input.nir as string).replace(/^(.)(..)(..)(..)(...)(...)(..)$/, '$1 $2 $3 $4 $5 $6 $7');
    const found = await api().post('/v1/attribution/patients/lookup').send({ nir: spaced });
    expect(found.status).toBe(200);
    expect(found.body).toEqual(registered.body);
    expect(found.headers.etag).toBe('"0"');
    expect(found.headers['content-location']).toBe(`/v1/attribution/patients/${registered.body.patientId}`);

    const bad = await api().post('/v1/attribution/patients/lookup').send({ nir: '123' });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['nir']);
    const missing = await api().post('/v1/attribution/patients/lookup');
    expect(fields(missing)).toEqual(['nir']);
    const extra = await api().post('/v1/attribution/patients/lookup').send({ nir: input.nir, patientId: registered.body.patientId });
    expect(fields(extra)).toEqual(['patientId']);
  });

  it('updates with an optional If-Match: a stale version is refused, a current one or none applies', async () => {
    const registered = await api().post('/v1/attribution/patients').send(patientInput(4));
    const url = registered.headers.location!;
    const moved = await api().patch(url).set('If-Match', '"0"').send({ communeInsee: '93066' });
    expect(moved.status).toBe(200);
    expect(moved.headers.etag).toBe('"1"');
    expect(moved.body).toMatchObject({ communeInsee: '93066', birthDate: '1980-05-12', version: 1 });

    const stale = await api()
      .patch(url)
      .set('If-Match', '"0"')
      .send({ c2s: [{ start: '2026-01-01', end: '2027-01-01' }] });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('urn:pcn:problem:concurrency-conflict');
    expect((await api().get(url)).headers.etag).toBe('"1"');

    const blind = await api()
      .patch(url)
      .send({ c2s: [{ start: '2026-01-01', end: '2027-01-01' }] });
    expect(blind.status).toBe(200);
    expect(blind.headers.etag).toBe('"2"');

    const malformed = await api().patch(url).set('If-Match', '2').send({ sex: 'female' });
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['If-Match']);
    const invalid = await api().patch(url).send({ communeInsee: '99999', nir: 'x' });
    expect(fields(invalid)).toEqual(['communeInsee', 'nir']);
  });

  it('names the path parameter of a malformed patient id, and answers 404 for an unknown one', async () => {
    const malformed = await api().get('/v1/attribution/patients/not-an-id');
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['patientId']);
    expect((await api().get(`/v1/attribution/patients/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api().get(`/v1/attribution/patients/${'0'.repeat(32)}/attribution`)).status).toBe(404);
    const unknownParam = await api()
      .get(`/v1/attribution/patients/${'0'.repeat(32)}`)
      .query({ nir: '1' });
    expect(fields(unknownParam)).toEqual(['nir']);
  });
});

describe('REST /v1/attribution: declarations and panels', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);
  const as = (subject: string): Promise<string> => fx().issuer.bearer('national_coordinator', {}, subject);
  const register = async (order: number): Promise<string> => (await api().post('/v1/attribution/patients').send(patientInput(order))).body.patientId as string;

  it('declares a médecin traitant, replaces them, ends the attribution, and reads the history', async () => {
    const patientId = await register(10);
    const declared = await api()
      .post(`/v1/attribution/patients/${patientId}/declarations`)
      .set('Authorization', await as('accueil'))
      .send(declaration(fx().gp1, '2026-01-15'));
    expect(declared.status).toBe(201);
    expect(declared.headers.location).toBe(`/v1/attribution/patients/${patientId}/attribution`);
    expect(declared.headers.etag).toBe('"1"');
    expect(declared.body.current).toMatchObject({
      rpps: fx().gp1.rpps,
      professionalId: fx().gp1.professionalId,
      centreFiness: fx().centre,
      start: '2026-01-15',
      channel: 'paper_form',
    });

    const replaced = await api()
      .post(`/v1/attribution/patients/${patientId}/declarations`)
      .send({ ...declaration(fx().gp2, '2026-02-01'), channel: 'teleservice' });
    expect(replaced.status).toBe(201);
    const history = await api().get(declared.headers.location!);
    expect(history.status).toBe(200);
    expect(history.body.current).toMatchObject({ rpps: fx().gp2.rpps, start: '2026-02-01', channel: 'teleservice' });
    expect(history.body.history).toEqual([
      expect.objectContaining({ rpps: fx().gp1.rpps, start: '2026-01-15', end: '2026-02-01', endReason: 'replaced' }),
      expect.objectContaining({ rpps: fx().gp2.rpps, start: '2026-02-01' }),
    ]);

    const conditional = await api()
      .post(`/v1/attribution/patients/${patientId}/attribution/end`)
      .set('If-Match', '"2"')
      .send({ endDate: '2026-03-01', reason: 'moved_away' });
    expect(conditional.status).toBe(400);
    expect(fields(conditional)).toEqual(['If-Match']);
    const ended = await api().post(`/v1/attribution/patients/${patientId}/attribution/end`).send({ endDate: '2026-03-01', reason: 'moved_away' });
    expect(ended.status).toBe(200);
    expect(ended.headers.etag).toBe('"3"');
    expect(ended.body.current).toBeUndefined();
    const after = await api().get(`/v1/attribution/patients/${patientId}/attribution`);
    expect(after.body.current).toBeUndefined();
    expect(after.body.history[1]).toMatchObject({ end: '2026-03-01', endReason: 'moved_away' });

    const nothingToEnd = await api().post(`/v1/attribution/patients/${patientId}/attribution/end`).send({ endDate: '2026-03-02', reason: 'moved_away' });
    expect(nothingToEnd.status).toBe(409);
    const invalid = await api()
      .post(`/v1/attribution/patients/${patientId}/declarations`)
      .send({ rpps: '12345', centreFiness: fx().centre, effectiveDate: '2026-02-30', channel: 'reattribution' });
    expect(invalid.status).toBe(400);
    expect(fields(invalid)).toEqual(['channel', 'effectiveDate', 'rpps']);
    const elsewhere = await api()
      .post(`/v1/attribution/patients/${patientId}/declarations`)
      .send(declaration({ ...fx().gp3, centreFiness: fx().centre }));
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.violations[0]).toMatchObject({ type: 'PRACTITIONER', subject: 'rpps' });
  });

  it('refuses a declaration dated before the centre became a member, even when the accreditation was recorded in advance', async () => {
    // Accredited today (2026-03-02): a declaration dated ten days ago is before membership.
    const today = finessOf('75000029');
    await fx().knowCentre({ finess: today, status: 'member', memberSince: '2026-03-02' });
    const atToday = await fx().assign({ rpps: freshRpps(), centreFiness: today, startOn: '2026-01-05' });
    const backdated = await api()
      .post(`/v1/attribution/patients/${await register(21)}/declarations`)
      .send(declaration(atToday, '2026-02-20'));
    expect(backdated.status).toBe(409);
    expect(backdated.body.detail).toBe(`centre ${today} is a member of the network only from 2026-03-02, after the declaration's date 2026-02-20`);
    expect(backdated.body.violations).toEqual([expect.objectContaining({ type: 'CENTRE', subject: 'effectiveDate' })]);
    expect(
      (
        await api()
          .post(`/v1/attribution/patients/${await register(22)}/declarations`)
          .send(declaration(atToday, '2026-03-02'))
      ).status,
    ).toBe(201);

    // Accredited in advance from 2027-01-05: a candidate today, whatever the registry recorded.
    const later = finessOf('75000037');
    await fx().knowCentre({ finess: later, status: 'candidate', memberSince: '2027-01-05' });
    const atLater = await fx().assign({ rpps: freshRpps(), centreFiness: later, startOn: '2026-01-05' });
    const early = await api()
      .post(`/v1/attribution/patients/${await register(23)}/declarations`)
      .send(declaration(atLater, '2026-03-02'));
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('only from 2027-01-05');
  });

  it('refuses a declaration beyond the capacity a coordinator set, with the count and the capacity', async () => {
    const gp = fx().gp1;
    const set = await api()
      .put(`/v1/attribution/practitioners/${gp.rpps}/panel/capacity`)
      .set('Authorization', await as('zoe'))
      .send({ capacity: 1, reason: 'part-time this year' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ rpps: gp.rpps, count: 0, capacity: 1, capacityOverride: 1 });

    const first = await register(11);
    expect((await api().post(`/v1/attribution/patients/${first}/declarations`).send(declaration(gp))).status).toBe(201);
    const second = await register(12);
    const full = await api().post(`/v1/attribution/patients/${second}/declarations`).send(declaration(gp));
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({
      type: 'urn:pcn:problem:failed-precondition',
      detail: `the panel of GP ${gp.rpps} is full: 1 patients for a capacity of 1`,
      rpps: gp.rpps,
      count: 1,
      capacity: 1,
    });
    expect(full.body.violations).toEqual([{ type: 'PANEL_CAPACITY', subject: 'rpps', description: expect.stringMatching(/^count 1, capacity 1:/) }]);
    expect((await api().get(`/v1/attribution/patients/${second}/attribution`)).body).toEqual({ patientId: second, history: [] });

    const panel = await api().get(`/v1/attribution/practitioners/${gp.rpps}/panel`).query({ pageSize: '10' });
    expect(panel.status).toBe(200);
    expect(panel.body).toMatchObject({ rpps: gp.rpps, count: 1, capacity: 1, capacityOverride: 1, asOf: '2026-03-02' });
    expect(panel.body.patients).toEqual([expect.objectContaining({ patientId: first, centreFiness: fx().centre, since: '2026-03-02' })]);

    // Back to FTE × norm (1 FTE at a polyvalent centre: the national norm, 1000).
    const reset = await api().put(`/v1/attribution/practitioners/${gp.rpps}/panel/capacity`).send({ capacity: null, reason: 'back to the norm' });
    expect(reset.body).toMatchObject({ count: 1, capacity: 1000 });
    expect(reset.body.capacityOverride).toBeUndefined();
    expect((await api().post(`/v1/attribution/patients/${second}/declarations`).send(declaration(gp))).status).toBe(201);

    expect(fields(await api().get(`/v1/attribution/practitioners/${gp.rpps}/panel`).query({ pageSize: '0' }))).toEqual(['pageSize']);
    expect(fields(await api().get('/v1/attribution/practitioners/123/panel'))).toEqual(['rpps']);
    const contradicting = await api().put(`/v1/attribution/practitioners/${gp.rpps}/panel/capacity`).send({ rpps: fx().gp2.rpps, capacity: 5, reason: 'x' });
    expect(fields(contradicting)).toEqual(['rpps']);
    expect(fields(await api().put(`/v1/attribution/practitioners/${gp.rpps}/panel/capacity`).send({ capacity: 1.5 }))).toEqual(['capacity', 'reason']);
  });
});

describe('REST /v1/attribution: a centre roster as of a day', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);

  it('lists the patients attributed at the centre on the day asked, and today by default', async () => {
    const ids: string[] = [];
    for (const [order, gp, start] of [
      [20, fx().gp1, '2026-01-10'],
      [21, fx().gp2, '2026-02-20'],
      [22, fx().gp3, '2026-01-10'],
    ] as const) {
      const id = (await api().post('/v1/attribution/patients').send(patientInput(order))).body.patientId as string;
      expect((await api().post(`/v1/attribution/patients/${id}/declarations`).send(declaration(gp, start))).status).toBe(201);
      ids.push(id);
    }
    const roster = (asOf?: string, extra: Record<string, string> = {}) =>
      api()
        .get(`/v1/attribution/centres/${fx().centre}/roster`)
        .query({ ...(asOf && { asOf }), ...extra });

    const january = await roster('2026-01-31');
    expect(january.status).toBe(200);
    expect(january.body).toMatchObject({ centreFiness: fx().centre, asOf: '2026-01-31' });
    expect(january.body.items).toEqual([
      {
        patientId: ids[0],
        attributionId: expect.any(String),
        rpps: fx().gp1.rpps,
        since: '2026-01-10',
        birthYearMonth: '1980-05',
        sex: 'female',
        communeInsee: '75056',
        ald: [],
        c2s: [],
      },
    ]);
    const today = await roster();
    expect(today.body.asOf).toBe('2026-03-02');
    expect(today.body.items.map((e: { patientId: string }) => e.patientId).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await roster('2026-01-09')).body.items).toEqual([]);

    const firstPage = await roster(undefined, { pageSize: '1' });
    expect(firstPage.body.items).toHaveLength(1);
    expect(firstPage.body.nextPageToken).toEqual(expect.any(String));
    const secondPage = await roster(undefined, { pageSize: '1', pageToken: firstPage.body.nextPageToken });
    expect(secondPage.body.items).toHaveLength(1);
    expect(secondPage.body.items[0].patientId).not.toBe(firstPage.body.items[0].patientId);

    expect(fields(await roster('2026-02-30'))).toEqual(['asOf']);
    expect(fields(await api().get('/v1/attribution/centres/750000110/roster'))).toEqual(['finess']);
    expect(fields(await roster(undefined, { on: '2026-01-01' }))).toEqual(['on']);
  });
});

describe('REST /v1/attribution: the waitlist', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);
  const as = (subject: string): Promise<string> => fx().issuer.bearer('national_coordinator', {}, subject);
  const enrolled = async (order: number, by: object | undefined): Promise<string> => {
    const id = (await api().post('/v1/attribution/patients').send(patientInput(order))).body.patientId as string;
    const req = api().post(`/v1/attribution/patients/${id}/waitlist`);
    const res = by ? await req.send(by) : await req;
    expect(res.status).toBe(200);
    return id;
  };
  const match = () =>
    api()
      .post('/v1/attribution/waitlist/matches')
      .send({ territory: { kind: 'departement', code: '75' } });

  it('enrols, matches a GP within reach, and the confirmation becomes a declaration', async () => {
    const patientId = await enrolled(30, { centreFiness: fx().centre });
    const waiting = await api().get(`/v1/attribution/patients/${patientId}`);
    expect(waiting.body.waitlist).toEqual({ waitingSince: '2026-03-02', enrolledBy: { kind: 'centre', centreFiness: fx().centre }, topPriority: false });

    const matched = await match();
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({ considered: 1, unmatched: [] });
    expect(matched.body.proposals).toHaveLength(1);
    const proposal = matched.body.proposals[0];
    expect(proposal).toMatchObject({ patientId, proposedOn: '2026-03-02', centreFiness: fx().centre });
    expect([fx().gp1.rpps, fx().gp2.rpps]).toContain(proposal.rpps);
    expect((await api().get(`/v1/attribution/patients/${patientId}`)).body.pendingProposal).toMatchObject({ proposalId: proposal.proposalId });

    const confirmed = await api()
      .post(`/v1/attribution/proposals/${proposal.proposalId}/confirm`)
      .set('Authorization', await as('accueil'));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.current).toMatchObject({ rpps: proposal.rpps, centreFiness: fx().centre, start: '2026-03-02', channel: 'waitlist_match' });
    expect(confirmed.body.waitlist).toBeUndefined();
    expect(confirmed.body.pendingProposal).toBeUndefined();
    expect(confirmed.headers.etag).toBe(`"${confirmed.body.version}"`);
    // A repeated confirmation changes nothing and answers the patient as they are; a decline comes too late.
    const repeated = await api().post(`/v1/attribution/proposals/${proposal.proposalId}/confirm`);
    expect(repeated.status).toBe(200);
    expect(repeated.headers.etag).toBe(confirmed.headers.etag);
    const late = await api().post(`/v1/attribution/proposals/${proposal.proposalId}/decline`).send({ reason: 'changed our mind' });
    expect(late.status).toBe(409);
    expect(late.body.violations[0]).toMatchObject({ type: 'PROPOSAL_ANSWERED', subject: 'proposalId' });
    expect((await match()).body).toEqual({ proposals: [], unmatched: [], considered: 0 });
  });

  it('declines a proposal: the patient keeps their place and waiting date', async () => {
    const patientId = await enrolled(31, undefined);
    const proposal = (await match()).body.proposals[0];
    expect(proposal.patientId).toBe(patientId);

    const noReason = await api().post(`/v1/attribution/proposals/${proposal.proposalId}/decline`).send({});
    expect(noReason.status).toBe(400);
    expect(fields(noReason)).toEqual(['reason']);
    const declined = await api().post(`/v1/attribution/proposals/${proposal.proposalId}/decline`).send({ reason: 'the GP does not see patients at home' });
    expect(declined.status).toBe(200);
    expect(declined.body.pendingProposal).toBeUndefined();
    expect(declined.body.waitlist).toEqual({ waitingSince: '2026-03-02', enrolledBy: { kind: 'coordinator' }, topPriority: false });
    expect(declined.body.current).toBeUndefined();
    const again = await match();
    expect(again.body.proposals.map((p: { patientId: string }) => p.patientId)).toEqual([patientId]);

    expect((await api().post('/v1/attribution/proposals/00000000-0000-4000-8000-000000000000/decline').send({ reason: 'x' })).status).toBe(404);
    expect(fields(await api().post('/v1/attribution/proposals/nope/confirm'))).toEqual(['proposalId']);
    expect(
      fields(
        await api()
          .post('/v1/attribution/waitlist/matches')
          .send({ territory: { kind: 'canton', code: '75' }, maxDistanceKm: 0 }),
      ),
    ).toEqual(['maxDistanceKm', 'territory.kind']);
    expect(
      (
        await api()
          .post('/v1/attribution/waitlist/matches')
          .send({ territory: { kind: 'departement', code: '00' } })
      ).status,
    ).toBe(404);
  });
});

describe('REST /v1/attribution: coverage', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);
  const coverage = (query: Record<string, string>) => api().get('/v1/attribution/coverage').query(query);

  beforeAll(async () => {
    // Paris 11e: one patient with a médecin traitant from today, one chronic patient without.
    const declared = (
      await api()
        .post('/v1/attribution/patients')
        .send(patientInput(40, { communeInsee: '75111' }))
    ).body.patientId as string;
    expect((await api().post(`/v1/attribution/patients/${declared}/declarations`).send(declaration(fx().gp1))).status).toBe(201);
    expect(
      (
        await api()
          .post('/v1/attribution/patients')
          .send(patientInput(41, { communeInsee: '75111', ald: [{ start: '2025-06-01' }] }))
      ).status,
    ).toBe(201);
  });

  it('counts the patients of a territory, with and without a médecin traitant, beside its inhabitants, and one level down', async () => {
    const paris = await coverage({ commune: '75056' });
    expect(paris.status).toBe(200);
    expect(paris.body).toEqual({
      territory: { kind: 'commune', code: '75056', name: 'Paris' },
      asOf: '2026-03-02',
      totals: { inhabitants: expect.any(Number), patients: 2, withMedecinTraitant: 1, withoutMedecinTraitant: 1, chronicWithout: 1 },
      parts: [],
    });
    expect(paris.body.totals.inhabitants).toBeGreaterThan(2_000_000);

    const departement = await coverage({ departement: '75' });
    expect(departement.body).toMatchObject({
      territory: { kind: 'departement', code: '75', name: 'Paris' },
      totals: { patients: 2, withMedecinTraitant: 1, chronicWithout: 1 },
    });
    expect(departement.body.parts.find((p: { code: string }) => p.code === '75111')).toMatchObject({
      code: '75111',
      figures: { patients: 2, withMedecinTraitant: 1, withoutMedecinTraitant: 1 },
    });
    const region = await coverage({ region: '11' });
    expect(region.body).toMatchObject({ territory: { kind: 'region', code: '11' }, totals: { patients: 2, withMedecinTraitant: 1 } });
    expect(region.body.parts.find((p: { code: string }) => p.code === '93')).toMatchObject({ figures: { patients: 0 } });
    // Before the ALD started, the chronic patient did not count as such.
    expect((await coverage({ commune: '75111', asOf: '2025-05-31' })).body).toMatchObject({ asOf: '2025-05-31', totals: { chronicWithout: 0 } });
  });

  it('counts the médecins traitants in force on asOf, not today', async () => {
    expect((await coverage({ commune: '75111', asOf: '2026-03-01' })).body.totals).toMatchObject({ withMedecinTraitant: 0, withoutMedecinTraitant: 2 });
  });

  it('needs exactly one of commune, departement and region', async () => {
    const none = await api().get('/v1/attribution/coverage');
    expect(none.status).toBe(400);
    expect(fields(none)).toEqual(['territory']);
    const onlyDate = await api().get('/v1/attribution/coverage').query({ asOf: '2026-01-01' });
    expect(fields(onlyDate)).toEqual(['territory']);
    const two = await api().get('/v1/attribution/coverage').query({ commune: '75056', departement: '75' });
    expect(two.status).toBe(400);
    expect(fields(two)).toEqual(['commune', 'departement']);
    expect(fields(await api().get('/v1/attribution/coverage').query({ region: '1111111' }))).toEqual(['region']);
    expect(fields(await api().get('/v1/attribution/coverage').query({ region: '11', asOf: 'soon' }))).toEqual(['asOf']);
    expect((await api().get('/v1/attribution/coverage').query({ commune: '75000' })).status).toBe(404);
  });

  it('counts a patient registered in Paris as a whole in the département and the région', async () => {
    expect(
      (
        await api()
          .post('/v1/attribution/patients')
          .send(patientInput(42, { communeInsee: '75056' }))
      ).status,
    ).toBe(201);
    expect((await coverage({ commune: '75056' })).body.totals.patients).toBe(3);
    expect((await coverage({ departement: '75' })).body.totals.patients).toBe(3);
  });
});

describe('REST /v1/attribution: the OpenAPI document', () => {
  const fx = withAttribution();
  const api = () => request.agent(fx().app).set('Authorization', fx().coordinator);

  it('documents request bodies from the input schemas, and every documented operation is routed', async () => {
    const res = await api().get('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const schemas = res.body.components.schemas;
    expect(schemas.RegisterPatient.required).toEqual(['nir', 'birthDate', 'sex', 'communeInsee']);
    expect(schemas.RegisterPatient.properties.nir).toMatchObject({ type: 'string', description: expect.stringMatching(/^NIR/) });
    expect(schemas.DeclareMedecinTraitant.properties.rpps.type).toBe('string');
    expect(schemas.SetPanelCapacity.required).toEqual(['capacity', 'reason']);

    const refs = JSON.stringify(res.body).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(refs)) expect(schemas).toHaveProperty(ref.split('/').pop()!);

    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    // No NIR in a URL: no path or query parameter is named after it.
    expect(
      JSON.stringify(
        Object.values(paths)
          .flatMap((item) => Object.values(item).flatMap((op) => (op as { parameters?: { name: string }[] }).parameters ?? []))
          .map((p) => p.name),
      ),
    ).not.toMatch(/nir/i);
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => [method, path.replace(/\{[^}]+\}/g, 'x')] as const));
    expect(operations).toHaveLength(16);
    for (const [method, path] of operations) {
      const call = api()[method as 'get' | 'post' | 'put' | 'patch'](path);
      const answer = await (method === 'get' ? call : call.send({}));
      expect([method, path, answer.body.detail]).not.toEqual([method, path, expect.stringMatching(/^no route/)]);
    }
  });
});
