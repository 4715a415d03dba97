import { rppsCheckDigit, rppsToIdNatPs, validateRpps } from './rpps';

describe('validateRpps', () => {
  it('accepts a real RPPS number quoted in public RPPS client documentation (10005173140)', () => {
    expect(validateRpps('10005173140')).toEqual({ ok: true, value: '10005173140' });
  });

  it('accepts numbers built by hand from their first 10 digits', () => {
    // 1000000000: only the leftmost 1 is not doubled (10 digits, the rightmost is doubled),
    // every other digit is 0: sum 1, key 9.
    expect(validateRpps('10000000009')).toEqual({ ok: true, value: '10000000009' });
    // 1010120123, from the right: doubled 3→6, 1→2, 2→4, 0→0, 0→0 (sum 12);
    // kept 2, 0, 1, 1, 1 (sum 5); total 17, key 3.
    expect(rppsCheckDigit('1010120123')).toBe(3);
    expect(validateRpps('10101201233')).toEqual({ ok: true, value: '10101201233' });
  });

  it('accepts the 12-character national identifier 8 + RPPS and returns the RPPS number', () => {
    expect(validateRpps('810005173140')).toEqual({ ok: true, value: '10005173140' });
  });

  it('ignores whitespace', () => {
    expect(validateRpps(' 100 0517 3140\t')).toEqual({ ok: true, value: '10005173140' });
  });

  it.each([
    [10005173140, 'RPPS must be a string, got number'],
    [null, 'RPPS must be a string, got null'],
    ['', 'RPPS is empty'],
    ['10005173141', 'RPPS check digit is 1, expected 0'],
    ['810005173141', 'RPPS check digit is 1, expected 0'],
    ['1000517314', 'RPPS must be 11 digits (or 12 characters as 8 + RPPS), got 10'],
    ['1000517314000', 'RPPS must be 11 digits (or 12 characters as 8 + RPPS), got 13'],
    ['0751234567', 'RPPS must be 11 digits, got 10; a 10-character identifier starting with 0 is ADELI-based (0 + ADELI), not an RPPS'],
    ['910005173140', "A 12-character national identifier must be 8 followed by the RPPS number, got first character '9'"],
    ['1000517314A', "RPPS must contain only digits, found 'A' at position 11"],
    ['81000517314A', "RPPS must contain only digits, found 'A' at position 12"],
  ])('refuses %p: %s', (input, reason) => {
    expect(validateRpps(input)).toEqual({ ok: false, reason });
  });
});

describe('rppsToIdNatPs', () => {
  it('prefixes the RPPS number with 8', () => {
    const rpps = validateRpps('10005173140');
    if (!rpps.ok) throw new Error(rpps.reason);
    expect(rppsToIdNatPs(rpps.value)).toBe('810005173140');
  });
});

describe('rppsCheckDigit', () => {
  it('refuses a payload that is not 10 digits', () => {
    expect(() => rppsCheckDigit('100051731')).toThrow(RangeError);
    expect(() => rppsCheckDigit('100051731A')).toThrow(RangeError);
  });
});
