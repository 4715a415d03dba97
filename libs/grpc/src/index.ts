export { ACTOR_METADATA_KEY, ANONYMOUS_ACTOR, type CallContext } from './server/call-context';
export {
  createGrpcServer,
  DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
  GrpcServer,
  type GrpcServerOptions,
  type ClientCertificates,
  type GrpcTlsFiles,
  tlsServerCredentials,
} from './server/grpc-server';
export { grpcServerMetrics, type GrpcServerMetrics } from './server/metrics';
export { HEALTH_SERVICE_NAME } from './server/reflection';
export { TRACER_NAME } from './server/tracing';
export { CANCELLED_MESSAGE, DEADLINE_EXCEEDED_MESSAGE, unary, type UnaryHandler, type UnaryOptions } from './server/unary';
export { unaryService, type UnaryHandlers } from './server/unary-service';
export { clientStream, serverStream, type ClientStreamHandler, type ServerStreamHandler } from './server/streaming';
export { grpcService, type ServiceHandlers } from './server/grpc-service';
export { ERROR_DOMAIN, type GrpcErrorStatus, INTERNAL_ERROR_MESSAGE, toGrpcError } from './errors/to-grpc-error';
export {
  type ErrorInfoDetail,
  type GrpcErrorDetails,
  type GrpcErrorLike,
  parseGrpcErrorDetails,
  type ResourceInfoDetail,
} from './errors/parse-grpc-error-details';
export { STATUS_DETAILS_KEY } from './errors/status-details';
export { statusName } from './status-name';
export {
  callUnary,
  type CallUnaryOptions,
  type ClientConstructor,
  createClient,
  type CreateClientOptions,
  type RequestOf,
  type ResponseOf,
  type UnaryMethodName,
  withDeadline,
} from './client/client';
export * from './proto-enums';
export * from './proto-fields';
export { commandContextOf, IDEMPOTENCY_KEY_METADATA } from './server/command-context';
export { withAuthorization } from './client/bearer-interceptor';
