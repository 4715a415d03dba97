import { type handleUnaryCall, status as Status } from '@grpc/grpc-js';
import type { CallContext } from './call-context';
import { callServer, type UnaryOptions } from './call-lifecycle';
import { refusalOf } from './request-guard';

export { CANCELLED_MESSAGE, DEADLINE_EXCEEDED_MESSAGE, type UnaryOptions } from './call-lifecycle';

/** A unary RPC written as an async function; throw a DomainError to fail the call. */
export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/**
 * Adapts an async handler to grpc-js, with the deadline, cancellation, error mapping, log line,
 * metrics and span of `serveCall`.
 */
export function unary<Req, Res>(handler: UnaryHandler<Req, Res>, options: UnaryOptions): handleUnaryCall<Req, Res> {
  const serve = callServer(options);
  return (call, callback) =>
    serve<Res>(call, {
      refusal: refusalOf(call.request),
      request: call.request,
      run: (ctx) => handler(call.request, ctx),
      answer: (outcome) => (outcome.code === Status.OK ? callback(null, outcome.response) : callback(outcome.error!)),
    });
}
