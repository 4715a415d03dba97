import request from 'supertest';
import { attributionEventsV1 as ev, registryEventsV1 as rev, registryV1 as rpb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { ATTRIBUTION_TOPIC, InMemoryBus, PLANNING_TOPIC, planningReader, REGISTRY_TOPIC, type IntegrationMessage, type ReceivedMessage } from '@pcn/messaging';
import { startPlanning, type PlanningFixture } from './testing';

let sql: PgliteSqlClient;
let bus: InMemoryBus;
let fx: PlanningFixture;

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  bus = new InMemoryBus();
  fx = await startPlanning(sql, 'planning_module', bus);
}, 120_000);
afterAll(async () => {
  await fx.stop();
  await bus.close();
  await sql.close();
});

let n = 0;
const occurredAt = new Date('2026-11-02T09:00:00Z');
function attributionMessage(type: string, patientId: string, data: Uint8Array): IntegrationMessage {
  return {
    id: `attribution-${++n}`,
    type: `pcn.events.v1.${type}`,
    source: '/pcn/attribution',
    time: occurredAt.toISOString(),
    subject: patientId,
    key: patientId,
    contentType: 'application/protobuf',
    data,
    headers: {},
  };
}
const patient = (patientId: string, communeInsee: string, ald: { start: string; end: string }[] = []) =>
  ev.PatientSnapshot.fromPartial({ patientId, birthYearMonth: '1955-03', communeInsee, ald, c2s: [] });
const registered = (p: ev.PatientSnapshot) =>
  attributionMessage('PatientRegistered', p.patientId, ev.PatientRegistered.encode({ patient: p, occurredAt }).finish());
const declared = (p: ev.PatientSnapshot, attributionId: string) =>
  attributionMessage(
    'MedecinTraitantDeclared',
    p.patientId,
    ev.MedecinTraitantDeclared.encode(
      ev.MedecinTraitantDeclared.fromPartial({
        attributionId,
        rpps: '10003456786',
        centreFiness: '010000016',
        effectiveDate: '2026-11-02',
        patient: p,
        occurredAt,
      }),
    ).finish(),
  );
const erased = (patientId: string) =>
  attributionMessage('PatientErased', patientId, ev.PatientErased.encode({ patientId, erasedOn: '2026-11-03', occurredAt }).finish());

let offset = 0;
/** Publishes on the attribution topic; answers the offset of the last message, which planning's positions reach once it has read them. */
async function publish(messages: IntegrationMessage[]): Promise<number> {
  await bus.publish(ATTRIBUTION_TOPIC, messages);
  offset += messages.length;
  return offset;
}

const ALD = [{ start: '2019-06-01', end: '' }];
const needsOf = async (path: string) => (await request(fx.app).get(`/v1/planning/territories/${path}/needs`).expect(200)).body;

describe('planning learns the patients of each territory from pcn.attribution.v1', () => {
  it('counts them per commune and up the hierarchy, counts a redelivery once, and drops an erased patient', async () => {
    // Bourg-en-Bresse (01053) and Ambérieu-en-Bugey (01004) in the Ain; Saint-Denis (93066) elsewhere.
    const declaration = declared(patient('p1', '01053', ALD), 'att-1');
    const published = await publish([
      registered(patient('p1', '01053', ALD)),
      registered(patient('p2', '01053', ALD)),
      registered(patient('p3', '01004')),
      registered(patient('p4', '93066', ALD)),
      declaration,
      declaration, // delivered twice
    ]);
    const ain = await eventually(async () => {
      const needs = await needsOf('departement/01');
      expect(needs.positions[ATTRIBUTION_TOPIC]).toBe(published);
      return needs;
    });
    expect(ain.patients).toEqual({ asOf: '2026-12-06', patients: 3, withMedecinTraitant: 1, withoutMedecinTraitant: 2, chronicWithoutMedecinTraitant: 1 });
    expect((await needsOf('commune/01053')).patients).toMatchObject({ patients: 2, withMedecinTraitant: 1, chronicWithoutMedecinTraitant: 1 });
    expect((await needsOf('commune/01004')).patients).toMatchObject({ patients: 1, withMedecinTraitant: 0, chronicWithoutMedecinTraitant: 0 });
    expect((await needsOf('region/84')).patients).toMatchObject({ patients: 3 });
    expect((await needsOf('nation/FR')).patients).toMatchObject({ patients: 4, withoutMedecinTraitant: 3, chronicWithoutMedecinTraitant: 2 });

    const after = await publish([erased('p2'), registered(patient('p2', '01053', ALD))]);
    const commune = await eventually(async () => {
      const needs = await needsOf('commune/01053');
      expect(needs.positions[ATTRIBUTION_TOPIC]).toBe(after);
      return needs;
    });
    expect(commune.patients).toMatchObject({ patients: 1, withMedecinTraitant: 1, chronicWithoutMedecinTraitant: 0 });
  });
});

