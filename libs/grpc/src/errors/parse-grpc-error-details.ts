import type { Metadata, status as Status } from '@grpc/grpc-js';
import { googleRpcErrorDetails } from '@pcn/contracts';
import type { FieldViolation, PreconditionViolation } from '@pcn/eventsourcing';
import { decodeStatus, STATUS_DETAILS_KEY, unpackAny } from './status-details';

export interface ErrorInfoDetail {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ResourceInfoDetail {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly owner: string;
  readonly description: string;
}

/** A failed call as a client sees it, with the typed details of google.rpc.Status decoded. */
export interface GrpcErrorDetails {
  readonly code: Status;
  readonly message: string;
  readonly fieldViolations: readonly FieldViolation[];
  readonly preconditionViolations: readonly PreconditionViolation[];
  readonly errorInfo: ErrorInfoDetail | undefined;
  readonly resourceInfo: ResourceInfoDetail | undefined;
  /** From google.rpc.RetryInfo: how long to wait before retrying, in milliseconds. */
  readonly retryDelayMs: number | undefined;
}

/** The parts of a grpc-js ServiceError this needs (also what `toGrpcError` returns). */
export interface GrpcErrorLike {
  readonly code: Status;
  readonly details: string;
  readonly metadata: Metadata;
}

const { BadRequest, ErrorInfo, PreconditionFailure, ResourceInfo, RetryInfo } = googleRpcErrorDetails;

/**
 * Decodes `grpc-status-details-bin`. Errors without it (from servers that do not send details,
 * or raised by the transport itself) give empty lists and the plain status message.
 */
export function parseGrpcErrorDetails(error: GrpcErrorLike): GrpcErrorDetails {
  const fieldViolations: FieldViolation[] = [];
  const preconditionViolations: PreconditionViolation[] = [];
  let errorInfo: ErrorInfoDetail | undefined;
  let resourceInfo: ResourceInfoDetail | undefined;
  let retryDelayMs: number | undefined;
  let message = error.details;

  const raw = error.metadata.get(STATUS_DETAILS_KEY)[0];
  if (raw instanceof Buffer) {
    const status = decodeStatus(raw);
    message = status.message;
    for (const any of status.details) {
      const badRequest = unpackAny(any, 'google.rpc.BadRequest', BadRequest);
      if (badRequest) fieldViolations.push(...badRequest.fieldViolations);
      const failure = unpackAny(any, 'google.rpc.PreconditionFailure', PreconditionFailure);
      if (failure) preconditionViolations.push(...failure.violations);
      errorInfo ??= unpackAny(any, 'google.rpc.ErrorInfo', ErrorInfo);
      resourceInfo ??= unpackAny(any, 'google.rpc.ResourceInfo', ResourceInfo);
      const delay = unpackAny(any, 'google.rpc.RetryInfo', RetryInfo)?.retryDelay;
      if (delay) retryDelayMs ??= delay.seconds * 1000 + Math.round(delay.nanos / 1e6);
    }
  }
  return { code: error.code, message, fieldViolations, preconditionViolations, errorInfo, resourceInfo, retryDelayMs };
}
