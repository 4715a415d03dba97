import { z } from 'zod';
import { parseInput } from './parse-input';
import { isoDate } from './fields';

describe('isoDate', () => {
  const schema = z.strictObject({ on: isoDate });

  it('accepts a calendar day', () => expect(parseInput(schema, { on: '2028-02-29' })).toEqual({ on: '2028-02-29' }));

  it('reports a malformed date once, and an impossible day as such', () => {
    expect(() => parseInput(schema, { on: 'soon' })).toThrow(
      expect.objectContaining({ violations: [{ field: 'on', description: 'must be a date written YYYY-MM-DD' }] }),
    );
    expect(() => parseInput(schema, { on: '2027-02-29' })).toThrow(
      expect.objectContaining({ violations: [{ field: 'on', description: 'is not a calendar date' }] }),
    );
  });
});
