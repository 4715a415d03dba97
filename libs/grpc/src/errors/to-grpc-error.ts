import { Metadata, status as Status } from '@grpc/grpc-js';
import { googleRpcErrorDetails, type googleProtobufAny } from '@pcn/contracts';
import {
  AlreadyExistsError,
  ConcurrencyError,
  type DomainError,
  isDomainError,
  NotFoundError,
  PreconditionFailedError,
  ProjectionTimeoutError,
  ValidationError,
} from '@pcn/eventsourcing';
import { encodeStatus, packAny, STATUS_DETAILS_KEY } from './status-details';
import { bounded, MAX_DESCRIPTION, MAX_FIELD, MAX_MESSAGE } from './bounded-text';

/** `ErrorInfo.domain` of every error the backbone raises. */
export const ERROR_DOMAIN = 'pcn';

/** Message of INTERNAL errors: the cause may hold data or internals a caller must not see. */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

/** What a grpc-js handler passes to its callback to fail a call. */
export interface GrpcErrorStatus {
  readonly code: Status;
  readonly details: string;
  readonly metadata: Metadata;
}

const { BadRequest, ErrorInfo, PreconditionFailure, ResourceInfo, RetryInfo } = googleRpcErrorDetails;

/**
 * How long a caller should wait before retrying a read refused because a read model lags: a
 * projection catches up within a second or two under normal load.
 */
export const READ_MODEL_RETRY_DELAY_SECONDS = 1;

/**
 * Maps an error thrown by a handler to a gRPC status with typed details in
 * `grpc-status-details-bin`. Domain errors keep their message (it is written for callers);
 * anything else becomes INTERNAL with a generic message, and the caller of this function is
 * responsible for logging the original (the unary adapter does).
 */
export function toGrpcError(error: unknown): GrpcErrorStatus {
  if (error instanceof ProjectionTimeoutError) return readModelBehind(error);
  if (!isDomainError(error)) return withDetails(Status.INTERNAL, INTERNAL_ERROR_MESSAGE, []);
  const code = codeOf(error);
  if (code === undefined) return withDetails(Status.INTERNAL, INTERNAL_ERROR_MESSAGE, []);
  return withDetails(code, bounded(error.message, MAX_MESSAGE), [errorInfo(error), ...detailsOf(error)]);
}

function codeOf(error: DomainError): Status | undefined {
  switch (error.kind) {
    case 'invalid_argument':
      return Status.INVALID_ARGUMENT;
    case 'not_found':
      return Status.NOT_FOUND;
    case 'already_exists':
      return Status.ALREADY_EXISTS;
    case 'failed_precondition':
      return Status.FAILED_PRECONDITION;
    case 'concurrency_conflict':
      // ABORTED, not FAILED_PRECONDITION: the caller should re-read and retry the whole operation.
      return Status.ABORTED;
    case 'permission_denied':
      return Status.PERMISSION_DENIED;
    case 'unauthenticated':
      return Status.UNAUTHENTICATED;
    default:
      // A kind added to DomainErrorKind without a mapping here: fail safe rather than guess.
      return undefined;
  }
}

/**
 * A read model that has not caught up with a write in time: nothing is wrong with the request,
 * the same call succeeds shortly. UNAVAILABLE (retryable by gRPC's conventions) with a RetryInfo.
 */
function readModelBehind(error: ProjectionTimeoutError): GrpcErrorStatus {
  return withDetails(Status.UNAVAILABLE, error.message, [
    packAny('google.rpc.ErrorInfo', ErrorInfo, {
      reason: 'READ_MODEL_BEHIND',
      domain: ERROR_DOMAIN,
      metadata: { projection: error.projection, wanted_position: String(error.wanted), reached_position: String(error.reached) },
    }),
    packAny('google.rpc.RetryInfo', RetryInfo, { retryDelay: { seconds: READ_MODEL_RETRY_DELAY_SECONDS, nanos: 0 } }),
  ]);
}

function errorInfo(error: DomainError): googleProtobufAny.Any {
  const metadata: Record<string, string> = {};
  if (error instanceof PreconditionFailedError) for (const [key, value] of Object.entries(error.info)) metadata[key] = String(value);
  if (error instanceof ConcurrencyError) {
    metadata.stream_id = error.streamId;
    metadata.expected_revision = error.expected;
    metadata.actual_revision = error.actual;
  }
  return packAny('google.rpc.ErrorInfo', ErrorInfo, {
    reason: error.kind.toUpperCase(),
    domain: ERROR_DOMAIN,
    metadata,
  });
}

function detailsOf(error: DomainError): googleProtobufAny.Any[] {
  if (error instanceof ValidationError) {
    return [
      packAny('google.rpc.BadRequest', BadRequest, {
        fieldViolations: error.violations
          .slice(0, 50)
          .map(({ field, description }) => ({ field: bounded(field, MAX_FIELD), description: bounded(description, MAX_DESCRIPTION) })),
      }),
    ];
  }
  if (error instanceof PreconditionFailedError) {
    return [
      packAny('google.rpc.PreconditionFailure', PreconditionFailure, {
        violations: error.violations.map(({ type, subject, description }) => ({
          type,
          subject: bounded(subject, MAX_FIELD),
          description: bounded(description, MAX_DESCRIPTION),
        })),
      }),
    ];
  }
  if (error instanceof NotFoundError || error instanceof AlreadyExistsError) {
    return [
      packAny('google.rpc.ResourceInfo', ResourceInfo, {
        resourceType: error.resource,
        resourceName: bounded(error.id, MAX_FIELD),
        owner: '',
        description: bounded(error.message, MAX_MESSAGE),
      }),
    ];
  }
  return [];
}

function withDetails(code: Status, message: string, details: googleProtobufAny.Any[]): GrpcErrorStatus {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeStatus({ code, message, details }));
  return { code, details: message, metadata };
}
