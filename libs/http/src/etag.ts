import type { Request, Response } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { echo } from '@pcn/validation';
import { HttpError, preconditionRequired } from './http-errors';

/** The ETag of a resource is its stream revision: a strong validator. */
export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

/** The version a write is based on, from If-Match (required: writes are optimistic). */
export function requireIfMatch(req: Request): number {
  const version = optionalIfMatch(req);
  if (version === undefined) throw preconditionRequired();
  return version;
}

/**
 * The version a write is based on when the caller states one: undefined without If-Match (the
 * write is then decided against the latest version); a malformed header is refused.
 */
export function optionalIfMatch(req: Request): number | undefined {
  const header = req.get('If-Match');
  if (!header) return undefined;
  // RFC 9110 §13.1.1: If-Match compares strongly, and a weak tag never matches strongly. The
  // header is well formed, its condition is false: 412, as for a stale version.
  if (/^\s*W\/"\d{1,15}"\s*$/.test(header)) throw weakIfMatch();
  const match = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (!match) throw ValidationError.field('If-Match', `must be one ETag as returned by a read, like "3"; got ${echo(header)}`);
  return Number(match[1]);
}

const weakIfMatch = (): HttpError =>
  new HttpError(
    412,
    'Precondition Failed',
    'If-Match never matches a weak entity tag (RFC 9110, section 13.1.1): send the strong ETag a read returned, like "3"',
  );
