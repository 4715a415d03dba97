import type { Request, RequestHandler } from 'express';
import type { AccessGate, Grant } from '@pcn/auth';
import { operationOf, type OperationResolver } from './operation-resolver';

const grants = new WeakMap<Request, Grant>();

/** What the access middleware let through for this request; undefined on an app without a gate. */
export function grantOf(req: Request): Grant | undefined {
  return grants.get(req);
}

/**
 * The one REST gate: authenticates every request that reaches it (401 without a valid bearer
 * token), names its operation with `resolve`, and checks the policy with the path parameters,
 * body fields and query parameters as the request's fields (403). A request naming no known
 * operation goes on to the 404 handler once authenticated.
 */
export function accessMiddleware(gate: AccessGate, resolve: OperationResolver): RequestHandler {
  return (req, res, next) => {
    const resolved = operationOf(resolve, req);
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const query = req.query as Record<string, unknown>;
    const fields = (name: string): string | undefined => {
      const value = resolved?.params[name] ?? body[name] ?? query[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const credentials = { authorization: req.get('authorization') };
    const origin = { from: req.socket.remoteAddress ?? '', transport: 'rest' as const };
    const admitted = resolved ? gate.admit(resolved.operation, credentials, fields, origin) : gate.authenticate(credentials).then(() => undefined);
    admitted.then(
      (grant) => {
        if (grant) grants.set(req, grant);
        next();
      },
      (error: unknown) => {
        if ((error as { kind?: string }).kind === 'unauthenticated') res.set('WWW-Authenticate', 'Bearer');
        next(error);
      },
    );
  };
}
