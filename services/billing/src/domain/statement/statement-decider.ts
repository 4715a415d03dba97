import { isDeepStrictEqual } from 'node:util';
import { NotFoundError, PreconditionFailedError, ValidationError, type Decider, type FieldViolation } from '@pcn/eventsourcing';
import { isIsoDate } from '../schedule/calendar';
import { MISSION_LINE_CODES, type MissionLine } from '../schedule/rate-schedule';
import type { StatementCommand } from './statement-commands';
import type { StatementEvent } from './statement-events';
import { RESOLUTIONS, type MissionStatementLine, type Resolution, type StatementComputation } from './statement-model';
import { paidCents, type Statement, type StatementState } from './statement-state';

/** Largest number of units of one mission line a centre may declare for a month. */
export const MAX_MISSION_UNITS = 1_000_000;

function refuse(violations: FieldViolation[]): void {
  if (violations.length > 0) throw new ValidationError(violations);
}

function existing(state: StatementState): Statement {
  if (!state.exists) throw new NotFoundError('statement', '(period not opened)');
  return state;
}

function notIssued(s: Statement, action: string): void {
  if (s.status === 'issued')
    throw new PreconditionFailedError(`cannot ${action}: the statement of ${s.finess} for ${s.period} was issued on ${s.issued?.issuedOn ?? '(unknown)'}`, [
      { type: 'LIFECYCLE', subject: 'status', description: `an issued statement is never edited; later changes become adjustment lines of a later statement` },
    ]);
}

function missionLines(missions: Statement['missions'], rates: Readonly<Record<MissionLine, number>>): MissionStatementLine[] {
  return MISSION_LINE_CODES.filter((line) => (missions[line] ?? 0) > 0).map((line) => {
    const units = missions[line]!;
    return { line, units, unitRateCents: rates[line], cents: units * rates[line] };
  });
}

const sum = (values: readonly { cents: number }[]): number => values.reduce((total, v) => total + v.cents, 0);

function computation(s: Statement, command: Extract<StatementCommand, { type: 'RecordComputation' }>): StatementComputation {
  const missions = missionLines(s.missions, command.missionRates);
  const capitationCents = sum(command.lines);
  const missionCents = sum(missions);
  const adjustmentCents = sum(command.adjustmentLines);
  return {
    scheduleVersion: command.scheduleVersion,
    logPosition: command.logPosition,
    lines: command.lines,
    missionLines: missions,
    adjustmentLines: command.adjustmentLines,
    capitationCents,
    missionCents,
    adjustmentCents,
    totalCents: capitationCents + missionCents + adjustmentCents,
  };
}

function paymentEvents(s: Statement, command: Extract<StatementCommand, { type: 'RecordPayment' }>): StatementEvent[] {
  const expectedCents = s.computation!.totalCents;
  const totalPaidCents = paidCents(s) + command.amountCents;
  const { remittanceId, payerReference, amountCents, paidOn } = command;
  const events: StatementEvent[] = [{ type: 'PaymentReceived', data: { remittanceId, payerReference, amountCents, paidOn, totalPaidCents, expectedCents } }];
  const open = s.discrepancies.find((d) => d.status === 'open');
  if (totalPaidCents === expectedCents) {
    if (open !== undefined)
      events.push({
        type: 'DiscrepancyResolved',
        data: {
          discrepancyId: open.discrepancyId,
          resolution: 'settled_by_payment',
          reason: `payment ${payerReference} brought the total paid to the expected amount`,
          resolvedBy: 'reconciliation',
        },
      });
    events.push({ type: 'StatementReconciled', data: { expectedCents, paidCents: totalPaidCents } });
  } else {
    // One open discrepancy per statement: the current difference, updated by each payment.
    const discrepancyId = open?.discrepancyId ?? `${s.finess}-${s.period}-${s.discrepancies.length + 1}`;
    events.push({ type: 'DiscrepancyRecorded', data: { discrepancyId, expectedCents, paidCents: totalPaidCents, deltaCents: totalPaidCents - expectedCents } });
  }
  return events;
}

/**
 * A centre's statement for a month: open → computed (as often as needed) → issued, then payments
 * matched against what was issued. Issued is final: nothing of it is edited afterwards.
 */
