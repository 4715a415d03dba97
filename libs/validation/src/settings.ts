import { z } from 'zod';

/**
 * A duration setting read from the environment: whole milliseconds from 0 to `max`, coerced from
 * text, `fallback` when unset. `beyondMax` says why a larger value is refused.
 */
export const millisecondsSetting = (max: number, fallback: number, beyondMax?: string) =>
  z.coerce.number().int('must be a whole number of milliseconds').min(0).max(max, beyondMax).default(fallback);
