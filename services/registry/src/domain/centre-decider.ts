import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError, type Decider } from '@pcn/eventsourcing';
import type { CentreDetails } from './centre';
import type { CentreCommand } from './commands';
import type { CentreEvent } from './events';
import { statusOn, type CentreState, type ExistingCentre } from './centre-state';
import { unmetCriteria } from './accreditation';
import { forProfitReason, isNonProfit } from './manager-kinds';
import { changedFields } from './changed-fields';

function existing(state: CentreState, finess: string): ExistingCentre {
  if (!state.exists) throw new NotFoundError('centre', finess);
  if (state.closure) {
    throw new PreconditionFailedError(`centre ${state.finess} is closed (effective ${state.closure.effectiveDate}): no further change is possible`, [
      { type: 'LIFECYCLE', subject: 'status', description: 'closed is a terminal status' },
    ]);
  }
  return state;
}

function lifecycle(centre: ExistingCentre, action: string, required: string, found: string = centre.status): PreconditionFailedError {
  return new PreconditionFailedError(`cannot ${action} centre ${centre.finess}: it is ${found}, it must be ${required}`, [
    { type: 'LIFECYCLE', subject: 'status', description: `${action} requires status ${required}, found ${found}` },
  ]);
}

/** An accreditation recorded in advance: the centre stays a candidate until its date. */
function accreditedInAdvance(centre: ExistingCentre, action: string, today: string): PreconditionFailedError {
  return new PreconditionFailedError(
    `cannot ${action} centre ${centre.finess}: it is a candidate until its accreditation takes effect on ${centre.accreditedOn}`,
    [{ type: 'LIFECYCLE', subject: 'status', description: `${action} requires status member on ${today}; membership starts on ${centre.accreditedOn}` }],
  );
}

function requireNonProfit(details: Pick<CentreDetails, 'manager'>): void {
  if (!isNonProfit(details.manager.kind)) throw ValidationError.field('manager.kind', forProfitReason(details.manager.kind));
}

function requireCriteria(finess: string, details: CentreDetails, action: string, accreditedOn?: string): void {
  const unmet = unmetCriteria(details, accreditedOn);
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
    const centre = existing(state, command.finess);
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
        // A recorded accreditation, even one that has not yet taken effect, is not repeated.
        if (centre.status !== 'candidate')
          throw lifecycle(centre, 'accredit', 'candidate', centre.accreditedOn ? `${centre.status} from ${centre.accreditedOn}` : centre.status);
        requireCriteria(finess, centre.details, 'accredit', command.accreditedOn);
        return [{ type: 'CentreAccredited', data: { finess, accreditedOn: command.accreditedOn } }];
      case 'SuspendCentre':
        if (centre.status !== 'member') throw lifecycle(centre, 'suspend', 'member');
        if (statusOn(centre, command.today) === 'candidate') throw accreditedInAdvance(centre, 'suspend', command.today);
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
