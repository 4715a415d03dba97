import type { ProjectionRunner, SqlExecutor } from '@pcn/eventsourcing';
import type { CentreRecord, PatientRecord, PeriodId, Statement, UnmatchedPayment } from '../../domain';
import type { BillingReadModel } from '../../application/ports';

export class SqlBillingReadModel implements BillingReadModel {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: string,
    private readonly projection: Pick<ProjectionRunner, 'waitForPosition'>,
    private readonly waitMs = 30_000,
  ) {}

  async centres(finess?: string): Promise<{ finess: string; record: CentreRecord }[]> {
    const rows = await this.sql.query<{ finess: string; record: CentreRecord }>(
      `SELECT finess, record FROM ${this.schema}.centres ${finess === undefined ? '' : 'WHERE finess = $1'} ORDER BY finess`,
      finess === undefined ? [] : [finess],
    );
    return rows.rows;
  }

  async patientsOf(finess: string): Promise<PatientRecord[]> {
    const rows = await this.sql.query<{ record: PatientRecord }>(
      `SELECT p.record FROM ${this.schema}.centre_patients c JOIN ${this.schema}.patients p USING (patient_id) WHERE c.finess = $1 ORDER BY p.patient_id`,
      [finess],
    );
    return rows.rows.map((r) => r.record);
  }

  async statements(filter: { finess?: string; period?: PeriodId }): Promise<Statement[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.finess !== undefined) where.push(`finess = $${params.push(filter.finess)}`);
    if (filter.period !== undefined) where.push(`period = $${params.push(filter.period)}`);
    const rows = await this.sql.query<{ state: Statement }>(
      `SELECT state FROM ${this.schema}.statements ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY period, finess`,
      params,
    );
    return rows.rows.map((r) => r.state);
  }

  async unmatchedPayments(): Promise<UnmatchedPayment[]> {
    const rows = await this.sql.query<{ payment: UnmatchedPayment }>(`SELECT payment FROM ${this.schema}.unmatched_payments ORDER BY payer_reference`);
    return rows.rows.map((r) => r.payment);
  }

  waitFor(position: number): Promise<void> {
    return this.projection.waitForPosition(position, this.waitMs);
  }
}
