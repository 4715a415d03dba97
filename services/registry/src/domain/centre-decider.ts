import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError, type Decider } from '@pcn/eventsourcing';
import type { CentreDetails } from './centre';
import type { CentreCommand } from './commands';
import type { CentreEvent } from './events';
import type { CentreState, ExistingCentre } from './centre-state';
import { unmetCriteria } from './accreditation';
import { forProfitReason, isNonProfit } from './manager-kinds';
import { changedFields } from './changed-fields';

function existing(state: CentreState, finessHint = 'centre'): ExistingCentre {
  if (!state.exists) throw new NotFoundError('centre', finessHint);
  if (state.closure) {
    throw new PreconditionFailedError(`centre ${state.finess} is closed (effective ${state.closure.effectiveDate}): no further change is possible`, [
      { type: 'LIFECYCLE', subject: 'status', description: 'closed is a terminal status' },
    ]);
  }
  return state;
}

function lifecycle(centre: ExistingCentre, action: string, required: string): PreconditionFailedError {
  return new PreconditionFailedError(`cannot ${action} centre ${centre.finess}: it is ${centre.status}, it must be ${required}`, [
    { type: 'LIFECYCLE', subject: 'status', description: `${action} requires status ${required}, found ${centre.status}` },
  ]);
}

function requireNonProfit(details: Pick<CentreDetails, 'manager'>): void {
  if (!isNonProfit(details.manager.kind)) throw ValidationError.field('manager.kind', forProfitReason(details.manager.kind));
}

function requireCriteria(finess: string, details: CentreDetails, action: string): void {
  const unmet = unmetCriteria(details);
  if (unmet.length > 0) {
    throw new PreconditionFailedError(
      `cannot ${action} centre ${finess}: ${unmet.length} accreditation criteria unmet (${unmet.map((u) => u.subject).join(', ')})`,
      unmet,
    );
  }
}

export const centreDecider: Decider<CentreCommand, CentreState, CentreEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): CentreEvent[] {
    if (command.type === 'RegisterCentre') {
      if (state.exists) throw new AlreadyExistsError('centre', command.finess);
      requireNonProfit(command.details);
      return [{ type: 'CentreRegistered', data: { finess: command.finess, details: command.details } }];
    }
    const centre = existing(state);
    const finess = centre.finess;
    switch (command.type) {
      case 'AmendCentre': {
        const changes = changedFields(centre.details, command.changes);
        if (Object.keys(changes).length === 0) return [];
        const amended = { ...centre.details, ...changes };
        if (changes.manager) requireNonProfit(amended);
        // A member must keep meeting the criteria; a coordinator suspends, an amendment cannot.
        if (centre.status !== 'candidate') requireCriteria(finess, amended, 'amend');
        return [{ type: 'CentreAmended', data: { finess, changes } }];
      }
      case 'AccreditCentre':
        if (centre.status !== 'candidate') throw lifecycle(centre, 'accredit', 'candidate');
        requireCriteria(finess, centre.details, 'accredit');
        return [{ type: 'CentreAccredited', data: { finess, accreditedOn: command.accreditedOn } }];
      case 'SuspendCentre':
        if (centre.status !== 'member') throw lifecycle(centre, 'suspend', 'member');
        return [{ type: 'CentreSuspended', data: { finess, reason: command.reason } }];
      case 'ReinstateCentre':
        if (centre.status !== 'suspended') throw lifecycle(centre, 'reinstate', 'suspended');
        requireCriteria(finess, centre.details, 'reinstate');
        return [{ type: 'CentreReinstated', data: { finess } }];
      case 'CloseCentre':
        return [{ type: 'CentreClosed', data: { finess, effectiveDate: command.effectiveDate, reason: command.reason } }];
    }
  },

  evolve(state, event): CentreState {
    if (event.type === 'CentreRegistered') {
      return { exists: true, finess: event.data.finess, details: event.data.details, status: 'candidate' };
    }
    if (!state.exists) return state;
    switch (event.type) {
      case 'CentreAmended':
        return { ...state, details: { ...state.details, ...event.data.changes } };
      case 'CentreAccredited':
        return { ...state, status: 'member', accreditedOn: event.data.accreditedOn };
      case 'CentreSuspended':
        return { ...state, status: 'suspended', suspensionReason: event.data.reason };
      case 'CentreReinstated':
        return { ...state, status: 'member', suspensionReason: undefined };
      case 'CentreClosed':
        return { ...state, closure: { effectiveDate: event.data.effectiveDate, reason: event.data.reason } };
    }
  },
};
