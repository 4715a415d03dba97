import { ValidationError } from '@pcn/eventsourcing';

/** Keyset pagination: the token carries the last key of the page, opaque to clients. */
export function encodePageToken(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(['after', ...key])).toString('base64url');
}

export function decodePageToken(token: string, arity: number): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString());
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded[0] !== 'after' || decoded.length !== arity + 1 || !decoded.every((k) => typeof k === 'string')) {
    throw ValidationError.field('pageToken', 'is not a token returned by a previous page');
  }
  return decoded.slice(1) as string[];
}
