import type { CommandContext } from '@pcn/eventsourcing';
import type { CallContext } from './call-context';

/** The metadata key a client sets so a retried write is recognised and not applied twice. */
export const IDEMPOTENCY_KEY_METADATA = 'idempotency-key';

/** Who calls, the call's cancellation, and the idempotency key (at most 128 characters) for a command. */
export function commandContextOf(ctx: CallContext): CommandContext {
  const key = ctx.metadata.get(IDEMPOTENCY_KEY_METADATA)[0];
  return {
    actor: ctx.actor,
    signal: ctx.signal,
    ...(typeof key === 'string' && key !== '' && { idempotencyKey: key.slice(0, 128) }),
  };
}
