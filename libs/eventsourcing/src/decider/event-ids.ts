import { hash, randomUUID } from 'node:crypto';

/**
 * The one event-id scheme of a command (docs/adr/0021). A named command (a client's idempotency
 * key scoped to its primary stream, `<stream>:<key>`, or a process step's own name) gets ids
 * derived from the name, the stream and the index: a name-based UUID (RFC 9562 v5 layout over
 * SHA-1). A repeat of the command, by any path, appends the same ids and the store recognises
 * the replay instead of writing twice. An unnamed command gets random ids.
 */
export function commandEventIds(count: number, streamId: string, name?: string): string[] {
  return Array.from({ length: count }, (_, i) => (name ? commandEventId(name, streamId, i) : randomUUID()));
}

/** The id of the i-th event the command named `name` appends to `streamId`. */
export function commandEventId(name: string, streamId: string, index: number): string {
  return nameBasedUuid(`${name}:${streamId}:${index}`);
}

/**
 * The id the single-stream handler gave the i-th event of a named command before ADR 0021. Only
 * read, so that a client's retry across the upgrade is still recognised as a replay.
 */
export function legacyCommandEventId(name: string, index: number): string {
  return nameBasedUuid(`${name}#${index}`);
}

/**
 * RFC 9562 v5 layout over SHA-1 of `pcn-event:<name>`. The one-shot `hash` (hex) is about five
 * times cheaper than a `Hash` object per id, which a bulk import computes millions of times.
 */
export function nameBasedUuid(name: string): string {
  const hex = hash('sha1', `pcn-event:${name}`, 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
