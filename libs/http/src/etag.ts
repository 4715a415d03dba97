import type { Request, Response } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { preconditionRequired } from './http-errors';

/** The ETag of a resource is its stream revision: a strong validator. */
export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `"${version}"`);
}

/** The version a write is based on, from If-Match (required: writes are optimistic). */
export function requireIfMatch(req: Request): number {
  const header = req.get('If-Match');
  if (!header) throw preconditionRequired();
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) throw ValidationError.field('If-Match', `must be one ETag as returned by a read, like "3"; got ${header}`);
  return Number(match[1]);
}
