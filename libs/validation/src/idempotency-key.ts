import { ValidationError } from '@pcn/eventsourcing';

/** What an idempotency key may be, on REST (`Idempotency-Key`) and gRPC (`idempotency-key`) alike. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const IDEMPOTENCY_KEY_RULE = 'must be 1 to 128 characters among letters, digits and . _ : -';

/** The key when valid; a key that is not is refused, never cut or cleaned (the retry would then not match). */
export function checkIdempotencyKey(key: string, field: string): string {
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw ValidationError.field(field, IDEMPOTENCY_KEY_RULE);
  return key;
}
