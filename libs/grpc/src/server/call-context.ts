import type { Metadata } from '@grpc/grpc-js';
import type { Grant } from '@pcn/auth';
import type { Logger } from 'pino';

/** Metadata key callers used to write their actor in: ignored since authentication (see ADR 0024). */
export const ACTOR_METADATA_KEY = 'x-pcn-actor';

/** Actor of calls served without an access gate (library tests only: the binary always has one). */
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
  /** The verified identity (`role:subject`), recorded in event metadata; `anonymous` without an access gate. */
  readonly actor: string;
  /** What the access gate let through; undefined without a gate. */
  readonly grant: Grant | undefined;
  /** Trace of the call (W3C trace id); undefined when tracing is not set up. */
  readonly traceId: string | undefined;
  readonly service: string;
  readonly method: string;
  /** The adapter's logger with the call's `trace_id`, `grpc_service` and `grpc_method`. */
  readonly logger: Logger;
}

/** grpc-js reports "no deadline" as Infinity and may give a Date or epoch milliseconds. */
export function deadlineOf(deadline: Date | number): Date | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
