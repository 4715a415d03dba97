import { addDays, wholeMonthsBetween } from './iso-date';

describe('day and month arithmetic', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('counts whole months the way addMonths adds them', () => {
    expect(wholeMonthsBetween('2026-01-31', '2026-02-28')).toBe(1);
    expect(wholeMonthsBetween('2026-01-31', '2026-02-27')).toBe(0);
    expect(wholeMonthsBetween('2026-01-05', '2028-07-05')).toBe(30);
    expect(wholeMonthsBetween('2026-03-01', '2026-01-01')).toBe(0);
  });
});
