import { PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import type { EndReason } from '../patient/patient-events';
import type { PanelCapacitySet, PanelPatientJoined, PanelPatientLeft } from './panel-events';
import type { PanelState } from './panel-state';

/** A declaration beyond a GP's capacity: carries the figures the caller is told. */
export class PanelFullError extends PreconditionFailedError {
  constructor(
    readonly rpps: string,
    readonly count: number,
    readonly capacity: number,
  ) {
    super(
      `the panel of GP ${rpps} is full: ${count} patients for a capacity of ${capacity}`,
      [{ type: 'PANEL_CAPACITY', subject: 'rpps', description: `count ${count}, capacity ${capacity}: the GP's panel has no room for another patient` }],
      { rpps, count, capacity },
    );
  }
}

export function joinPanel(
  state: PanelState,
  rpps: string,
  capacity: number,
  join: { patientId: string; attributionId: string; centreFiness: string; effectiveDate: IsoDate },
): PanelPatientJoined[] {
  if (state.size >= capacity) throw new PanelFullError(rpps, state.size, capacity);
  return [{ type: 'PanelPatientJoined', data: { rpps, ...join, size: state.size + 1 } }];
}

export function leavePanel(
  state: PanelState,
  rpps: string,
  leave: { patientId: string; attributionId: string; centreFiness: string; endDate: IsoDate; reason: EndReason | 'replaced' },
): PanelPatientLeft[] {
  return [{ type: 'PanelPatientLeft', data: { rpps, ...leave, size: Math.max(0, state.size - 1) } }];
}

/** Capacities above this are typing errors, not panels (a full-time GP follows a few thousand at most). */
export const MAX_CAPACITY = 10_000;

export function setPanelCapacity(state: PanelState, rpps: string, capacity: number | null, reason: string): PanelCapacitySet[] {
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_CAPACITY)) {
    throw ValidationError.field('capacity', `must be a whole number from 0 to ${MAX_CAPACITY}, got ${capacity}`);
  }
  if ((state.capacityOverride ?? null) === capacity) return [];
  return [{ type: 'PanelCapacitySet', data: { rpps, capacity, reason } }];
}
