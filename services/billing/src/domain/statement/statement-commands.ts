import type { PeriodId } from '../schedule/calendar';
import type { Cents } from '../schedule/money';
import type { MissionLine } from '../schedule/rate-schedule';
import type { AdjustmentLine, Payment, StatementLine } from './statement-model';

export type StatementCommand =
  | { readonly type: 'OpenStatement'; readonly finess: string; readonly period: PeriodId; readonly openedBy: string }
  | { readonly type: 'DeclareMissionActivity'; readonly line: MissionLine; readonly units: number; readonly declaredBy: string }
  | {
      readonly type: 'RecordComputation';
      readonly scheduleVersion: string;
      readonly logPosition: string;
      readonly missionRates: Readonly<Record<MissionLine, Cents>>;
      readonly lines: readonly StatementLine[];
      readonly adjustmentLines: readonly AdjustmentLine[];
    }
  | { readonly type: 'IssueStatement'; readonly issuedOn: string; readonly issuedBy: string }
  | ({ readonly type: 'RecordPayment'; readonly remittanceId: string } & Payment)
  | { readonly type: 'ResolveDiscrepancy'; readonly discrepancyId: string; readonly resolution: string; readonly reason: string; readonly resolvedBy: string };
