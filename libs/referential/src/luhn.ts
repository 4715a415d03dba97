/**
 * Luhn (mod 10, "double-add-double") check digit, as specified in ISO/IEC 7812-1 annex B.
 *
 * Working from the rightmost digit of the payload leftwards, every other digit starting with the
 * rightmost one is doubled (9 is subtracted when the double exceeds 9); the check digit is what
 * brings the sum to a multiple of 10.
 */
export function luhnCheckDigit(payload: readonly number[]): number {
  let sum = 0;
  for (let i = payload.length - 1, doubled = true; i >= 0; i--, doubled = !doubled) {
    const digit = payload[i]!;
    if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
      throw new RangeError(`Luhn payload must hold digits 0-9, got ${digit} at index ${i}`);
    }
    const term = doubled ? digit * 2 : digit;
    sum += term > 9 ? term - 9 : term;
  }
  return (10 - (sum % 10)) % 10;
}

/** Digits of a string made only of 0-9 characters (callers check the characters first). */
export function digitsOf(text: string): number[] {
  const digits: number[] = [];
  for (let i = 0; i < text.length; i++) digits.push(text.charCodeAt(i) - 48);
  return digits;
}
