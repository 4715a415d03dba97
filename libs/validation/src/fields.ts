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

/** A calendar day written YYYY-MM-DD (2023-02-30 is refused). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD', abort: true })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a calendar date');

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
