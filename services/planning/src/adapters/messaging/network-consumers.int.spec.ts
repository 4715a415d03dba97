import { registryEventsV1 as rev, registryV1 as rpb, staffEventsV1 as sev, staffV1 as spb } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import type { ReceivedMessage } from '@pcn/messaging';
import { migrateNetworkTables, SqlNetworkDirectory } from '../persistence/sql-network-directory';
import { REGISTRY_TOPIC, registryNetworkConsumer, STAFF_TOPIC, staffNetworkConsumer } from './network-consumers';

const CENTRE_A = '930000013';
const CENTRE_B = '750000020';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

let offset = 0;
function received(topic: string, type: string, key: string, data: Uint8Array): ReceivedMessage {
  const at = ++offset;
  return {
    id: `msg-${at}`,
    type: `pcn.events.v1.${type}`,
    source: topic,
    time: '2026-01-01T00:00:00Z',
    key,
    contentType: 'application/protobuf',
    data,
    headers: {},
    topic,
    partition: 0,
    offset: String(at),
    attempt: 1,
  };
}

const snapshot = (over: Partial<rev.CentreSnapshot> = {}): rev.CentreSnapshot =>
  rev.CentreSnapshot.fromPartial({
    finess: CENTRE_A,
    name: 'Centre de santé',
    communeInsee: '93066',
    departement: '93',
    region: '11',
    coordinates: { latitude: 48.9362, longitude: 2.3574 },
    status: rpb.CentreStatus.CENTRE_STATUS_MEMBER,
    version: 1,
    ...over,
  });
const accredited = (centre: rev.CentreSnapshot) =>
  received(REGISTRY_TOPIC, 'CentreAccredited', centre.finess, rev.CentreAccredited.encode(rev.CentreAccredited.fromPartial({ centre })).finish());
const closed = (centre: rev.CentreSnapshot) =>
  received(
    REGISTRY_TOPIC,
    'CentreClosed',
    centre.finess,
    rev.CentreClosed.encode(rev.CentreClosed.fromPartial({ centre, effectiveDate: '2026-03-01', reason: 'merged' })).finish(),
  );

const GP = { professionalId: 'gp-1', rpps: '10000000015', profession: spb.Profession.PROFESSION_DOCTOR, specialty: spb.Specialty.SPECIALTY_GENERAL_PRACTICE };
const NURSE = { professionalId: 'nurse-1', rpps: '', profession: spb.Profession.PROFESSION_NURSE, specialty: spb.Specialty.SPECIALTY_UNSPECIFIED };
const started = (over: Partial<sev.AssignmentStarted>) => {
  const m = sev.AssignmentStarted.fromPartial({
    professional: GP,
    assignmentId: 'a1',
    centreFiness: CENTRE_A,
    fte: '0.8',
    startOn: '2026-01-05',
    endOn: '',
    ...over,
  });
  return received(STAFF_TOPIC, 'AssignmentStarted', m.professional!.professionalId, sev.AssignmentStarted.encode(m).finish());
};
const ended = (assignmentId: string, endOn: string) => {
  const m = sev.AssignmentEnded.fromPartial({ professional: GP, assignmentId, centreFiness: CENTRE_A, endOn, reason: 'transfer' });
  return received(STAFF_TOPIC, 'AssignmentEnded', GP.professionalId, sev.AssignmentEnded.encode(m).finish());
};

async function setUp(today: string) {
  const schema = `planning_network_${++n}`;
  await migrateNetworkTables(sql, schema);
  const directory = new SqlNetworkDirectory(sql, schema, { now: () => new Date(`${today}T12:00:00Z`) });
  return { directory, registry: registryNetworkConsumer({ sql, directory }), staff: staffNetworkConsumer({ sql, directory }) };
}

