import type { Request } from 'express';
import { ValidationError, type CommandContext } from '@pcn/eventsourcing';

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Who is calling and the causal chain, from headers. Authentication is not in place yet: the
 * actor is what the caller declares in `X-PCN-Actor` (recorded in every event's metadata).
 */
export function commandContext(req: Request): CommandContext {
  const idempotencyKey = req.get('Idempotency-Key');
  if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
    throw ValidationError.field('Idempotency-Key', 'must be 1 to 128 characters among letters, digits and . _ : -');
  }
  const correlationId = req.get('X-Correlation-Id');
  return {
    actor: req.get('X-PCN-Actor')?.slice(0, 200) || 'anonymous',
    ...(idempotencyKey && { idempotencyKey }),
    ...(correlationId && { correlationId: correlationId.slice(0, 200) }),
  };
}
