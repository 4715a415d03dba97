import type { Decider, DomainEvent } from '../decider/decider';

/**
 * Given/when/then for deciders, without I/O:
 * `spec(decider).given([...events]).when(command).then([...expected])` or `.thenThrows(...)`.
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = (): readonly E[] => decider.decide(command, state);
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(matcher: object | (new (...args: never[]) => Error)): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeDefined();
              if (typeof matcher === 'function') expect(thrown).toBeInstanceOf(matcher);
              else expect(thrown).toMatchObject(matcher);
            },
          };
        },
      };
    },
  };
}