describe('planning publishes its schemes on pcn.planning.v1', () => {
  it('relays each step of a scheme in order, keyed by the scheme', async () => {
    const seen: ReceivedMessage[] = [];
    const subscription = await bus.subscribe({ topic: PLANNING_TOPIC, groupId: 'planning-module-test', handler: async (m) => void seen.push(m) });
    try {
      await request(fx.app)
        .post('/v1/planning/schemes')
        .send({ schemeId: 'ain-2027', territory: { level: 'departement', code: '01' }, title: 'Ain' })
        .expect(201);
      await request(fx.app)
        .post('/v1/planning/schemes/ain-2027/proposals')
        .send({ proposalId: 'p1', kind: 'open-centre', communeCode: '01004', staffing: [{ profession: 'general-practitioner', fte: 2 }] })
        .expect(200);
      await request(fx.app).post('/v1/planning/schemes/ain-2027/stages').send({ stage: 'local' }).expect(200);
      const read = await eventually(() => {
        expect(seen).toHaveLength(3);
        return seen.map((m) => ({ key: m.key, read: planningReader.read(m) }));
      });
      expect(read.map((r) => [r.key, r.read?.type])).toEqual([
        ['ain-2027', 'SchemeDrafted'],
        ['ain-2027', 'ProposalAdded'],
        ['ain-2027', 'ConsultationStageOpened'],
      ]);
      expect(read[2]!.read!.event).toMatchObject({ schemeId: 'ain-2027', stage: 'local', round: 1 });
    } finally {
      await subscription.stop();
    }
  });
});

/** A centre of Ambérieu-en-Bugey (01004) accredited by the registry on `accreditedOn`. */
function accreditation(finess: string, accreditedOn: string): IntegrationMessage {
  const centre = rev.CentreSnapshot.fromPartial({
    finess,
    name: 'Centre de santé',
    communeInsee: '01004',
    departement: '01',
    region: '84',
    coordinates: { latitude: 45.9581, longitude: 5.3587 },
    status: rpb.CentreStatus.CENTRE_STATUS_MEMBER,
    memberSince: accreditedOn,
    version: 2,
  });
  return {
    id: `registry-${finess}-accredited`,
    type: 'pcn.events.v1.CentreAccredited',
    source: '/pcn/registry',
    time: `${accreditedOn}T09:00:00Z`,
    subject: finess,
    key: finess,
    contentType: 'application/protobuf',
    data: rev.CentreAccredited.encode(rev.CentreAccredited.fromPartial({ centre, accreditedOn, occurredAt: new Date(`${accreditedOn}T09:00:00Z`) })).finish(),
    headers: {},
  };
}

let registryOffset = 0;
/** Publishes on the registry topic and waits until planning has read it (its position in the log). */
async function publishRegistry(messages: IntegrationMessage[]): Promise<void> {
  await bus.publish(REGISTRY_TOPIC, messages);
  registryOffset += messages.length;
  await eventually(async () => expect((await fx.module.network.snapshot()).positions[REGISTRY_TOPIC]).toBe(registryOffset));
}

async function adopt(schemeId: string): Promise<void> {
  for (const stage of ['local', 'departemental']) {
    await request(fx.app).post(`/v1/planning/schemes/${schemeId}/stages`).send({ stage }).expect(200);
    for (const college of ['users', 'elected-officials', 'professionals']) {
      await request(fx.app)
        .post(`/v1/planning/schemes/${schemeId}/stages/${stage}/opinions`)
        .send({ college, participant: `${college}-1`, vote: 'favourable' })
        .expect(200);
    }
    await request(fx.app).post(`/v1/planning/schemes/${schemeId}/stages/${stage}/closure`).send({}).expect(200);
  }
}

const fulfilments = async (schemeId: string) => (await fx.module.store.readStream(`scheme-${schemeId}`)).filter((e) => e.type === 'ProposalFulfilled');

describe('an adopted scheme is reconciled with the centres the registry already accredited', () => {
  it('fulfils a proposal with a centre accredited since it was made, once, and never with one that was there before', async () => {
    const OLD = '010000032';
    const NEW = '010000040';
    // Already a member when the proposal is made (the test clock is on 2026-12-06).
    await publishRegistry([accreditation(OLD, '2025-06-01')]);
    await request(fx.app)
      .post('/v1/planning/schemes')
      .send({ schemeId: 'ain-2028', territory: { level: 'departement', code: '01' }, title: 'Ain 2028' })
      .expect(201);
    await request(fx.app)
      .post('/v1/planning/schemes/ain-2028/proposals')
      .send({ proposalId: 'p1', kind: 'open-centre', communeCode: '01004', staffing: [{ profession: 'general-practitioner', fte: 2 }] })
      .expect(200);
    // Accredited before the adoption: the registry consumer finds no adopted scheme to fulfil.
    const late = accreditation(NEW, '2026-12-20');
    await publishRegistry([late]);
    expect(await fulfilments('ain-2028')).toEqual([]);
    await adopt('ain-2028');

    const scheme = await eventually(async () => {
      const body = (await request(fx.app).get('/v1/planning/schemes/ain-2028').expect(200)).body;
      expect(body.scheme.fulfilled).toEqual({ p1: { centreFiness: NEW, accreditedOn: '2026-12-20' } });
      return body.scheme;
    });
    expect(scheme.status).toBe('adopted');

    // The accreditation delivered again, and the reconciliation run again: still one fulfilment.
    await publishRegistry([late]);
    expect(await fx.module.schemes.reconcileAdoption('ain-2028', fx.module.network)).toEqual([]);
    const events = await fulfilments('ain-2028');
    expect(events.map((e) => e.data)).toEqual([{ proposalId: 'p1', centreFiness: NEW, communeCode: '01004', accreditedOn: '2026-12-20' }]);
    expect(events[0]!.metadata).toMatchObject({ actor: 'planning' });
  });
});
