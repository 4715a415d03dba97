import { digitsOf, luhnCheckDigit } from './luhn';

describe('luhnCheckDigit', () => {
  it('gives 3 for the textbook payload 7992739871', () => {
    // From the right: 1→2, 7, 8→16→7, 9, 3→6, 7, 2→4, 9, 9→18→9, 7: sum 67, so 3 makes 70.
    expect(luhnCheckDigit(digitsOf('7992739871'))).toBe(3);
  });

  it('gives 0 for an all-zero payload and for an empty one', () => {
    expect(luhnCheckDigit(digitsOf('00000000'))).toBe(0);
    expect(luhnCheckDigit([])).toBe(0);
  });

  it('doubles the rightmost payload digit', () => {
    // 5 doubled is 10 → 1; 10 − 1 = 9.
    expect(luhnCheckDigit([5])).toBe(9);
    // 5 is not doubled when another digit follows: 0→0, 5: sum 5, key 5.
    expect(luhnCheckDigit([5, 0])).toBe(5);
  });

  it('rejects anything but digits 0-9', () => {
    expect(() => luhnCheckDigit([1, 10])).toThrow(RangeError);
    expect(() => luhnCheckDigit([1, -1])).toThrow(RangeError);
    expect(() => luhnCheckDigit([1.5])).toThrow(RangeError);
  });
});
