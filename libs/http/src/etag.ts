import type { Request, Response } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { preconditionRequired } from './http-errors';

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
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) throw ValidationError.field('If-Match', `must be one ETag as returned by a read, like "3"; got ${header}`);
  return Number(match[1]);
}
