/**
 * Typed errors shared by every service. Adapters (gRPC, REST) map them by `kind`, never by
 * message text, so a domain never needs to know about transports.
 */

/** One invalid input field: `field` is a dotted path in the request (e.g. `manager.kind`). */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/** One unmet business condition (e.g. an accreditation criterion). */
export interface PreconditionViolation {
  /** Machine-readable category, e.g. `ACCREDITATION_CRITERION`. */
  readonly type: string;
  /** What the condition is about, e.g. `sector1Fees`. */
  readonly subject: string;
  readonly description: string;
}

export type DomainErrorKind =
  'invalid_argument' | 'not_found' | 'already_exists' | 'failed_precondition' | 'concurrency_conflict' | 'permission_denied' | 'unauthenticated';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is wrong whatever the state of the system. Nothing was written. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid_argument';
  constructor(readonly violations: readonly FieldViolation[]) {
    super(
      violations.length === 1
        ? `invalid ${violations[0]!.field}: ${violations[0]!.description}`
        : `${violations.length} invalid fields: ${violations.map((v) => v.field).join(', ')}`,
    );
  }
  static field(field: string, description: string): ValidationError {
    return new ValidationError([{ field, description }]);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly kind = 'already_exists';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} already exists`);
  }
}

/**
 * The request is well-formed but the current state forbids it. `info` carries the figures a
 * caller acts on (e.g. a panel's `count` and `capacity`) as data, not only in the message: the
 * adapters send them as gRPC ErrorInfo metadata and problem+json extension members.
 */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'failed_precondition';
  constructor(
    message: string,
    readonly violations: readonly PreconditionViolation[] = [],
    readonly info: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

/** Optimistic concurrency: the stream is not at the revision the writer expected. */
export class ConcurrencyError extends DomainError {
  readonly kind = 'concurrency_conflict';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`stream ${streamId} is at revision ${actual}, expected ${expected}`);
  }
}

export class PermissionDeniedError extends DomainError {
  readonly kind = 'permission_denied';
}

/** No credentials, or credentials that do not verify (bad signature, expired, wrong issuer or audience). */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
