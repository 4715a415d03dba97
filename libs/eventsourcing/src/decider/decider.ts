/** A domain event as the domain sees it: a past-tense fact and its business data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * The decider pattern: all domain logic is two pure functions and an initial state.
 * `decide` throws a DomainError to refuse a command; it never performs I/O.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/**
 * Several commands decided as one, each on the state the previous ones leave: the events of all
 * of them are appended together or not at all. A refusal of any command refuses the whole.
 */
export function inSequence<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>): Decider<readonly Command[], State, Event> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide(commands, state) {
      const events: Event[] = [];
      let current = state;
      for (const command of commands) {
        const decided = decider.decide(command, current);
        events.push(...decided);
        current = decided.reduce(decider.evolve, current);
      }
      return events;
    },
  };
}
