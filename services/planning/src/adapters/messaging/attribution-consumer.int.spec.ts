import { attributionEventsV1 as ev } from '@pcn/contracts';
import { PgliteSqlClient } from '@pcn/eventsourcing';
import { UnreadableMessageError, type ReceivedMessage } from '@pcn/messaging';
import { migrateNetworkTables, SqlNetworkDirectory } from '../persistence/sql-network-directory';
import { migratePatientTables, SqlPatientDirectory } from '../persistence/sql-patient-directory';
import { ATTRIBUTION_TOPIC, attributionNeedsConsumer } from './attribution-consumer';

let sql: PgliteSqlClient;
let n = 0;
beforeAll(async () => {
  sql = await PgliteSqlClient.open();
}, 60_000);
afterAll(() => sql.close());

let offset = 0;
function received(type: string, key: string, data: Uint8Array): ReceivedMessage {
  const at = ++offset;
  return {
    id: `msg-${at}`,
    type: `pcn.events.v1.${type}`,
    source: '/pcn/attribution',
    time: '2026-01-01T00:00:00Z',
    key,
    contentType: 'application/protobuf',
    data,
    headers: {},
    topic: ATTRIBUTION_TOPIC,
    partition: 0,
    offset: String(at),
    attempt: 1,
  };
}

const at = (iso: string) => new Date(iso);
const patient = (patientId: string, communeInsee: string, ald: { start: string; end: string }[] = []) =>
  ev.PatientSnapshot.fromPartial({ patientId, birthYearMonth: '1960-04', communeInsee, ald, c2s: [] });
const registered = (p: ev.PatientSnapshot, occurredAt = at('2026-01-02T10:00:00Z')) =>
  received('PatientRegistered', p.patientId, ev.PatientRegistered.encode({ patient: p, occurredAt }).finish());
const updated = (p: ev.PatientSnapshot, occurredAt: Date) =>
  received('PatientUpdated', p.patientId, ev.PatientUpdated.encode({ patient: p, changed: ['commune_insee'], occurredAt }).finish());
const declared = (p: ev.PatientSnapshot | undefined, attributionId: string, effectiveDate: string, replaces?: string, key = p?.patientId ?? '') =>
  received(
    'MedecinTraitantDeclared',
    key,
    ev.MedecinTraitantDeclared.encode(
      ev.MedecinTraitantDeclared.fromPartial({
        attributionId,
        rpps: '10003456786',
        professionalId: 'gp-1',
        centreFiness: '930000013',
        effectiveDate,
        ...(replaces && { replaces: { attributionId: replaces, rpps: '10003456786', professionalId: 'gp-1', centreFiness: '930000013' } }),
        ...(p && { patient: p }),
        occurredAt: at('2026-02-01T10:00:00Z'),
      }),
    ).finish(),
  );
const ended = (patientId: string, attributionId: string, endDate: string) =>
  received(
    'AttributionEnded',
    patientId,
    ev.AttributionEnded.encode(
      ev.AttributionEnded.fromPartial({ patientId, attributionId, rpps: '10003456786', endDate, occurredAt: at('2026-03-01T10:00:00Z') }),
    ).finish(),
  );
const erased = (patientId: string) =>
  received('PatientErased', patientId, ev.PatientErased.encode({ patientId, erasedOn: '2026-04-01', occurredAt: at('2026-04-01T10:00:00Z') }).finish());

async function setUp(today: string) {
  const schema = `planning_patients_${++n}`;
  await migrateNetworkTables(sql, schema);
  await migratePatientTables(sql, schema);
  const clock = { now: () => new Date(`${today}T12:00:00Z`) };
  const network = new SqlNetworkDirectory(sql, schema, clock);
  const patients = new SqlPatientDirectory(sql, schema, clock);
  return { patients, network, consume: attributionNeedsConsumer({ sql, patients, positions: network }) };
}

const ALD = [{ start: '2020-01-01', end: '' }];

