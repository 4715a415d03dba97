import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';

/** Metadata key carrying who acts (set by the caller's gateway or client). */
export const ACTOR_METADATA_KEY = 'x-pcn-actor';

/** Actor of calls that do not say who they act for. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** What a handler knows about the call it serves, besides the request. */
export interface CallContext {
  readonly metadata: Metadata;
  /** When the caller stops waiting; undefined when it set no deadline. */
  readonly deadline: Date | undefined;
  /**
   * Aborted when the deadline passes, the client cancels or the server shuts down: pass it to
   * I/O so abandoned work stops. Its `reason` is a DOMException named `TimeoutError` for a
   * deadline and `AbortError` for a cancellation.
   */
  readonly signal: AbortSignal;
  /** Value of `x-pcn-actor`, or `anonymous`. */
  readonly actor: string;
  /** Trace of the call (W3C trace id); undefined when tracing is not set up. */
  readonly traceId: string | undefined;
  readonly service: string;
  readonly method: string;
  /** The adapter's logger with the call's `trace_id`, `grpc_service` and `grpc_method`. */
  readonly logger: Logger;
}

/** Longest actor recorded, as over REST: the value is caller-written until authentication exists. */
export const MAX_ACTOR_LENGTH = 200;

export function actorOf(metadata: Metadata): string {
  const value = metadata.get(ACTOR_METADATA_KEY)[0];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_ACTOR_LENGTH) : ANONYMOUS_ACTOR;
}

/** grpc-js reports "no deadline" as Infinity and may give a Date or epoch milliseconds. */
export function deadlineOf(deadline: Date | number): Date | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
