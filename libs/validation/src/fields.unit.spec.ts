import { z } from 'zod';
import { parseInput } from './parse-input';
import { isCalendarDay, isoDate } from './fields';

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

describe('isCalendarDay', () => {
  /** What the Date round trip it replaced answered. */
  const byDate = (s: string): boolean => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  };

  it('given the leap-year rules, then 29 February exists only in leap years (every fourth, not centuries, but every fourth century)', () => {
    expect(['2024-02-29', '2000-02-29', '1600-02-29', '0000-02-29'].map(isCalendarDay)).toEqual([true, true, true, true]);
    expect(['2023-02-29', '1900-02-29', '2100-02-29', '2024-02-30'].map(isCalendarDay)).toEqual([false, false, false, false]);
  });

  it('given months and days out of range, then they are refused', () => {
    expect(['2024-00-10', '2024-13-01', '2024-04-31', '2024-01-00', '2024-01-32'].map(isCalendarDay)).toEqual([false, false, false, false, false]);
    expect(['2024-04-30', '2024-12-31', '9999-12-31', '0001-01-01'].map(isCalendarDay)).toEqual([true, true, true, true]);
  });

  it('given every day shape of four centuries and 13 months, then it answers as the Date round trip did', () => {
    for (let year = 1800; year < 2200; year += 7) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const s = `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect([s, isCalendarDay(s)]).toEqual([s, byDate(s)]);
        }
      }
    }
  });
});
