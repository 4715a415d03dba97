import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

/**
 * A client interceptor sending `authorization` (e.g. `Bearer <token>`) on every call that does
 * not set its own: pass it in `clientOptions.interceptors` of `createClient`.
 */
export function withAuthorization(authorization: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (metadata.get('authorization').length === 0) metadata.set('authorization', authorization);
        next(metadata, listener);
      },
    });
}
