/**
 * Outcome of validating an identifier received at the edge (gRPC, REST, Kafka payload).
 *
 * `reason` is one human sentence meant to go straight into a field violation
 * (`google.rpc.BadRequest.FieldViolation.description`, RFC 9457 `invalid-params[].reason`).
 */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function valid<T>(value: T): Validation<T> {
  return { ok: true, value };
}

export function invalid<T = never>(reason: string): Validation<T> {
  return { ok: false, reason };
}

/**
 * A string that has passed a validator. The brand exists only at compile time: at run time it is
 * the normalised string itself, so it serialises, compares and stores like any string.
 */
export type Branded<Brand extends string> = string & { readonly __brand: Brand };

/** Describes a value that is not a string, for the "must be a string" reasons. */
export function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}

/** Removes every kind of whitespace, including the no-break spaces that copy-paste brings along. */
export function stripWhitespace(input: string): string {
  return input.replace(/\s+/gu, '');
}
