/**
 * proto3 cannot tell an absent scalar from its zero value: these read a request's fields the way
 * the application expects its input, absent rather than empty.
 */

/** Drops undefined keys so that absent proto fields are absent inputs, not explicit undefineds. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An empty string is absent to the application. */
export const text = (s: string): string | undefined => (s === '' ? undefined : s);

/** Likewise 0 for the numbers that must be at least 1 (page sizes, limits, échelons, cents): absent, so a default applies or "is required" is reported. */
export const positive = (n: number): number | undefined => (n === 0 ? undefined : n);
