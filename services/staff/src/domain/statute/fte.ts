import { InvalidFteError } from './statute-errors';

/**
 * Full-time equivalent, in (0, 1]. It is carried as an integer number of ten-thousandths
 * (`0.8` → 8000) so that applying it to an amount is an exact integer operation: an FTE with more
 * than four decimals is refused rather than silently rounded.
 */
export const FTE_SCALE = 10_000;

export function fteToTenThousandths(fte: number): number {
  if (typeof fte !== 'number' || !Number.isFinite(fte)) throw new InvalidFteError(fte, 'FTE must be a finite number');
  if (fte <= 0 || fte > 1) throw new InvalidFteError(fte, 'FTE must be greater than 0 and at most 1');
  const scaled = Math.round(fte * FTE_SCALE);
  if (Math.abs(scaled - fte * FTE_SCALE) > 1e-6) throw new InvalidFteError(fte, 'FTE must have at most four decimals (e.g. 0.8, 0.5, 0.3333)');
  return scaled;
}
