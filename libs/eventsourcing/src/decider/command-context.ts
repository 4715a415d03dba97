/** Who asked, and the causal chain a command belongs to: copied into every event's metadata. */
export interface CommandContext {
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Makes a retried command a no-op instead of a second write. */
  readonly idempotencyKey?: string;
  /** Stops work that nobody waits for any more (gRPC deadline, client gone). */
  readonly signal?: AbortSignal;
}
