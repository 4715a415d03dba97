import type { Request } from 'express';
import type { CommandContext } from '@pcn/eventsourcing';
import { actorOf } from '@pcn/auth';
import { checkIdempotencyKey } from '@pcn/validation';
import { grantOf } from './access-middleware';

/**
 * Who is calling and the causal chain. The actor is the identity the access middleware verified
 * (recorded in every event's metadata); an `X-PCN-Actor` header is ignored.
 */
export function commandContext(req: Request): CommandContext {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey !== undefined) checkIdempotencyKey(idempotencyKey, 'Idempotency-Key');
  const correlationId = req.get('X-Correlation-Id');
  return {
    actor: actorOfRequest(req),
    ...(idempotencyKey && { idempotencyKey }),
    ...(correlationId && { correlationId: correlationId.slice(0, 200) }),
  };
}

/** The verified actor of a request (`role:subject`), or `anonymous` on an app without an access gate. */
export function actorOfRequest(req: Request): string {
  const grant = grantOf(req);
  return grant ? actorOf(grant.identity) : 'anonymous';
}
