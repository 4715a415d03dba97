import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { unary, type UnaryHandler, type UnaryOptions } from './unary';

/** Request and response types of a method of a generated (ts-proto) service definition. */
type UnaryHandlerOf<M> = M extends {
  requestStream: false;
  responseStream: false;
  requestDeserialize: (bytes: Buffer) => infer Req;
  responseSerialize: (value: infer Res) => Buffer;
}
  ? UnaryHandler<Req, Res>
  : never;

/** One async handler per method of a service, keyed as in the generated definition. */
export type UnaryHandlers<S> = { readonly [K in keyof S]: UnaryHandlerOf<S[K]> };

/**
 * Builds a whole grpc-js implementation from async handlers, wrapping each with `unary`, so a
 * service cannot forget the adapter (and its deadlines, error mapping, logs and metrics) on one
 * method.
 */
export function unaryService<S extends ServiceDefinition>(definition: S, handlers: UnaryHandlers<S>, options: UnaryOptions): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [key, method] of Object.entries(definition)) {
    if (method.requestStream || method.responseStream) {
      throw new Error(`${method.path} is a streaming method; unaryService only serves unary ones`);
    }
    const handler = handlers[key as keyof S] as UnaryHandler<unknown, unknown>;
    implementation[key] = unary(handler, options);
  }
  return implementation;
}
