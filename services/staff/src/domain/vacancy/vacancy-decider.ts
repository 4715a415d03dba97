import { AlreadyExistsError, NotFoundError, PreconditionFailedError, ValidationError, type Decider, type FieldViolation } from '@pcn/eventsourcing';
import { FTE_SCALE } from '../statute/fte';
import { isIsoDate } from '@pcn/time';
import type { VacancyCommand } from './vacancy-commands';
import type { VacancyEvent } from './vacancy-events';
import { postOf, type Vacancy, type VacancyState } from './vacancy-state';

export const vacancyStreamId = (vacancyId: string): string => `vacancy-${vacancyId}`;

function dateViolation(field: string, value: string): FieldViolation[] {
  return isIsoDate(value) ? [] : [{ field, description: `must be a calendar date written YYYY-MM-DD, got "${value}"` }];
}

function fteViolation(fte: number): FieldViolation[] {
  return Number.isInteger(fte) && fte >= 1 && fte <= FTE_SCALE
    ? []
    : [{ field: 'fte', description: `must be a whole number of ten-thousandths of a full-time post, from 1 to ${FTE_SCALE} (0.0001 to 1.0), got ${fte}` }];
}

function refuseInvalid(violations: FieldViolation[]): void {
  if (violations.length > 0) throw new ValidationError(violations);
}

function existing(state: VacancyState): Vacancy {
  if (!state.exists) throw new NotFoundError('vacancy', '(unknown)');
  return state;
}

/** Filled and cancelled are final: a post filled again, or reopened, is a new vacancy. */
function closed(vacancy: Vacancy, action: string): PreconditionFailedError {
  const how =
    vacancy.filling !== undefined
      ? `filled on ${vacancy.filling.filledOn} by professional ${vacancy.filling.professionalId}${vacancy.filling.mobilityId ? ` (mobility ${vacancy.filling.mobilityId})` : ''}`
      : `cancelled on ${vacancy.cancellation?.cancelledOn ?? '(unknown)'}`;
  return new PreconditionFailedError(`cannot ${action} vacancy ${vacancy.vacancyId}: it was ${how}`, [
    { type: 'LIFECYCLE', subject: 'status', description: `${action} requires an open vacancy, found ${vacancy.status}` },
  ]);
}

export const vacancyDecider: Decider<VacancyCommand, VacancyState, VacancyEvent> = {
  initialState: () => ({ exists: false }),

  decide(command, state): VacancyEvent[] {
    switch (command.type) {
      case 'PostVacancy': {
        if (state.exists) throw new AlreadyExistsError('vacancy', command.vacancyId);
        refuseInvalid([...fteViolation(command.fte), ...dateViolation('startOn', command.startOn)]);
        const { type: _type, ...data } = command;
        return [{ type: 'VacancyPosted', data }];
      }
      case 'FillVacancy': {
        const v = existing(state);
        refuseInvalid(dateViolation('filledOn', command.filledOn));
        // The process manager applying an approved mobility may run twice: the same filling is
        // already recorded, whatever its date. Anyone else is refused below.
        if (v.filling !== undefined && v.filling.professionalId === command.professionalId && v.filling.mobilityId === command.mobilityId) return [];
        if (v.status !== 'open') throw closed(v, 'fill');
        const { professionalId, mobilityId, filledOn } = command;
        return [{ type: 'VacancyFilled', data: { ...postOf(v), professionalId, ...(mobilityId !== undefined && { mobilityId }), filledOn } }];
      }
      case 'CancelVacancy': {
        const v = existing(state);
        refuseInvalid([
          ...(command.reason.trim() === '' ? [{ field: 'reason', description: 'is required: say why the post is no longer open' }] : []),
          ...dateViolation('cancelledOn', command.cancelledOn),
        ]);
        if (v.status !== 'open') throw closed(v, 'cancel');
        return [{ type: 'VacancyCancelled', data: { ...postOf(v), reason: command.reason, cancelledOn: command.cancelledOn } }];
      }
    }
  },

  evolve(state, event): VacancyState {
    if (event.type === 'VacancyPosted') return { exists: true, ...event.data, status: 'open' };
    if (!state.exists) return state;
    switch (event.type) {
      case 'VacancyFilled': {
        const { professionalId, mobilityId, filledOn } = event.data;
        return { ...state, status: 'filled', filling: { professionalId, ...(mobilityId !== undefined && { mobilityId }), filledOn } };
      }
      case 'VacancyCancelled':
        return { ...state, status: 'cancelled', cancellation: { reason: event.data.reason, cancelledOn: event.data.cancelledOn } };
    }
  },
};
