import { PermissionDeniedError, UnauthenticatedError } from '@pcn/eventsourcing';

export { PermissionDeniedError, UnauthenticatedError };

/** An operation absent from the policy table: refused, and the generated policy test fails on it. */
export class UnknownOperationError extends PermissionDeniedError {
  constructor(readonly operation: string) {
    super(`${operation} has no entry in the access policy: refused`);
  }
}

/** A call whose role may use the operation but whose scope does not cover what it names. */
export class OutOfScopeError extends PermissionDeniedError {
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(message);
  }
}

/** A role the policy does not allow on the operation at all (the transport gate refused it). */
export class RoleNotAllowedError extends PermissionDeniedError {
  constructor(
    readonly operation: string,
    readonly role: string,
  ) {
    super(`role ${role} may not call ${operation}`);
  }
}
