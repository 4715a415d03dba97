import {
  type CallOptions,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientUnaryCall,
  credentials as grpcCredentials,
  InterceptingCall,
  type Interceptor,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import { context, propagation, type TextMapSetter } from '@opentelemetry/api';

/** The constructor ts-proto generates for each service (`XxxClient`). */
export type ClientConstructor<C extends Client> = new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => C;

export interface CreateClientOptions {
  /** Defaults to plaintext (inside the platform's network). */
  readonly credentials?: ChannelCredentials;
  /** Deadline given to every call that sets none, so no call can wait forever. */
  readonly defaultDeadlineMs?: number;
  readonly clientOptions?: Partial<ClientOptions>;
}

/** A deadline `ms` milliseconds from now. */
export function withDeadline(ms: number): Date {
  return new Date(Date.now() + ms);
}

export function createClient<C extends Client>(ClientCtor: ClientConstructor<C>, address: string, options: CreateClientOptions = {}): C {
  const interceptors = [...(options.clientOptions?.interceptors ?? [])];
  if (options.defaultDeadlineMs !== undefined) interceptors.push(defaultDeadline(options.defaultDeadlineMs));
  return new ClientCtor(address, options.credentials ?? grpcCredentials.createInsecure(), {
    ...options.clientOptions,
    interceptors,
  });
}

function defaultDeadline(ms: number): Interceptor {
  return (callOptions, nextCall) => {
    const { deadline } = callOptions;
    const hasDeadline = deadline !== undefined && deadline !== Infinity;
    return new InterceptingCall(nextCall(hasDeadline ? callOptions : { ...callOptions, deadline: withDeadline(ms) }));
  };
}

/** The full overload of a generated unary client method. */
type UnaryClientMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

/* eslint-disable @typescript-eslint/no-explicit-any -- `any` only matches method shapes here */
/** Names of the unary methods of a generated client. */
export type UnaryMethodName<C> = {
  [K in keyof C]-?: C[K] extends UnaryClientMethod<any, any> ? K : never;
}[keyof C] &
  string;
export type RequestOf<C, M extends keyof C> = C[M] extends UnaryClientMethod<infer Req, any> ? Req : never;
export type ResponseOf<C, M extends keyof C> = C[M] extends UnaryClientMethod<any, infer Res> ? Res : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface CallUnaryOptions {
  /** Overrides the client's default deadline for this call. */
  readonly deadlineMs?: number;
  readonly metadata?: Metadata | Readonly<Record<string, string>>;
  /** Cancels the call when aborted (pass a handler's `ctx.signal` to stop work nobody awaits). */
  readonly signal?: AbortSignal;
}

const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/**
 * Calls a unary method and resolves with its response, or rejects with the grpc-js ServiceError
 * (decode its details with `parseGrpcErrorDetails`). The active trace context is sent along
 * (`traceparent`), so the server's span joins the caller's trace.
 */
export function callUnary<C extends Client, M extends UnaryMethodName<C>>(
  client: C,
  method: M,
  request: RequestOf<C, M>,
  options: CallUnaryOptions = {},
): Promise<ResponseOf<C, M>> {
  const metadata = toMetadata(options.metadata);
  propagation.inject(context.active(), metadata, metadataSetter);
  const callOptions: Partial<CallOptions> = options.deadlineMs === undefined ? {} : { deadline: withDeadline(options.deadlineMs) };
  const fn = client[method] as UnaryClientMethod<RequestOf<C, M>, ResponseOf<C, M>>;

  return new Promise((resolve, reject) => {
    const call = fn.call(client, request, metadata, callOptions, (error, response) => {
      options.signal?.removeEventListener('abort', cancel);
      if (error) reject(error);
      else resolve(response);
    });
    function cancel(): void {
      call.cancel();
    }
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
  });
}

function toMetadata(input: CallUnaryOptions['metadata']): Metadata {
  if (input instanceof Metadata) return input.clone();
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(input ?? {})) metadata.set(key, value);
  return metadata;
}