describe('the patients planning learns from pcn.attribution.v1', () => {
  it('counts the patients of each place with and without a médecin traitant, and the chronic ones without, today', async () => {
    const { patients, network, consume } = await setUp('2026-06-01');
    await consume(registered(patient('p1', '93066', ALD)));
    await consume(registered(patient('p2', '93066', ALD)));
    await consume(registered(patient('p3', '93066')));
    await consume(registered(patient('p4', '75111', [{ start: '2020-01-01', end: '2026-01-01' }]))); // ALD over
    await consume(declared(patient('p1', '93066', ALD), 'att-1', '2026-02-01'));
    await consume(declared(patient('p3', '93066'), 'att-3', '2026-02-01'));
    await consume(ended('p3', 'att-3', '2026-05-01'));
    await consume(declared(patient('p4', '75111'), 'att-4', '2026-07-01')); // not yet
    expect(await patients.countsIn(['93066'])).toEqual({
      asOf: '2026-06-01',
      patients: 3,
      withMedecinTraitant: 1,
      withoutMedecinTraitant: 2,
      chronicWithoutMedecinTraitant: 1,
    });
    expect(await patients.countsIn(undefined)).toMatchObject({
      patients: 4,
      withMedecinTraitant: 1,
      withoutMedecinTraitant: 3,
      chronicWithoutMedecinTraitant: 1,
    });
    expect(await patients.countsIn(['01053'])).toMatchObject({ patients: 0, withMedecinTraitant: 0 });
    expect((await network.snapshot()).positions).toEqual({ [ATTRIBUTION_TOPIC]: offset });
  });

  it('counts nobody twice when messages come again, and an older snapshot does not move a patient back', async () => {
    const { patients, consume } = await setUp('2026-06-01');
    const moved = updated(patient('p1', '75111'), at('2026-03-01T00:00:00Z'));
    const declaration = declared(patient('p1', '93066'), 'att-1', '2026-02-01');
    for (const message of [registered(patient('p1', '93066')), declaration, moved, declaration, moved, registered(patient('p1', '93066'))])
      await consume(message);
    expect(await patients.countsIn(['75111'])).toMatchObject({ patients: 1, withMedecinTraitant: 1 });
    expect(await patients.countsIn(['93066'])).toMatchObject({ patients: 0 });
  });

  it('ends the replaced attribution on the first day of the new one', async () => {
    const { patients, consume } = await setUp('2026-06-01');
    await consume(declared(patient('p1', '93066'), 'att-1', '2026-02-01'));
    await consume(declared(patient('p1', '93066'), 'att-2', '2026-05-01', 'att-1'));
    await consume(ended('p1', 'att-2', '2026-05-20'));
    const rows = await sql.query(
      `SELECT attribution_id, to_char(start_on, 'YYYY-MM-DD') AS start_on, to_char(end_on, 'YYYY-MM-DD') AS end_on
         FROM planning_patients_${n}.patient_attributions ORDER BY attribution_id`,
    );
    expect(rows.rows).toEqual([
      { attribution_id: 'att-1', start_on: '2026-02-01', end_on: '2026-05-01' },
      { attribution_id: 'att-2', start_on: '2026-05-01', end_on: '2026-05-20' },
    ]);
    expect(await patients.countsIn(['93066'])).toMatchObject({ patients: 1, withMedecinTraitant: 0, withoutMedecinTraitant: 1 });
  });

  it('drops an erased patient, and a replayed message about them does not bring them back', async () => {
    const { patients, consume } = await setUp('2026-06-01');
    const registration = registered(patient('p1', '93066', ALD));
    const declaration = declared(patient('p1', '93066', ALD), 'att-1', '2026-02-01');
    await consume(registration);
    await consume(registered(patient('p2', '93066', ALD)));
    await consume(declaration);
    await consume(ended('p1', 'att-1', '2026-04-01'));
    await consume(erased('p1'));
    await consume(erased('p1'));
    await consume(registration);
    await consume(declaration);
    await consume(declared(undefined, 'att-9', '2026-04-02', undefined, 'p1'));
    expect(await patients.countsIn(['93066'])).toEqual({
      asOf: '2026-06-01',
      patients: 1,
      withMedecinTraitant: 0,
      withoutMedecinTraitant: 1,
      chronicWithoutMedecinTraitant: 1,
    });
    const kept = await sql.query<{ commune_code: string | null; ald: unknown }>(
      `SELECT commune_code, ald FROM planning_patients_${n}.patients WHERE patient_id = 'p1'`,
    );
    expect(kept.rows).toEqual([{ commune_code: null, ald: [] }]);
    const attributions = await sql.query(`SELECT * FROM planning_patients_${n}.patient_attributions WHERE patient_id = 'p1'`);
    expect(attributions.rows).toEqual([]);
  });

  it('dead-letters an erasure without its patient, and changes nothing', async () => {
    const { patients, consume } = await setUp('2026-06-01');
    const bad = received('PatientErased', 'p1', ev.PatientErased.encode({ patientId: '', erasedOn: '2026-04-01', occurredAt: undefined }).finish());
    await expect(consume(bad)).rejects.toThrow(UnreadableMessageError);
    await expect(consume(bad)).rejects.toThrow(/missing patient_id/);
    expect(await patients.countsIn(undefined)).toMatchObject({ patients: 0 });
  });
});