export const statementDecider: Decider<StatementCommand, StatementState, StatementEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): StatementEvent[] {
    switch (command.type) {
      case 'OpenStatement':
        if (state.exists) return [];
        return [{ type: 'StatementOpened', data: { finess: command.finess, period: command.period, openedBy: command.openedBy } }];
      case 'DeclareMissionActivity': {
        const s = existing(state);
        refuse([
          ...((MISSION_LINE_CODES as string[]).includes(command.line)
            ? []
            : [{ field: 'line', description: `must be one of ${MISSION_LINE_CODES.join(', ')}, got ${JSON.stringify(command.line)}` }]),
          ...(Number.isSafeInteger(command.units) && command.units >= 0 && command.units <= MAX_MISSION_UNITS
            ? []
            : [{ field: 'units', description: `must be a whole number of units from 0 to ${MAX_MISSION_UNITS}, got ${JSON.stringify(command.units)}` }]),
        ]);
        notIssued(s, 'declare mission activity');
        if (s.missions[command.line] === command.units) return [];
        return [{ type: 'MissionActivityDeclared', data: { line: command.line, units: command.units, declaredBy: command.declaredBy } }];
      }
      case 'RecordComputation': {
        const s = existing(state);
        notIssued(s, 'record a new computation');
        const computed = computation(s, command);
        // A re-run whose statement is the recorded one records nothing, whatever the log position:
        // facts of other centres (or that change nothing here) move the position without changing
        // this statement. The recorded position stays the one these lines were computed from.
        if (s.computation !== undefined && isDeepStrictEqual({ ...s.computation, logPosition: '' }, { ...computed, logPosition: '' })) return [];
        return [{ type: 'StatementComputed', data: computed }];
      }
      case 'IssueStatement': {
        const s = existing(state);
        refuse(
          isIsoDate(command.issuedOn)
            ? []
            : [{ field: 'issuedOn', description: `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(command.issuedOn)}` }],
        );
        notIssued(s, 'issue it again');
        if (s.status !== 'computed' || s.computation === undefined)
          throw new PreconditionFailedError(`the statement of ${s.finess} for ${s.period} has not been computed`, [
            { type: 'LIFECYCLE', subject: 'status', description: 'issue requires a computed statement, found open' },
          ]);
        const { totalCents, scheduleVersion, logPosition } = s.computation;
        return [{ type: 'StatementIssued', data: { issuedOn: command.issuedOn, issuedBy: command.issuedBy, totalCents, scheduleVersion, logPosition } }];
      }
      case 'RecordPayment': {
        const s = existing(state);
        refuse([
          ...(Number.isSafeInteger(command.amountCents) && command.amountCents > 0
            ? []
            : [{ field: 'amount', description: `must be a positive whole number of cents, got ${JSON.stringify(command.amountCents)}` }]),
          ...(isIsoDate(command.paidOn)
            ? []
            : [{ field: 'paymentDate', description: `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(command.paidOn)}` }]),
        ]);
        const known = s.payments.find((p) => p.payerReference === command.payerReference);
        if (known !== undefined) {
          if (known.amountCents === command.amountCents && known.paidOn === command.paidOn) return [];
          throw new PreconditionFailedError(`payer reference ${command.payerReference} was already imported with another amount or date`, [
            { type: 'REMITTANCE', subject: 'payerReference', description: `already recorded: ${known.amountCents} cents paid on ${known.paidOn}` },
          ]);
        }
        if (s.status !== 'issued')
          throw new PreconditionFailedError(`the statement of ${s.finess} for ${s.period} has not been issued`, [
            { type: 'LIFECYCLE', subject: 'status', description: `a payment is matched to an issued statement, found ${s.status}` },
          ]);
        return paymentEvents(s, command);
      }
      case 'ResolveDiscrepancy': {
        const s = existing(state);
        refuse([
          ...((RESOLUTIONS as readonly string[]).includes(command.resolution)
            ? []
            : [{ field: 'resolution', description: `must be one of ${RESOLUTIONS.join(', ')}, got ${JSON.stringify(command.resolution)}` }]),
          ...(command.reason.trim() === '' ? [{ field: 'reason', description: 'is required: say why the discrepancy is resolved this way' }] : []),
        ]);
        const d = s.discrepancies.find((x) => x.discrepancyId === command.discrepancyId);
        if (d === undefined) throw new NotFoundError('discrepancy', command.discrepancyId);
        if (d.status === 'resolved')
          throw new PreconditionFailedError(`discrepancy ${d.discrepancyId} is already resolved (${d.resolution?.resolution ?? 'unknown'})`, [
            { type: 'LIFECYCLE', subject: 'status', description: 'only an open discrepancy can be resolved' },
          ]);
        return [
          {
            type: 'DiscrepancyResolved',
            data: { discrepancyId: d.discrepancyId, resolution: command.resolution as Resolution, reason: command.reason, resolvedBy: command.resolvedBy },
          },
        ];
      }
    }
  },

  evolve(state, event): StatementState {
    if (event.type === 'StatementOpened')
      return {
        exists: true,
        finess: event.data.finess,
        period: event.data.period,
        status: 'open',
        missions: {},
        payments: [],
        discrepancies: [],
        reconciled: false,
      };
    if (!state.exists) return state;
    switch (event.type) {
      case 'MissionActivityDeclared':
        return { ...state, missions: { ...state.missions, [event.data.line]: event.data.units } };
      case 'StatementComputed':
        return { ...state, status: 'computed', computation: event.data };
      case 'StatementIssued':
        return { ...state, status: 'issued', issued: { issuedOn: event.data.issuedOn, issuedBy: event.data.issuedBy } };
      case 'PaymentReceived': {
        const { payerReference, amountCents, paidOn } = event.data;
        return { ...state, payments: [...state.payments, { payerReference, amountCents, paidOn }], reconciled: false };
      }
      case 'StatementReconciled':
        return { ...state, reconciled: true };
      case 'DiscrepancyRecorded': {
        const { discrepancyId, expectedCents, paidCents: paid, deltaCents } = event.data;
        const recorded = { discrepancyId, expectedCents, paidCents: paid, deltaCents, status: 'open' } as const;
        const known = state.discrepancies.some((d) => d.discrepancyId === discrepancyId);
        return {
          ...state,
          discrepancies: known ? state.discrepancies.map((d) => (d.discrepancyId === discrepancyId ? recorded : d)) : [...state.discrepancies, recorded],
        };
      }
      case 'DiscrepancyResolved': {
        const { discrepancyId, resolution, reason, resolvedBy } = event.data;
        return {
          ...state,
          discrepancies: state.discrepancies.map((d) =>
            d.discrepancyId === discrepancyId ? { ...d, status: 'resolved', resolution: { resolution, reason, resolvedBy } } : d,
          ),
        };
      }
    }
  },
};
