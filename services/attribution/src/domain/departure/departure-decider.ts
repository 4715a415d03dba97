import type { Decider } from '@pcn/eventsourcing';
import type { Departure, DepartureHandled, DepartureRecorded } from './departure-events';

export type DepartureEvent = DepartureRecorded | DepartureHandled;

export type DepartureCommand =
  { readonly type: 'RecordDeparture'; readonly departure: Departure } | { readonly type: 'CompleteDeparture'; readonly outcome: DepartureHandled['data'] };

export interface DepartureState {
  readonly recorded: boolean;
  readonly handled: boolean;
}

/**
 * A departure's own stream: recorded once (the same departure told twice, by a redelivery or an
 * end moved earlier, is recorded once), handled once (a replay of the process after a crash
 * records its outcome once).
 */
export const departureDecider: Decider<DepartureCommand, DepartureState, DepartureEvent> = {
  initialState: () => ({ recorded: false, handled: false }),
  decide(command, state) {
    switch (command.type) {
      case 'RecordDeparture':
        return state.recorded ? [] : [{ type: 'DepartureRecorded', data: command.departure }];
      case 'CompleteDeparture':
        return state.handled ? [] : [{ type: 'DepartureHandled', data: command.outcome }];
    }
  },
  evolve: (state, event) => (event.type === 'DepartureRecorded' ? { ...state, recorded: true } : { ...state, handled: true }),
};
