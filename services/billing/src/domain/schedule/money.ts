/**
 * Money is integer cents; weights are integer ten-thousandths (`1.1` → 11000). The only division
 * of the computation is `divideRoundHalfAwayFromZero`, applied once per patient line.
 */
export type Cents = number;
/** A decimal with at most four places, as an integer number of ten-thousandths. */
export type Weight = number;
export const WEIGHT_SCALE = 10_000;
export const WEIGHT_ONE: Weight = WEIGHT_SCALE;

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from zero. Both must be
 * safe integers (the denominator positive): the quotient is estimated in floating point, then
 * corrected with the exact integer remainder, so the result is exact for every safe input.
 */
export function divideRoundHalfAwayFromZero(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator)) throw new RangeError(`numerator must be a safe integer, got ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0) throw new RangeError(`denominator must be a positive safe integer, got ${denominator}`);
  const magnitude = Math.abs(numerator);
  let quotient = Math.floor(magnitude / denominator);
  let remainder = magnitude - quotient * denominator;
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  const rounded = remainder * 2 >= denominator ? quotient + 1 : quotient;
  return numerator < 0 ? -rounded : rounded;
}

/** The same rounding on BigInt: the reference the fast path is tested against. */
export function divideRoundHalfAwayFromZeroBig(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError(`denominator must be positive, got ${denominator}`);
  const magnitude = numerator < 0n ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const rounded = (magnitude % denominator) * 2n >= denominator ? quotient + 1n : quotient;
  return numerator < 0n ? -rounded : rounded;
}

const DECIMAL = /^(\d+)(?:\.(\d{1,4}))?$/;

/** Parses `"1.1"`, `"1.0500"` or `1.25` into ten-thousandths; undefined when not a decimal with ≤ 4 places. */
export function parseWeight(value: unknown): Weight | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * WEIGHT_SCALE + Number((m[2] ?? '').padEnd(4, '0'));
}

export function formatWeight(weight: Weight): string {
  return `${Math.floor(weight / WEIGHT_SCALE)}.${String(weight % WEIGHT_SCALE).padStart(4, '0')}`;
}

export function formatEuros(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
