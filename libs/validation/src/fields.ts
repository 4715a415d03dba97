import { z } from 'zod';
import { textDefect } from './safe-text';

import { MAX_INPUT_STRING } from './field-guard';

/** Longest string any field takes unless its own helper says less: ids, codes and tokens are far shorter. */
export const MAX_STRING = MAX_INPUT_STRING;

/**
 * A string of at most `max` characters that the stores can keep (no NUL, no lone surrogate).
 * Every string field of every input schema is built from this (directly or through `text`,
 * `isoDate`, `identifier`): there is no unbounded string in an input.
 */
export const str = (max: number = MAX_STRING, shown: number = max) =>
  z
    .string()
    .max(max, { error: `must be at most ${shown} characters`, abort: true })
    .superRefine((s, ctx) => {
      const defect = textDefect(s);
      if (defect) ctx.addIssue({ code: 'custom', message: defect, abort: true });
    });

/** Trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) =>
  // Bounded before trimming too: surrounding blanks are forgiven, megabytes of them are not.
  str(max * 4, max)
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** An identifier matching `pattern` (which bounds its length), described to the caller as `what`. */
export const identifier = (pattern: RegExp, what: string) => str(200).regex(pattern, `must be ${what}`);

/** A UUID, as the services mint their resources' ids. */
export const uuid = (what: string) => str(36).pipe(z.uuid(`must be ${what} (a UUID)`));

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Whether `YYYY-MM-DD` (already of that shape) names a day of the proleptic Gregorian calendar.
 * Arithmetic, not a `Date` round trip: a tenth of the cost, and every date of every input and
 * import line goes through it.
 */
export function isCalendarDay(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** A calendar day written YYYY-MM-DD (2023-02-30 is refused). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD', abort: true })
  .refine(isCalendarDay, 'is not a calendar date');

/**
 * Page size of a list: 1 to `max`, `fallback` when absent. A query parameter is text, so a
 * string of digits is read as its number; anything else that is not a number (true, "5 ") is refused.
 */
export const pageSize = (fallback: number, max: number) =>
  z
    .preprocess((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v), z.number().int('must be a whole number').min(1).max(max))
    .default(fallback);

/** A page token given back by a previous page. */
export const pageToken = str(200);
