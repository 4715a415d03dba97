import { type Deadline, Metadata, status as Status } from '@grpc/grpc-js';
import { actorOf as actorOfIdentity, type AccessGate, type Grant } from '@pcn/auth';
import { context, isSpanContextValid, trace, type Tracer } from '@opentelemetry/api';
import type { ValidationError } from '@pcn/eventsourcing';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type GrpcErrorStatus, toGrpcError } from '../errors/to-grpc-error';
import { statusName } from '../status-name';
import { ANONYMOUS_ACTOR, type CallContext, deadlineOf } from './call-context';
import { admitGrpcCall } from './grpc-access';
import { parseMethodPath } from './method-path';
import { grpcServerMetrics, type GrpcServerMetrics } from './metrics';
import { endServerSpan, startServerSpan, TRACER_NAME } from './tracing';

export interface UnaryOptions {
  /** Receives one line per call. */
  readonly logger: Logger;
  /** Receives grpc_server_handled_total and grpc_server_handling_seconds. */
  readonly registry: Registry;
  /** Defaults to the `@pcn/grpc` tracer of the global tracer provider. */
  readonly tracer?: Tracer;
  /**
   * Authenticates and authorises every call before its work (UNAUTHENTICATED, PERMISSION_DENIED).
   * The binary always sets it; only library and service tests that exercise handlers alone leave
   * it out, and their calls then act as `anonymous`.
   */
  readonly access?: AccessGate;
}

export const DEADLINE_EXCEEDED_MESSAGE = 'deadline exceeded';
export const CANCELLED_MESSAGE = 'call cancelled by the client';

// setTimeout fires at once for delays above 2^31-1 ms; a deadline that far away is no deadline.
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * The client's own deadline timer cancels the call at about the moment ours fires (the server's
 * deadline is the client's plus the request's transit): a cancellation that close to the deadline
 * is the deadline, not the client walking away, even when our timer runs late under load.
 */
const DEADLINE_RACE_MS = 50;

/** What every grpc-js server call (unary or streaming) offers the adapter. */
export interface ServerCallLike {
  readonly metadata: Metadata;
  readonly cancelled: boolean;
  getPath(): string;
  getDeadline(): Deadline;
  getPeer(): string;
  getAuthContext?(): { sslPeerCertificate?: import('node:tls').PeerCertificate };
  on(event: 'cancelled', listener: () => void): unknown;
  off(event: 'cancelled', listener: () => void): unknown;
}

export interface Outcome<Res> {
  readonly code: Status;
  readonly response?: Res;
  readonly error?: GrpcErrorStatus;
  /** What the handler threw, for the log and the span. */
  readonly cause?: unknown;
}

/** One call to serve: its work, how its outcome reaches grpc-js, and a refused request if any. */
export interface CallWork<Res> {
  /** A request the guarded deserializer refused (see request-guard.ts): the work never starts. */
  readonly refusal?: ValidationError | undefined;
  /** The request whose fields scope the access check (a client stream has none before its work). */
  readonly request?: unknown;
  run(ctx: CallContext): Promise<Res>;
  answer(outcome: Outcome<Res>): void;
}

/** Serves calls of one adapter; its metrics are registered at once, so they are listed before the first call. */
export type CallServer = <Res>(call: ServerCallLike, work: CallWork<Res>) => void;

/**
 * The life of one call, whatever its shape. It joins the caller's trace, refuses to start once
 * the deadline has passed, aborts `ctx.signal` and answers DEADLINE_EXCEEDED when the deadline
 * passes (or CANCELLED when the client goes away) while the work runs, maps thrown errors with
 * `toGrpcError`, and records one log line, the metrics and a span.
 */
export function callServer(options: UnaryOptions): CallServer {
  const metrics = grpcServerMetrics(options.registry);
  return (call, work) => serveCall(call, options, metrics, work);
}

