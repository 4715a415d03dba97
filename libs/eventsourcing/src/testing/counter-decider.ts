import type { Decider } from '../decider/decider';
import { PreconditionFailedError } from '../errors';

/** A tiny domain for the kit's own tests: a counter that cannot go below zero. */
export type CounterEvent = { type: 'Incremented'; data: { by: number } } | { type: 'Decremented'; data: { by: number } };
export type CounterCommand = { type: 'Increment'; by: number } | { type: 'Decrement'; by: number };
export interface CounterState {
  readonly value: number;
}

export const counterDecider: Decider<CounterCommand, CounterState, CounterEvent> = {
  initialState: () => ({ value: 0 }),
  decide(command, state) {
    if (command.type === 'Increment') return [{ type: 'Incremented', data: { by: command.by } }];
    if (state.value - command.by < 0) throw new PreconditionFailedError(`cannot go below zero from ${state.value}`);
    return [{ type: 'Decremented', data: { by: command.by } }];
  },
  evolve(state, event) {
    return { value: state.value + (event.type === 'Incremented' ? event.data.by : -event.data.by) };
  },
};
