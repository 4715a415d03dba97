import { billingV1 as pb } from '@pcn/contracts';
import { ValidationError } from '@pcn/eventsourcing';
import type { CentreRun, RunResult } from '../../application/billing';
import type { RunProgress } from '../../application/ports';
import type { Discrepancy, MissionLine, RateSchedule, ReconciliationSummary, Statement, StatementStatus, UnmatchedPayment } from '../../domain';

/** Proto3 gives "" for an unset string: absent, for the application. */
export const optional = (value: string): string | undefined => (value === '' ? undefined : value);

/**
 * The schedule as the domain knows it; every value is checked by the domain's schedule
 * validation (mission lines included), which names the field of each violation.
 */
export function rateScheduleOf(message: pb.RateSchedule | undefined): RateSchedule {
  if (message === undefined) throw ValidationError.field('schedule', 'is required');
  return {
    version: message.version,
    effectiveFrom: message.effectiveFrom,
    ageBands: message.ageBands.map((b) => ({ code: b.code, fromAge: b.fromAge, withoutAld: b.withoutAldCents, withAld: b.withAldCents })),
    supplements: { c2s: message.c2sSupplementCents, prevention: { ...message.preventionSupplementCents } },
    territorial: {
      underservedWeight: message.underservedWeight,
      underservedCommunes: [...message.underservedCommunes],
      povertyClasses: message.povertyClasses.map((c) => ({ code: c.code, fromUnemploymentBasisPoints: c.fromUnemploymentBasisPoints, weight: c.weight })),
    },
    missionRates: { ...message.missionRateCents } as Record<MissionLine, number>,
  };
}

export function toRateScheduleMessage(s: RateSchedule): pb.RateSchedule {
  return {
    version: s.version,
    effectiveFrom: s.effectiveFrom,
    ageBands: s.ageBands.map((b) => ({ code: b.code, fromAge: b.fromAge, withoutAldCents: b.withoutAld, withAldCents: b.withAld })),
    c2sSupplementCents: s.supplements.c2s,
    preventionSupplementCents: { ...s.supplements.prevention },
    underservedWeight: s.territorial.underservedWeight,
    underservedCommunes: [...s.territorial.underservedCommunes],
    povertyClasses: s.territorial.povertyClasses.map((c) => ({ code: c.code, fromUnemploymentBasisPoints: c.fromUnemploymentBasisPoints, weight: c.weight })),
    missionRateCents: { ...s.missionRates },
  };
}

const STATUS: Record<StatementStatus, pb.StatementStatus> = {
  open: pb.StatementStatus.STATEMENT_STATUS_OPEN,
  computed: pb.StatementStatus.STATEMENT_STATUS_COMPUTED,
  issued: pb.StatementStatus.STATEMENT_STATUS_ISSUED,
};

const OUTCOME: Record<CentreRun['outcome'], pb.RunOutcome> = {
  computed: pb.RunOutcome.RUN_OUTCOME_COMPUTED,
  unchanged: pb.RunOutcome.RUN_OUTCOME_UNCHANGED,
  issued: pb.RunOutcome.RUN_OUTCOME_ISSUED,
};

export function discrepancyStatusOf(status: pb.DiscrepancyStatus): 'open' | 'resolved' | undefined {
  switch (status) {
    case pb.DiscrepancyStatus.DISCREPANCY_STATUS_UNSPECIFIED:
      return undefined;
    case pb.DiscrepancyStatus.DISCREPANCY_STATUS_OPEN:
      return 'open';
    case pb.DiscrepancyStatus.DISCREPANCY_STATUS_RESOLVED:
      return 'resolved';
    default:
      throw ValidationError.field('status', `must be DISCREPANCY_STATUS_OPEN or DISCREPANCY_STATUS_RESOLVED, got ${String(status)}`);
  }
}

export function toDiscrepancyMessage(d: Discrepancy, finess: string, period: string): pb.Discrepancy {
  return {
    discrepancyId: d.discrepancyId,
    centreFiness: finess,
    period,
    expectedCents: d.expectedCents,
    paidCents: d.paidCents,
    deltaCents: d.deltaCents,
    status: d.status === 'open' ? pb.DiscrepancyStatus.DISCREPANCY_STATUS_OPEN : pb.DiscrepancyStatus.DISCREPANCY_STATUS_RESOLVED,
    resolution: d.resolution?.resolution ?? '',
    reason: d.resolution?.reason ?? '',
    resolvedBy: d.resolution?.resolvedBy ?? '',
  };
}

export function toStatementMessage(s: Statement): pb.Statement {
  const c = s.computation;
  return {
    centreFiness: s.finess,
    period: s.period,
    status: STATUS[s.status],
    scheduleVersion: c?.scheduleVersion ?? '',
    logPosition: c?.logPosition ?? '',
    capitationLineCount: c?.lines.length ?? 0,
    missionLines: (c?.missionLines ?? []).map((l) => ({ line: l.line, units: l.units, unitRateCents: l.unitRateCents, cents: l.cents })),
    adjustmentLines: (c?.adjustmentLines ?? []).map((l) => ({ originalPeriod: l.originalPeriod, patientId: l.patientId, cents: l.cents })),
    capitationCents: c?.capitationCents ?? 0,
    missionCents: c?.missionCents ?? 0,
    adjustmentCents: c?.adjustmentCents ?? 0,
    totalCents: c?.totalCents ?? 0,
    declaredMissionUnits: Object.fromEntries(Object.entries(s.missions).filter((e): e is [string, number] => e[1] !== undefined)),
    issuedOn: s.issued?.issuedOn ?? '',
    issuedBy: s.issued?.issuedBy ?? '',
    payments: s.payments.map((p) => ({ payerReference: p.payerReference, amountCents: p.amountCents, paidOn: p.paidOn })),
    discrepancies: s.discrepancies.map((d) => toDiscrepancyMessage(d, s.finess, s.period)),
    reconciled: s.reconciled,
  };
}

export function toProgressMessage(p: RunProgress): pb.RunPeriodResponse {
  return { event: { $case: 'progress', value: { done: p.done, total: p.total, centreFiness: p.finess, lines: p.lines } } };
}

export function toSummaryMessage(r: RunResult): pb.RunPeriodResponse {
  return {
    event: {
      $case: 'summary',
      value: {
        period: r.period,
        scheduleVersion: r.scheduleVersion,
        logPosition: r.logPosition,
        centres: r.centres.map((c) => ({ centreFiness: c.finess, outcome: OUTCOME[c.outcome], lines: c.lines, totalCents: c.totalCents })),
      },
    },
  };
}

function toUnmatchedMessage(p: UnmatchedPayment): pb.UnmatchedPayment {
  return {
    remittanceId: p.remittanceId,
    payerReference: p.payerReference,
    centreFiness: p.finess,
    period: p.period,
    amountCents: p.amountCents,
    paidOn: p.paidOn,
    reason: p.reason,
  };
}

export function toReportMessage(report: { statements: readonly ReconciliationSummary[]; exceptions: readonly UnmatchedPayment[] }): pb.ReconciliationReport {
  return {
    statements: report.statements.map((s) => ({
      centreFiness: s.finess,
      period: s.period,
      status: STATUS[s.status],
      expectedCents: s.expectedCents,
      paidCents: s.paidCents,
      outstandingCents: s.outstandingCents,
      reconciled: s.reconciled,
      discrepancies: s.discrepancies.map((d) => toDiscrepancyMessage(d, s.finess, s.period)),
    })),
    exceptions: report.exceptions.map(toUnmatchedMessage),
  };
}
