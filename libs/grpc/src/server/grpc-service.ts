import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { UnaryOptions } from './call-lifecycle';
import { clientStream, serverStream, type ClientStreamHandler, type ServerStreamHandler } from './streaming';
import { unary, type UnaryHandler } from './unary';

/** The handler a method of a generated (ts-proto) service definition takes, by its shape. */
type HandlerOf<M> = M extends {
  requestStream: infer RS;
  responseStream: infer ResS;
  requestDeserialize: (bytes: Buffer) => infer Req;
  responseSerialize: (value: infer Res) => Buffer;
}
  ? RS extends false
    ? ResS extends false
      ? UnaryHandler<Req, Res>
      : ServerStreamHandler<Req, Res>
    : ResS extends false
      ? ClientStreamHandler<Req, Res>
      : never
  : never;

/** One handler per method of a service, keyed as in the generated definition. */
export type ServiceHandlers<S> = { readonly [K in keyof S]: HandlerOf<S[K]> };

/**
 * Builds a whole grpc-js implementation of a service with unary, server-streaming and
 * client-streaming methods, each wrapped with its adapter (deadlines, error mapping, logs,
 * metrics). Bidirectional streaming is not served.
 */
export function grpcService<S extends ServiceDefinition>(definition: S, handlers: ServiceHandlers<S>, options: UnaryOptions): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [key, method] of Object.entries(definition)) {
    const handler = handlers[key as keyof S] as unknown;
    if (method.requestStream && method.responseStream) throw new Error(`${method.path} is a bidirectional streaming method; grpcService does not serve those`);
    if (method.responseStream) implementation[key] = serverStream(handler as ServerStreamHandler<unknown, unknown>, options);
    else if (method.requestStream) implementation[key] = clientStream(handler as ClientStreamHandler<unknown, unknown>, options);
    else implementation[key] = unary(handler as UnaryHandler<unknown, unknown>, options);
  }
  return implementation;
}
