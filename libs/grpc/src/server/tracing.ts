import type { Metadata } from '@grpc/grpc-js';
import { type Context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, trace, type Tracer } from '@opentelemetry/api';
import { status as Status } from '@grpc/grpc-js';
import type { MethodName } from './method-path';

export const TRACER_NAME = '@pcn/grpc';

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key).filter((value): value is string => typeof value === 'string');
    return values.length === 0 ? undefined : values;
  },
};

/**
 * Starts the server span of a call as a child of the caller's trace (W3C `traceparent` in the
 * metadata, read by the globally registered propagator), following the OpenTelemetry RPC
 * conventions. Returns the context to run the handler in, so its own spans nest under this one.
 */
export function startServerSpan(tracer: Tracer, metadata: Metadata, name: MethodName): { span: Span; context: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
  const span = tracer.startSpan(
    `${name.service}/${name.method}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': name.service, 'rpc.method': name.method },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

// Codes that mean the server failed, per the OpenTelemetry gRPC conventions for server spans;
// the others (INVALID_ARGUMENT, NOT_FOUND, ...) are the caller's doing and leave the span unset.
const SERVER_FAULTS = new Set<Status>([Status.UNKNOWN, Status.DEADLINE_EXCEEDED, Status.UNIMPLEMENTED, Status.INTERNAL, Status.UNAVAILABLE, Status.DATA_LOSS]);

export function isServerFault(code: Status): boolean {
  return SERVER_FAULTS.has(code);
}

export function endServerSpan(span: Span, code: Status, message: string, cause: unknown): void {
  span.setAttribute('rpc.grpc.status_code', code);
  if (isServerFault(code)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (cause instanceof Error) span.recordException(cause);
  }
  span.end();
}
