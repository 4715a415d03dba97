import { createHash, randomUUID } from 'node:crypto';

/**
 * Event ids for a command. With an idempotency key, the ids are derived from it (a name-based
 * UUID, RFC 9562 v5 layout over SHA-1), so a retried command re-appends the same ids and the
 * store recognises the replay instead of writing twice.
 */
export function eventIds(count: number, idempotencyKey?: string): string[] {
  return Array.from({ length: count }, (_, i) => (idempotencyKey ? idempotentEventId(idempotencyKey, i) : randomUUID()));
}

/** The id of the i-th event appended by the command with this idempotency key. */
export function idempotentEventId(idempotencyKey: string, index: number): string {
  return nameBasedUuid(`${idempotencyKey}#${index}`);
}

export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update('pcn-event:').update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
