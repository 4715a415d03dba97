import type { CommandContext, HandleOptions } from '@pcn/eventsourcing';

/**
 * Writes may say which version they are based on: then a stale version is refused
 * (ABORTED / 409). Without one, the command is decided again on a conflict, and the domain's
 * invariants (FTE limit, lifecycle) are checked against the latest state (docs/adr/0021).
 */
export interface WriteOptions {
  readonly expectedVersion?: number;
  readonly context?: CommandContext;
}

/** The handler's options for a write: the stated version, if any, and who asked. */
export function writeOptions(options: WriteOptions): HandleOptions {
  return { ...(options.expectedVersion !== undefined && { expectedRevision: options.expectedVersion }), ...(options.context && { context: options.context }) };
}
