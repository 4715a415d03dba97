import type { CommandContext, CommandHandler, DomainEvent, HandleResult } from '@pcn/eventsourcing';
import type { Clock } from './ports';

/**
 * Writes may say which version they are based on: then a stale version is refused
 * (ABORTED / 409). Without one, the command is decided again on a conflict, and the domain's
 * invariants (FTE limit, lifecycle) are checked against the latest state.
 */
export interface WriteOptions {
  readonly expectedVersion?: number;
  readonly context?: CommandContext;
  /** The professional id of a caller acting as a professional (their verified identity), for the writes only they may make. */
  readonly actingProfessionalId?: string;
}

/** Scopes a client's idempotency key to the stream it writes, so two streams never share event ids. */
export function scopedContext(streamId: string, context: CommandContext = {}): CommandContext {
  return context.idempotencyKey ? { ...context, idempotencyKey: `${streamId}:${context.idempotencyKey}` } : context;
}

export interface StreamWriteDeps {
  readonly clock: Clock;
  readonly readModel: { waitFor(position: number, timeoutMs: number): Promise<void> };
  /** How long a write waits for the read model before answering anyway. */
  readonly readModelWaitMs?: number;
}

/**
 * Decides and appends a command the way every staff write does (a stated version checked, else
 * decided again on conflict; the idempotency key scoped to the stream), then lets the read model
 * catch up for a bounded time so the lists show the write. The write stands either way.
 */
export async function writeStream<C, S, E extends DomainEvent>(
  handler: CommandHandler<C, S, E>,
  streamId: string,
  command: C,
  options: WriteOptions,
  deps: StreamWriteDeps,
): Promise<HandleResult<S, E>> {
  const result = await handler.handle(streamId, command, {
    ...(options.expectedVersion === undefined ? { retryOnConflict: true } : { expectedRevision: options.expectedVersion }),
    context: scopedContext(streamId, options.context),
    occurredAt: deps.clock.now(),
  });
  if (result.lastPosition !== undefined) await deps.readModel.waitFor(result.lastPosition, deps.readModelWaitMs ?? 5000).catch(() => undefined);
  return result;
}
