import request from 'supertest';
import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { eventually } from '@pcn/eventsourcing/testing';
import { InMemoryBus, REGISTRY_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import { startRegistry, registration, finess, type RegistryFixture } from '../../testing';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 30_000);
afterAll(() => sql.close());

describe('the registry publishes its lifecycle on pcn.registry.v1 through the relay', () => {
  let fx: RegistryFixture;
  let bus: InMemoryBus;
  const received: ReceivedMessage[] = [];

  beforeEach(async () => {
    received.length = 0;
    bus = new InMemoryBus();
    fx = await startRegistry(sql, `registry_relay_${++n}`, bus);
    await bus.subscribe({ topic: REGISTRY_TOPIC, groupId: 'test-consumer', handler: async (m) => void received.push(m) });
  });
  afterEach(async () => {
    await fx.stop();
    await bus.close();
  });

  it('delivers each centre event once, in order, as self-contained CloudEvents with protobuf payloads', async () => {
    const id = finess('93000001');
    await request(fx.app).post('/v1/centres').send(registration('93000001'));
    await request(fx.app).post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2026-03-01' });
    await request(fx.app)
      .patch(`/v1/centres/${id}`)
      .set('If-Match', '"1"')
      .send({ name: 'Centre Louise-Michel', communeInsee: '93070', secpaParticipation: true });
    await request(fx.app).post(`/v1/centres/${id}/closure`).set('If-Match', '"2"').send({ effectiveDate: '2026-06-30', reason: 'merged' });

    await eventually(() => expect(received).toHaveLength(4));
    expect(received.map((m) => m.type)).toEqual([
      'pcn.events.v1.CentreRegistered',
      'pcn.events.v1.CentreAccredited',
      'pcn.events.v1.CentreAmended',
      'pcn.events.v1.CentreClosed',
    ]);
    expect(received.every((m) => m.key === id && m.subject === id && m.source === '/pcn/registry' && m.contentType === 'application/protobuf')).toBe(true);

    const history = (await request(fx.app).get(`/v1/centres/${id}/history`)).body.entries as { version: number }[];
    expect(history).toHaveLength(4);

    const registered = ev.CentreRegistered.decode(received[0]!.data);
    expect(registered).toMatchObject({
      managerKind: pb.ManagerKind.MANAGER_KIND_COMMUNE,
      centre: {
        finess: id,
        name: 'Centre de santé Louise-Michel',
        communeInsee: '93066',
        departement: '93',
        region: '11',
        status: pb.CentreStatus.CENTRE_STATUS_CANDIDATE,
        version: 0,
      },
    });
    const amended = ev.CentreAmended.decode(received[2]!.data);
    expect(amended.amendedFields.sort()).toEqual(['commune_insee', 'coordinates', 'name', 'secpa_participation']);
    expect(amended.centre?.communeInsee).toBe('93070');
    expect(amended.centre).toMatchObject({ name: 'Centre Louise-Michel', status: pb.CentreStatus.CENTRE_STATUS_MEMBER, version: 2, memberSince: '2026-03-01' });
    expect(registered.centre?.memberSince).toBe('');
    const closed = ev.CentreClosed.decode(received[3]!.data);
    expect(closed).toMatchObject({ effectiveDate: '2026-06-30', reason: 'merged', centre: { version: 3 } });
  });

  it('tells consumers of an accreditation recorded in advance when membership starts: candidate today, member_since its date', async () => {
    const id = finess('93000001');
    fx.clock.set('2026-12-06T09:00:00Z');
    await request(fx.app).post('/v1/centres').send(registration('93000001'));
    await request(fx.app).post(`/v1/centres/${id}/accreditation`).set('If-Match', '"0"').send({ accreditedOn: '2027-01-05' });
    await eventually(() => expect(received).toHaveLength(2));
    const accredited = ev.CentreAccredited.decode(received[1]!.data);
    expect(accredited).toMatchObject({
      accreditedOn: '2027-01-05',
      centre: { status: pb.CentreStatus.CENTRE_STATUS_CANDIDATE, memberSince: '2027-01-05', version: 1 },
    });
  });

  it('resumes from its checkpoint after a restart, without publishing again what was published', async () => {
    await request(fx.app).post('/v1/centres').send(registration('93000001'));
    await eventually(() => expect(received).toHaveLength(1));
    await fx.module.relay!.stop();
    await request(fx.app).post('/v1/centres').send(registration('93000002'));
    await fx.module.relay!.start();
    await eventually(() => expect(received).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((m) => m.key)).toEqual([finess('93000001'), finess('93000002')]);
  });
});
