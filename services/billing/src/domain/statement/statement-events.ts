import type { DomainEvent } from '@pcn/eventsourcing';
import type { PeriodId } from '../schedule/calendar';
import type { Cents } from '../schedule/money';
import type { MissionLine } from '../schedule/rate-schedule';
import type { Payment, Resolution, StatementComputation } from './statement-model';

export type StatementEvent =
  | DomainEvent<'StatementOpened', { readonly finess: string; readonly period: PeriodId; readonly openedBy: string }>
  | DomainEvent<'MissionActivityDeclared', { readonly line: MissionLine; readonly units: number; readonly declaredBy: string }>
  | DomainEvent<'StatementComputed', StatementComputation>
  | DomainEvent<
      'StatementIssued',
      { readonly issuedOn: string; readonly issuedBy: string; readonly totalCents: Cents; readonly scheduleVersion: string; readonly logPosition: string }
    >
  | DomainEvent<'PaymentReceived', Payment & { readonly remittanceId: string; readonly totalPaidCents: Cents; readonly expectedCents: Cents }>
  | DomainEvent<'StatementReconciled', { readonly expectedCents: Cents; readonly paidCents: Cents }>
  | DomainEvent<'DiscrepancyRecorded', { readonly discrepancyId: string; readonly expectedCents: Cents; readonly paidCents: Cents; readonly deltaCents: Cents }>
  | DomainEvent<
      'DiscrepancyResolved',
      { readonly discrepancyId: string; readonly resolution: Resolution; readonly reason: string; readonly resolvedBy: string }
    >;
