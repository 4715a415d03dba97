import { type AccessGate, type Grant, grpcOperationOf, type RequestFields } from '@pcn/auth';
import type { ServerCallLike } from './call-lifecycle';

/**
 * A request's string field by name (ts-proto camelCase), undefined when absent or empty. A
 * reference (`patient: { ref: { $case: 'patientId', value } }`) reads as its id; a NIR never does.
 */
function fieldsOf(request: unknown): RequestFields {
  return (name) => {
    const value = (request as Record<string, unknown> | null | undefined)?.[name];
    if (typeof value === 'string') return value !== '' ? value : undefined;
    const ref = (value as { ref?: { $case?: unknown; value?: unknown } } | null | undefined)?.ref;
    return ref?.$case === 'patientId' && typeof ref.value === 'string' && ref.value !== '' ? ref.value : undefined;
  };
}

/**
 * Admits a call through the gate: the bearer token from the `authorization` metadata, or the
 * client certificate of a mutual-TLS connection; the scope from the request's fields.
 */
export function admitGrpcCall(gate: AccessGate, call: ServerCallLike, request: unknown, service: string, method: string): Promise<Grant> {
  const authorization = call.metadata.get('authorization')[0];
  const peerCertificate = call.getAuthContext?.().sslPeerCertificate;
  return gate.admit(
    grpcOperationOf(service, method),
    { authorization: typeof authorization === 'string' ? authorization : undefined, ...(peerCertificate && { peerCertificate }) },
    fieldsOf(request),
    { from: call.getPeer(), transport: 'grpc' },
  );
}
