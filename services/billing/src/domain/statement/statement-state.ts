import type { PeriodId } from '../schedule/calendar';
import type { Cents } from '../schedule/money';
import type { MissionLine } from '../schedule/rate-schedule';
import type { Discrepancy, Payment, StatementComputation, StatementStatus } from './statement-model';

export type StatementState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly finess: string;
      readonly period: PeriodId;
      readonly status: StatementStatus;
      readonly missions: Readonly<Partial<Record<MissionLine, number>>>;
      readonly computation?: StatementComputation;
      readonly issued?: { readonly issuedOn: string; readonly issuedBy: string };
      readonly payments: readonly Payment[];
      readonly discrepancies: readonly Discrepancy[];
      readonly reconciled: boolean;
    };

export type Statement = Extract<StatementState, { exists: true }>;

export interface ReconciliationSummary {
  readonly finess: string;
  readonly period: PeriodId;
  readonly status: StatementStatus;
  readonly expectedCents: Cents;
  readonly paidCents: Cents;
  /** expected − paid. */
  readonly outstandingCents: Cents;
  readonly reconciled: boolean;
  readonly discrepancies: readonly Discrepancy[];
}

export function paidCents(statement: Statement): Cents {
  return statement.payments.reduce((sum, p) => sum + p.amountCents, 0);
}

/** Expected is what was issued; before issue nothing is expected yet. */
export function reconciliationOf(statement: Statement): ReconciliationSummary {
  const expectedCents = statement.status === 'issued' ? (statement.computation?.totalCents ?? 0) : 0;
  const paid = paidCents(statement);
  return {
    finess: statement.finess,
    period: statement.period,
    status: statement.status,
    expectedCents,
    paidCents: paid,
    outstandingCents: expectedCents - paid,
    reconciled: statement.reconciled,
    discrepancies: statement.discrepancies,
  };
}