function serveCall<Res>(call: ServerCallLike, options: UnaryOptions, metrics: GrpcServerMetrics, work: CallWork<Res>): void {
  const startedAt = performance.now();
  const name = parseMethodPath(call.getPath());
  const deadline = deadlineOf(call.getDeadline());
  let actor = ANONYMOUS_ACTOR;
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const { span, context: callContext } = startServerSpan(tracer, call.metadata, name);
  const spanContext = span.spanContext();
  const traceId = isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  const logger = options.logger.child({
    grpc_service: name.service,
    grpc_method: name.method,
    ...(traceId === undefined ? {} : { trace_id: traceId }),
  });
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let settled = false;

  const finish = (outcome: Outcome<Res>): void => {
    // The first outcome wins: work finishing after its deadline is not answered twice.
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    call.off('cancelled', onCancelled);
    work.answer(outcome.code === Status.OK ? outcome : { ...outcome, error: outcome.error ?? plainError(outcome.code, statusName(outcome.code)) });

    const seconds = (performance.now() - startedAt) / 1000;
    const labels = { grpc_service: name.service, grpc_method: name.method };
    metrics.handled.inc({ ...labels, grpc_code: statusName(outcome.code) });
    metrics.handlingSeconds.observe(labels, seconds);
    const message = outcome.error?.details ?? '';
    endServerSpan(span, outcome.code, message, outcome.cause);
    logCall(logger, outcome, { actor, durationMs: seconds * 1000, message });
  };

  const deadlineExceeded = (): void => {
    controller.abort(new DOMException(DEADLINE_EXCEEDED_MESSAGE, 'TimeoutError'));
    finish({ code: Status.DEADLINE_EXCEEDED, error: plainError(Status.DEADLINE_EXCEEDED, DEADLINE_EXCEEDED_MESSAGE) });
  };

  function onCancelled(): void {
    // grpc-js ends the call itself when the deadline passes; that is not the client's doing.
    if (deadline !== undefined && Date.now() >= deadline.getTime() - DEADLINE_RACE_MS) return deadlineExceeded();
    controller.abort(new DOMException(CANCELLED_MESSAGE, 'AbortError'));
    finish({ code: Status.CANCELLED, error: plainError(Status.CANCELLED, CANCELLED_MESSAGE) });
  }

  if (call.cancelled) return onCancelled();
  const remainingMs = deadline === undefined ? Infinity : deadline.getTime() - Date.now();
  if (remainingMs <= 0) return deadlineExceeded();
  if (remainingMs <= MAX_TIMER_MS) timer = setTimeout(deadlineExceeded, remainingMs);
  call.on('cancelled', onCancelled);

  const contextOf = (grant: Grant | undefined): CallContext => ({
    metadata: call.metadata,
    deadline,
    signal: controller.signal,
    actor,
    grant,
    traceId,
    service: name.service,
    method: name.method,
    logger,
  });
  const admit = async (): Promise<Grant | undefined> => {
    if (!options.access) return undefined;
    const grant = await admitGrpcCall(options.access, call, work.request, name.service, name.method);
    actor = actorOfIdentity(grant.identity);
    return grant;
  };
  // The gate first (who calls, and may they), then a request the guarded deserializer refused:
  // neither reaches the work. context.with makes the call's span the parent of whatever the work traces.
  admit()
    .then((grant) => {
      if (work.refusal) throw work.refusal;
      return context.with(callContext, () => work.run(contextOf(grant)));
    })
    .then(
      (response) => finish({ code: Status.OK, response }),
      (cause: unknown) => {
        const error = toGrpcError(cause);
        finish({ code: error.code, error, cause });
      },
    );
}

export function plainError(code: Status, details: string): GrpcErrorStatus {
  return { code, details, metadata: new Metadata() };
}

// Faults of the server are errors; a deadline or quota hit is worth a look; the rest
// (including domain refusals) is the normal life of an API.
function levelOf(code: Status): 'error' | 'warn' | 'info' {
  switch (code) {
    case Status.UNKNOWN:
    case Status.INTERNAL:
    case Status.UNIMPLEMENTED:
    case Status.UNAVAILABLE:
    case Status.DATA_LOSS:
      return 'error';
    case Status.DEADLINE_EXCEEDED:
    case Status.RESOURCE_EXHAUSTED:
      return 'warn';
    default:
      return 'info';
  }
}

function logCall<Res>(logger: Logger, outcome: Outcome<Res>, fields: { actor: string; durationMs: number; message: string }): void {
  const level = levelOf(outcome.code);
  logger[level](
    {
      grpc_code: statusName(outcome.code),
      duration_ms: Math.round(fields.durationMs * 1000) / 1000,
      actor: fields.actor,
      ...(outcome.code === Status.OK ? {} : { grpc_message: fields.message }),
      // The cause of a server fault is only in the log: the caller got a generic message.
      ...(level === 'error' && outcome.cause !== undefined ? { err: outcome.cause } : {}),
    },
    'grpc call',
  );
}
