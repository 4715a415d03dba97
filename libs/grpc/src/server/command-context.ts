import type { CommandContext } from '@pcn/eventsourcing';
import { checkIdempotencyKey } from '@pcn/validation';
import type { CallContext } from './call-context';

/** The metadata key a client sets so a retried write is recognised and not applied twice. */
export const IDEMPOTENCY_KEY_METADATA = 'idempotency-key';

/**
 * Who calls, the call's cancellation, and the idempotency key for a command. A key that REST
 * would refuse (over 128 characters, other characters than letters, digits and . _ : -) is
 * refused here too, never cut: a cut key could match another request's.
 */
export function commandContextOf(ctx: CallContext): CommandContext {
  const key = ctx.metadata.get(IDEMPOTENCY_KEY_METADATA)[0];
  return {
    actor: ctx.actor,
    signal: ctx.signal,
    ...(typeof key === 'string' && key !== '' && { idempotencyKey: checkIdempotencyKey(key, IDEMPOTENCY_KEY_METADATA) }),
  };
}
