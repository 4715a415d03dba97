import { once } from 'node:events';
import { addAbortSignal } from 'node:stream';
import { type handleClientStreamingCall, type handleServerStreamingCall, type ServerWritableStream, status as Status } from '@grpc/grpc-js';
import type { CallContext } from './call-context';
import { callServer, type UnaryOptions } from './call-lifecycle';
import { refusalOf } from './request-guard';

/**
 * A server-streaming RPC: `send` writes one response message and resolves once the stream can
 * take more (backpressure); the call ends with OK when the handler resolves, or with the mapped
 * status of what it throws. After the call is over (deadline, cancellation), `send` rejects.
 */
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: CallContext, send: (message: Res) => Promise<void>) => Promise<void>;

/** A client-streaming RPC: the request messages as an async iterable, one response. */
export type ClientStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>;

/** Adapts a server-streaming handler to grpc-js, with everything `unary` gives a unary one. */
export function serverStream<Req, Res>(handler: ServerStreamHandler<Req, Res>, options: UnaryOptions): handleServerStreamingCall<Req, Res> {
  const serve = callServer(options);
  return (call) =>
    serve(call, {
      refusal: refusalOf(call.request),
      request: call.request,
      run: (ctx) => handler(call.request, ctx, (message) => send(call, ctx.signal, message)),
      // An error emitted on the stream becomes its status (grpc-js ServerWritableStream).
      answer: (outcome) => (outcome.code === Status.OK ? call.end() : call.emit('error', outcome.error!)),
    });
}

async function send<Res>(call: ServerWritableStream<unknown, Res>, signal: AbortSignal, message: Res): Promise<void> {
  // The call is over: the work stops at its next message rather than writing into the void.
  signal.throwIfAborted();
  if (!call.write(message)) await once(call, 'drain', { signal });
}

/**
 * Adapts a client-streaming handler to grpc-js, with everything `unary` gives a unary one. A
 * message the guarded deserializer refused fails the call with INVALID_ARGUMENT when the handler
 * reaches it; when the call is over, the stream of requests ends with the abort.
 */
export function clientStream<Req, Res>(handler: ClientStreamHandler<Req, Res>, options: UnaryOptions): handleClientStreamingCall<Req, Res> {
  const serve = callServer(options);
  return (call, callback) =>
    serve<Res>(call, {
      run: (ctx) => handler(guarded<Req>(addAbortSignal(ctx.signal, call)), ctx),
      answer: (outcome) => (outcome.code === Status.OK ? callback(null, outcome.response) : callback(outcome.error!)),
    });
}

async function* guarded<Req>(messages: AsyncIterable<unknown>): AsyncIterable<Req> {
  for await (const message of messages) {
    const refusal = refusalOf(message);
    if (refusal) throw refusal;
    yield message as Req;
  }
}
