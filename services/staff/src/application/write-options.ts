import type { CommandContext } from '@pcn/eventsourcing';

/**
 * Writes may say which version they are based on: then a stale version is refused
 * (ABORTED / 409). Without one, the command is decided again on a conflict, and the domain's
 * invariants (FTE limit, lifecycle) are checked against the latest state.
 */
export interface WriteOptions {
  readonly expectedVersion?: number;
  readonly context?: CommandContext;
}

/** Scopes a client's idempotency key to the stream it writes, so two streams never share event ids. */
export function scopedContext(streamId: string, context: CommandContext = {}): CommandContext {
  return context.idempotencyKey ? { ...context, idempotencyKey: `${streamId}:${context.idempotencyKey}` } : context;
}
