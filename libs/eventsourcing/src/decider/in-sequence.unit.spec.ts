import { fold, inSequence } from './decider';
import { PreconditionFailedError } from '../errors';
import { counterDecider } from '../testing';

describe('inSequence', () => {
  const sequence = inSequence(counterDecider);

  it('decides each command on the state the previous ones leave, and returns all the events', () => {
    const events = sequence.decide(
      [
        { type: 'Increment', by: 2 },
        { type: 'Decrement', by: 2 },
      ],
      sequence.initialState(),
    );
    // The decrement is only allowed because the increment before it was applied first.
    expect(events.map((e) => e.type)).toEqual(['Incremented', 'Decremented']);
    expect(fold(counterDecider, events)).toEqual({ value: 0 });
  });

  it('refuses the whole when one command is refused', () => {
    expect(() =>
      sequence.decide(
        [
          { type: 'Increment', by: 1 },
          { type: 'Decrement', by: 2 },
        ],
        sequence.initialState(),
      ),
    ).toThrow(PreconditionFailedError);
  });
});
