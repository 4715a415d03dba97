import { attributionEventsV1 as ev } from '@pcn/contracts';
import { PgliteSqlClient, REDACTED_FIELD } from '@pcn/eventsourcing';
import { ATTRIBUTION_TOPIC, type ReceivedMessage } from '@pcn/messaging';
import { declaredMessage, factMessage, startBilling, type BillingFixture } from '../../testing';
import { attributionConsumer } from './fact-consumers';

const CENTRE = '930000013';
const SCHEMA = 'billing_erasure';
const ERASED = 'p-erased';
const KEPT = 'p-kept';

let sql: PgliteSqlClient;
let fx: BillingFixture;
let consume: (m: ReceivedMessage) => Promise<void>;

const declared = (patientId: string, attributionId: string, effectiveDate: string): ReceivedMessage =>
  declaredMessage(patientId, attributionId, CENTRE, effectiveDate, {
    patientId,
    birthYearMonth: '1951-03',
    sex: 0,
    communeInsee: '93066',
    ald: [{ start: '2020-01-01', end: '' }],
    c2s: [],
  });
const updated = (patientId: string, at: string): ReceivedMessage =>
  factMessage(
    ATTRIBUTION_TOPIC,
    'PatientUpdated',
    patientId,
    ev.PatientUpdated.encode(
      ev.PatientUpdated.fromPartial({
        patient: { patientId, birthYearMonth: '1951-03', sex: 0, communeInsee: '75111', ald: [], c2s: [{ start: '2026-01-01', end: '' }] },
        occurredAt: new Date(at),
      }),
    ).finish(),
  );
const ended = (patientId: string, attributionId: string, endDate: string): ReceivedMessage =>
  factMessage(
    ATTRIBUTION_TOPIC,
    'AttributionEnded',
    patientId,
    ev.AttributionEnded.encode(
      ev.AttributionEnded.fromPartial({ patientId, attributionId, centreFiness: CENTRE, endDate, occurredAt: new Date(`${endDate}T10:00:00Z`) }),
    ).finish(),
  );
const erasure = factMessage(
  ATTRIBUTION_TOPIC,
  'PatientErased',
  ERASED,
  ev.PatientErased.encode(ev.PatientErased.fromPartial({ patientId: ERASED, erasedOn: '2026-04-10', occurredAt: new Date('2026-04-10T10:00:00Z') })).finish(),
);

const storedText = async (patientId: string): Promise<string> =>
  JSON.stringify((await sql.query(`SELECT data FROM ${SCHEMA}.events WHERE stream_id = $1 ORDER BY position`, [`billing-patient-${patientId}`])).rows);

beforeAll(async () => {
  sql = await PgliteSqlClient.open();
  fx = await startBilling({ sql, schema: SCHEMA });
  consume = attributionConsumer(fx.module.billing);
  await fx.facts.accredit(CENTRE, '2025-01-01');
  await consume(declared(ERASED, 'a-erased', '2025-06-01'));
  await consume(declared(KEPT, 'a-kept', '2025-06-01'));
  // March is issued with both patients; then the patient asks for erasure in April.
  await fx.module.billing.runPeriod({ period: '2026-03', runBy: 'billing@national' });
  await fx.module.billing.issueStatement({ finess: CENTRE, period: '2026-03', issuedOn: '2026-04-05', issuedBy: 'billing@national' });
  await consume(ended(ERASED, 'a-erased', '2026-04-10'));
  await consume(erasure);
}, 60_000);

afterAll(async () => {
  await fx?.stop();
  await sql?.close();
});

describe('a patient erased in attribution (PatientErased on pcn.attribution.v1)', () => {
  it('leaves billing personal data of the patient neither in clear in its log nor readable through it', async () => {
    const stored = await storedText(ERASED);
    expect(stored).not.toContain('1951-03');
    expect(stored).not.toContain('93066');
    expect(stored).toContain('$sealed');
    const read = await fx.module.store.readStream(`billing-patient-${ERASED}`);
    const learned = read.find((e) => e.type === 'PatientLearned')!;
    expect(learned.data).toEqual({ patientId: ERASED, asOf: '2025-06-01T10:00:00.000Z', [REDACTED_FIELD]: ['birthYearMonth', 'ald', 'c2s'] });
    expect(read.at(-1)).toMatchObject({ type: 'PatientErased', data: { patientId: ERASED, erasedOn: '2026-04-10' } });
    // The other patient's facts still read in clear.
    const kept = await fx.module.store.readStream(`billing-patient-${KEPT}`);
    expect(kept.find((e) => e.type === 'PatientLearned')?.data).toMatchObject({ birthYearMonth: '1951-03' });
  });

  it('keeps in the read model only the pseudonymous id and the attributions', async () => {
    await fx.module.projection.waitForPosition(await fx.module.store.headPosition());
    const rows = await sql.query<{ record: Record<string, unknown> }>(`SELECT record FROM ${SCHEMA}.patients WHERE patient_id = $1`, [ERASED]);
    expect(rows.rows[0]?.record).toEqual({
      patientId: ERASED,
      communes: [],
      ald: [],
      c2s: [],
      prevention: [],
      attributions: [{ attributionId: 'a-erased', centreFiness: CENTRE, start: '2025-06-01', end: '2026-04-10' }],
      erasedOn: '2026-04-10',
    });
  });

  it('records nothing on a redelivered erasure or a replay of older messages, and never learns the patient again', async () => {
    const head = await fx.module.store.headPosition();
    await consume({ ...erasure, attempt: 2 });
    await consume(declared(ERASED, 'a-erased', '2025-06-01'));
    await consume(updated(ERASED, '2026-02-01T10:00:00Z'));
    // Even a snapshot dated after the erasure (a replay with a later clock) learns nothing.
    await consume(updated(ERASED, '2026-05-01T10:00:00Z'));
    await consume(ended(ERASED, 'a-erased', '2026-04-10'));
    expect(await fx.module.store.headPosition()).toBe(head);
    expect(await storedText(ERASED)).not.toContain('75111');
  });

  it('computes a statement after the erasure without the patient, and leaves the issued one as it was', async () => {
    const issuedBefore = await fx.module.billing.getStatement(CENTRE, '2026-03');
    const april = await fx.module.billing.runPeriod({ period: '2026-04', runBy: 'billing@national' });
    expect(april.centres).toEqual([expect.objectContaining({ finess: CENTRE, outcome: 'computed', lines: 1 })]);
    const statement = await fx.module.billing.getStatement(CENTRE, '2026-04');
    expect(statement.computation?.lines.map((l) => l.patientId)).toEqual([KEPT]);
    // The erased patient's March line is final: no adjustment names them.
    expect(statement.computation?.adjustmentLines).toEqual([]);
    const issued = await fx.module.billing.getStatement(CENTRE, '2026-03');
    expect(issued).toEqual(issuedBefore);
    expect(issued.computation?.lines.map((l) => l.patientId)).toEqual([ERASED, KEPT].sort());
  });

  it('refuses a prevention indicator for the erased patient', async () =>
    await expect(
      fx.module.billing.recordPreventionIndicator({
        patientId: ERASED,
        centreFiness: CENTRE,
        indicator: 'vaccination-influenza',
        validatedOn: '2026-04-01',
        recordedBy: 'centre',
      }),
    ).rejects.toMatchObject({ kind: 'not_found' }));
});
