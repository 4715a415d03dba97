import type { Request } from 'express';
import type { CommandContext } from '@pcn/eventsourcing';
import { checkIdempotencyKey } from '@pcn/validation';

/**
 * Who is calling and the causal chain, from headers. Authentication is not in place yet: the
 * actor is what the caller declares in `X-PCN-Actor` (recorded in every event's metadata).
 */
export function commandContext(req: Request): CommandContext {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey !== undefined) checkIdempotencyKey(idempotencyKey, 'Idempotency-Key');
  const correlationId = req.get('X-Correlation-Id');
  return {
    actor: req.get('X-PCN-Actor')?.slice(0, 200) || 'anonymous',
    ...(idempotencyKey && { idempotencyKey }),
    ...(correlationId && { correlationId: correlationId.slice(0, 200) }),
  };
}
