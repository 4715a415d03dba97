/**
 * Money is integer cents. Every division in the statute goes through `divideRoundHalfUp`, so a
 * rounding happens at a named step and nowhere else (see docs/statute/rounding.md).
 */
export type Cents = number;

/**
 * `numerator / denominator` rounded to the nearest integer, halves rounded up (away from zero:
 * all statute amounts are non-negative). Integer arithmetic only: both operands must be
 * non-negative safe integers and the denominator positive, so no binary-float error can move a
 * result across a half-cent boundary.
 */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || numerator < 0) throw new RangeError(`numerator must be a non-negative safe integer, got ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0) throw new RangeError(`denominator must be a positive safe integer, got ${denominator}`);
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}
