import type { Projection, RecordedEvent, SqlExecutor } from '@pcn/eventsourcing';
import {
  centreRecordDecider,
  patientRecordDecider,
  statementDecider,
  unmatchedPaymentDecider,
  type CentreRecord,
  type CentreRecordEvent,
  type PatientRecord,
  type PatientRecordEvent,
  type StatementEvent,
  type StatementState,
  type UnmatchedPaymentEvent,
} from '../../domain';
import { STATEMENT_PREFIX, UNMATCHED_PAYMENT_PREFIX } from '../../application/stream-prefixes';

/**
 * The read model of billing's log: each record folded with the write side's own `evolve`, plus the
 * index of patients by centre the run reads. One row per patient, centre, statement and unmatched
 * payment.
 */
export function billingProjection(schema: string): Projection {
  return {
    name: 'billing',
    version: 1,
    filter: { streamPrefixes: ['billing-patient-', 'billing-centre-', STATEMENT_PREFIX, UNMATCHED_PAYMENT_PREFIX] },
    async setup(tx) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.patients (patient_id text PRIMARY KEY, record jsonb NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.centre_patients (finess text NOT NULL, patient_id text NOT NULL, PRIMARY KEY (finess, patient_id))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.centres (finess text PRIMARY KEY, record jsonb NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.statements (
        finess text NOT NULL, period text NOT NULL, status text NOT NULL, state jsonb NOT NULL, PRIMARY KEY (finess, period))`);
      await tx.query(`CREATE INDEX IF NOT EXISTS statements_period ON ${schema}.statements (period, finess)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${schema}.unmatched_payments (payer_reference text PRIMARY KEY, payment jsonb NOT NULL)`);
    },
    async reset(tx) {
      for (const table of ['patients', 'centre_patients', 'centres', 'statements', 'unmatched_payments']) await tx.query(`DELETE FROM ${schema}.${table}`);
    },
    async apply(tx, events) {
      for (const event of events) await applyOne(tx, schema, event);
    },
  };
}

const after = (prefix: string, streamId: string): string => streamId.slice(prefix.length);

async function applyOne(tx: SqlExecutor, schema: string, event: RecordedEvent): Promise<void> {
  const { streamId } = event;
  if (streamId.startsWith('billing-patient-')) {
    const patientId = after('billing-patient-', streamId);
    const row = await tx.query<{ record: PatientRecord }>(`SELECT record FROM ${schema}.patients WHERE patient_id = $1`, [patientId]);
    const record = patientRecordDecider.evolve(row.rows[0]?.record ?? patientRecordDecider.initialState(), event as unknown as PatientRecordEvent);
    await tx.query(
      `INSERT INTO ${schema}.patients (patient_id, record) VALUES ($1, $2::jsonb) ON CONFLICT (patient_id) DO UPDATE SET record = EXCLUDED.record`,
      [patientId, JSON.stringify(record)],
    );
    if (event.type === 'AttributionLearned') {
      const finess = (event.data as { centreFiness: string }).centreFiness;
      await tx.query(`INSERT INTO ${schema}.centre_patients (finess, patient_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [finess, patientId]);
    }
  } else if (streamId.startsWith('billing-centre-')) {
    const finess = after('billing-centre-', streamId);
    const row = await tx.query<{ record: CentreRecord }>(`SELECT record FROM ${schema}.centres WHERE finess = $1`, [finess]);
    const record = centreRecordDecider.evolve(row.rows[0]?.record ?? centreRecordDecider.initialState(), event as unknown as CentreRecordEvent);
    await tx.query(`INSERT INTO ${schema}.centres (finess, record) VALUES ($1, $2::jsonb) ON CONFLICT (finess) DO UPDATE SET record = EXCLUDED.record`, [
      finess,
      JSON.stringify(record),
    ]);
  } else if (streamId.startsWith(STATEMENT_PREFIX)) {
    // statement-{finess}-{YYYY-MM}
    const rest = after(STATEMENT_PREFIX, streamId);
    const [finess, period] = [rest.slice(0, rest.length - 8), rest.slice(rest.length - 7)];
    const row = await tx.query<{ state: StatementState }>(`SELECT state FROM ${schema}.statements WHERE finess = $1 AND period = $2`, [finess, period]);
    const state = statementDecider.evolve(row.rows[0]?.state ?? statementDecider.initialState(), event as unknown as StatementEvent);
    if (!state.exists) return;
    await tx.query(
      `INSERT INTO ${schema}.statements (finess, period, status, state) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (finess, period) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state`,
      [finess, period, state.status, JSON.stringify(state)],
    );
  } else if (streamId.startsWith(UNMATCHED_PAYMENT_PREFIX)) {
    const state = unmatchedPaymentDecider.evolve(unmatchedPaymentDecider.initialState(), event as unknown as UnmatchedPaymentEvent);
    if (!state.recorded) return;
    const { recorded: _recorded, ...payment } = state;
    await tx.query(`INSERT INTO ${schema}.unmatched_payments (payer_reference, payment) VALUES ($1, $2::jsonb) ON CONFLICT DO NOTHING`, [
      payment.payerReference,
      JSON.stringify(payment),
    ]);
  }
}
