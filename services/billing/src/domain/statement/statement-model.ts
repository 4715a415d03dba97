import type { PeriodId } from '../schedule/calendar';
import type { Cents } from '../schedule/money';
import type { MissionLine } from '../schedule/rate-schedule';

export const STATEMENT_STATUSES = ['open', 'computed', 'issued'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const statementStreamId = (finess: string, period: PeriodId): string => `statement-${finess}-${period}`;

/** A patient's rounded capitation for the period. */
export interface StatementLine {
  readonly patientId: string;
  readonly cents: Cents;
}

export interface MissionStatementLine {
  readonly line: MissionLine;
  readonly units: number;
  readonly unitRateCents: Cents;
  readonly cents: Cents;
}

/** A correction of a past, issued period, carried by a later statement. */
export interface AdjustmentLine {
  readonly originalPeriod: PeriodId;
  readonly patientId: string;
  /** Recomputed minus everything already stated for that patient and period (may be negative). */
  readonly cents: Cents;
}

/** What a run computed, and from what: the schedule version and the log position of the facts. */
export interface StatementComputation {
  readonly scheduleVersion: string;
  /** Position in the billing service's log of facts the run read up to (included). */
  readonly logPosition: string;
  readonly lines: readonly StatementLine[];
  readonly missionLines: readonly MissionStatementLine[];
  readonly adjustmentLines: readonly AdjustmentLine[];
  readonly capitationCents: Cents;
  readonly missionCents: Cents;
  readonly adjustmentCents: Cents;
  readonly totalCents: Cents;
}

export const RESOLUTIONS = ['write_off', 'expected_follow_up', 'corrected_statement'] as const;
export type Resolution = (typeof RESOLUTIONS)[number] | 'settled_by_payment';

export interface Payment {
  readonly payerReference: string;
  readonly amountCents: Cents;
  readonly paidOn: string;
}

export interface Discrepancy {
  readonly discrepancyId: string;
  readonly expectedCents: Cents;
  readonly paidCents: Cents;
  /** paid − expected: negative when short, positive when over. */
  readonly deltaCents: Cents;
  readonly status: 'open' | 'resolved';
  readonly resolution?: { readonly resolution: Resolution; readonly reason: string; readonly resolvedBy: string };
}
