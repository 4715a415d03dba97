import request from 'supertest';
import { attributionEventsV1 as ev } from '@pcn/contracts';
import { eventually } from '@pcn/eventsourcing/testing';
import { InMemoryBus, type ReceivedMessage } from '@pcn/messaging';
import { startAttribution, patientInput, type AttributionFixture } from '../testing/attribution-fixture';
import { ATTRIBUTION_TOPIC } from '@pcn/messaging';
import { patientStream } from './stream-ids';

/**
 * The right to erasure by crypto-shredding, end to end on the embedded database: the patient's
 * events stay in the store, their personal data unreadable; the read models drop them; other
 * services are told on pcn.attribution.v1.
 */
describe('erasing a patient', () => {
  let fx: AttributionFixture;
  let bus: InMemoryBus;
  const published: ReceivedMessage[] = [];

  beforeAll(async () => {
    bus = new InMemoryBus();
    fx = await startAttribution({ bus, schema: 'attribution_erasure' });
    await bus.subscribe({ topic: ATTRIBUTION_TOPIC, groupId: 'erasure-test', handler: async (m) => void published.push(m) });
  }, 60_000);
  afterAll(async () => {
    await fx.teardown();
    await bus.close();
  });

  const api = () => request.agent(fx.app).set('Authorization', fx.coordinator);
  const s = 'attribution_erasure';

  it('keeps the events, makes their personal data unreadable, cleans the read models and tells other services', async () => {
    // A patient with ALD and C2S, attributed to gp1; another who stays.
    const erased = await api()
      .post('/v1/attribution/patients')
      .send(patientInput(401, { birthDate: '1958-11-03', sex: 'male', communeInsee: '75056', ald: [{ start: '2019-04-01' }], c2s: [{ start: '2024-01-01' }] }))
      .expect(201);
    const kept = await api().post('/v1/attribution/patients').send(patientInput(402)).expect(201);
    const id: string = erased.body.patientId;
    await api()
      .post(`/v1/attribution/patients/${id}/declarations`)
      .send({ rpps: fx.gp1.rpps, centreFiness: fx.centre, effectiveDate: '2026-02-01', channel: 'paper_form' })
      .expect(201);
    await api().patch(`/v1/attribution/patients/${id}`).send({ communeInsee: '75111' }).expect(200);
    expect((await api().get(`/v1/attribution/practitioners/${fx.gp1.rpps}/panel`).expect(200)).body.count).toBe(1);

    // In the store, the personal data are ciphertext: no birth date, commune or period in clear.
    const stored = await fx.sql.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM ${s}.events WHERE stream_id = $1 ORDER BY revision`,
      [patientStream(id)],
    );
    const sealed = stored.rows.filter((r) => r.type === 'PatientRegistered' || r.type === 'PatientUpdated');
    expect(sealed).toHaveLength(2);
    for (const row of sealed) {
      expect(row.data).toEqual({ patientId: id, $sealed: expect.objectContaining({ v: 1, subject: id }) });
      expect(JSON.stringify(row.data)).not.toMatch(/1958|75056|75111|2019-04-01|ald|c2s|birthDate/);
    }

    const answer = await api().post(`/v1/attribution/patients/${id}/erasure`).expect(200);
    expect(answer.body).toEqual({ patientId: id, erasedOn: '2026-03-02', endedAttributionId: expect.any(String) });
    // A retried request is safe and answers the same.
    expect((await api().post(`/v1/attribution/patients/${id}/erasure`).expect(200)).body).toEqual(answer.body);

    // The events are all there; the store can no longer decrypt them.
    const after = await fx.sql.query<{ type: string }>(`SELECT type FROM ${s}.events WHERE stream_id = $1 ORDER BY revision`, [patientStream(id)]);
    expect(after.rows.map((r) => r.type)).toEqual(['PatientRegistered', 'MedecinTraitantDeclared', 'PatientUpdated', 'AttributionEnded', 'PatientErased']);
    const key = await fx.sql.query<{ key: unknown }>(`SELECT key FROM ${s}.subject_keys WHERE subject_id = $1`, [id]);
    expect(key.rows).toEqual([{ key: null }]);
    const read = await fx.module.store.readStream(patientStream(id));
    expect(read[0]!.data).toEqual({ patientId: id, $redacted: ['profile'] });
    expect(read[2]!.data).toEqual({ patientId: id, $redacted: ['profile', 'changed'] });
    expect(JSON.stringify(read)).not.toMatch(/1958|75056|75111|2019-04-01/);

    // Read models: the patient is gone from every table; the panel's place is free again.
    for (const table of ['patients', 'attributions', 'proposals']) {
      await eventually(async () => expect((await fx.sql.query(`SELECT 1 FROM ${s}.${table} WHERE patient_id = $1`, [id])).rows).toHaveLength(0));
    }
    expect((await fx.sql.query(`SELECT 1 FROM ${s}.patients WHERE patient_id = $1`, [kept.body.patientId])).rows).toHaveLength(1);
    const panel = (await api().get(`/v1/attribution/practitioners/${fx.gp1.rpps}/panel`).expect(200)).body;
    expect(panel).toMatchObject({ count: 0, patients: [] });
    const roster = (await api().get(`/v1/attribution/centres/${fx.centre}/roster?asOf=2026-02-15`).expect(200)).body;
    expect(roster.items.map((i: { patientId: string }) => i.patientId)).not.toContain(id);
    await api().get(`/v1/attribution/patients/${id}`).expect(404);
    await api()
      .post(`/v1/attribution/patients/${id}/declarations`)
      .send({ rpps: fx.gp2.rpps, centreFiness: fx.centre, effectiveDate: '2026-03-02', channel: 'paper_form' })
      .expect(404);
    await api()
      .post('/v1/attribution/patients')
      .send(patientInput(401, { birthDate: '1958-11-03', sex: 'male' }))
      .expect(409);

    // A rebuild from position 0 makes nothing of the erased patient again.
    await fx.module.projection.rebuild();
    expect((await fx.sql.query(`SELECT 1 FROM ${s}.attributions WHERE patient_id = $1`, [id])).rows).toHaveLength(0);
    await eventually(async () => expect((await fx.sql.query(`SELECT 1 FROM ${s}.patients WHERE patient_id = $1`, [kept.body.patientId])).rows).toHaveLength(1));
    expect((await fx.sql.query(`SELECT 1 FROM ${s}.patients WHERE patient_id = $1`, [id])).rows).toHaveLength(0);

    // Published: the end of the attribution, then PatientErased, keyed by the patient.
    await eventually(() => expect(published.map((m) => m.type)).toContain('pcn.events.v1.PatientErased'));
    const mine = published.filter((m) => m.key === id);
    expect(mine.slice(-2).map((m) => m.type)).toEqual(['pcn.events.v1.AttributionEnded', 'pcn.events.v1.PatientErased']);
    expect(ev.PatientErased.decode(mine.at(-1)!.data)).toMatchObject({ patientId: id, erasedOn: '2026-03-02' });
  }, 60_000);

  it('answers 404 for a patient never registered, and erases a patient named by NIR only if registered', async () => {
    await api()
      .post(`/v1/attribution/patients/${'0'.repeat(32)}/erasure`)
      .expect(404);
    await expect(fx.module.erasure.erase({ nir: patientInput(499).nir })).rejects.toMatchObject({ resource: 'patient', id: 'named by this NIR' });
  }, 30_000);
});
