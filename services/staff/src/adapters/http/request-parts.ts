import type { Request, Response } from 'express';
import { commandContext, grantOf, optionalIfMatch, setEtag } from '@pcn/http';
import type { WriteOptions } from '../../application/write-options';

/** Writes on an existing resource: If-Match is optional; with it, a stale version answers 412. */
export function writeOptions(req: Request): WriteOptions {
  const expectedVersion = optionalIfMatch(req);
  const identity = grantOf(req)?.identity;
  return {
    ...(expectedVersion !== undefined && { expectedVersion }),
    context: commandContext(req),
    ...(identity?.role === 'professional' && { actingProfessionalId: identity.subject }),
  };
}

/** A single resource, with its version as the ETag. */
export function sendVersioned(res: Response, view: { readonly version: number }, status = 200): void {
  setEtag(res, view.version);
  res.status(status).json(view);
}

/** A resource just created: 201, where to read it, and its version. */
export function sendCreated(req: Request, res: Response, path: string, view: { readonly version: number }): void {
  res.setHeader('Location', `${req.baseUrl}${path}`);
  sendVersioned(res, view, 201);
}
