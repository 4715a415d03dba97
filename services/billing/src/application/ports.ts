import type { CentreRecord, CommuneProfiles, PatientRecord, PeriodId, Statement, UnmatchedPayment } from '../domain';

/** What the application reads from the projection of billing's own log. */
export interface BillingReadModel {
  /** Centres learned from the registry, one or all, by FINESS. */
  centres(finess?: string): Promise<{ finess: string; record: CentreRecord }[]>;
  /** Every patient ever attributed to the centre. */
  patientsOf(finess: string): Promise<PatientRecord[]>;
  statements(filter: { finess?: string; period?: PeriodId }): Promise<Statement[]>;
  unmatchedPayments(): Promise<UnmatchedPayment[]>;
  /** Resolves once the read model includes the log up to `position`. */
  waitFor(position: number): Promise<void>;
}

export { type CommuneProfiles };

export interface RunProgress {
  readonly done: number;
  readonly total: number;
  readonly finess: string;
  readonly lines: number;
}