describe('the network learned from pcn.registry.v1 and pcn.staff.v1', () => {
  it('gives the member centres with the GP FTE running today, and the position reached in each log', async () => {
    const { directory, registry, staff } = await setUp('2026-02-01');
    await registry(accredited(snapshot()));
    await registry(accredited(snapshot({ finess: CENTRE_B, communeInsee: '75111', coordinates: undefined })));
    await staff(started({}));
    await staff(started({ assignmentId: 'a2', fte: '0.5' }));
    await staff(started({ assignmentId: 'a3', fte: '1', startOn: '2026-06-01' })); // not yet
    await staff(started({ assignmentId: 'n1', professional: NURSE, fte: '1' })); // not a GP
    await staff(started({ assignmentId: 'b1', centreFiness: CENTRE_B, fte: '0.3' }));
    await staff(ended('a2', '2026-01-20'));
    const network = await directory.snapshot();
    expect(network.centres).toEqual([
      { finess: CENTRE_B, communeCode: '75111', gpFte: 0.3 },
      { finess: CENTRE_A, communeCode: '93066', latitude: 48.9362, longitude: 2.3574, gpFte: 0.8 },
    ]);
    expect(network.positions).toEqual({ [REGISTRY_TOPIC]: offset - 6, [STAFF_TOPIC]: offset });
  });

  it('changes nothing when a message comes twice, nor with an older snapshot; a closed centre is no supply', async () => {
    const { directory, registry, staff } = await setUp('2026-02-01');
    const message = accredited(snapshot({ version: 3 }));
    await registry(message);
    await registry(message);
    await staff(started({}));
    await staff(started({}));
    expect((await directory.snapshot()).centres).toEqual([{ finess: CENTRE_A, communeCode: '93066', latitude: 48.9362, longitude: 2.3574, gpFte: 0.8 }]);
    await registry(accredited(snapshot({ version: 2, communeInsee: '93001' })));
    expect((await directory.snapshot()).centres[0]!.communeCode).toBe('93066');
    await registry(closed(snapshot({ version: 4 })));
    expect((await directory.snapshot()).centres).toEqual([]);
  });
});

describe('an accreditation seen by planning', () => {
  it('records the centre, then hands the centre and its commune over for the fulfilment of adopted schemes', async () => {
    const schema = `planning_network_${++n}`;
    await migrateNetworkTables(sql, schema);
    const directory = new SqlNetworkDirectory(sql, schema, { now: () => new Date('2026-06-01T12:00:00Z') });
    const seen: unknown[] = [];
    const registry = registryNetworkConsumer({ sql, directory, onAccredited: async (centre, message) => seen.push([centre, message.id]) });
    const message = received(
      REGISTRY_TOPIC,
      'CentreAccredited',
      CENTRE_A,
      rev.CentreAccredited.encode(rev.CentreAccredited.fromPartial({ centre: snapshot(), accreditedOn: '2026-05-01' })).finish(),
    );
    await registry(message);
    expect(seen).toEqual([[{ centreFiness: CENTRE_A, communeCode: '93066', accreditedOn: '2026-05-01' }, message.id]]);
    expect((await directory.snapshot()).centres.map((c) => c.finess)).toEqual([CENTRE_A]);
  });

  it('keeps the day of accreditation, for the reconciliation of schemes at adoption, until the centre closes', async () => {
    const schema = `planning_network_${++n}`;
    await migrateNetworkTables(sql, schema);
    const directory = new SqlNetworkDirectory(sql, schema, { now: () => new Date('2026-06-01T12:00:00Z') });
    const registry = registryNetworkConsumer({ sql, directory });
    await registry(accredited(snapshot({ memberSince: '2026-05-01' })));
    await registry(accredited(snapshot({ finess: CENTRE_B, communeInsee: '75056', memberSince: '2026-04-01' })));
    await registry(
      received(
        REGISTRY_TOPIC,
        'CentreRegistered',
        '930000021',
        rev.CentreRegistered.encode(
          rev.CentreRegistered.fromPartial({ centre: snapshot({ finess: '930000021', status: rpb.CentreStatus.CENTRE_STATUS_CANDIDATE }) }),
        ).finish(),
      ),
    );
    expect(await directory.accreditedIn(['93066', '75056'])).toEqual([
      { centreFiness: CENTRE_B, communeCode: '75056', accreditedOn: '2026-04-01' },
      { centreFiness: CENTRE_A, communeCode: '93066', accreditedOn: '2026-05-01' },
    ]);
    await registry(closed(snapshot({ memberSince: '2026-05-01', version: 2 })));
    expect(await directory.accreditedIn(['93066'])).toEqual([]);
  });
});
