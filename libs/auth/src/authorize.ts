import { OutOfScopeError, RoleNotAllowedError, UnknownOperationError } from './errors';
import { SCOPED_ROLES, type Identity } from './identity';
import type { OperationKey, OperationPolicy, PolicyTable, ScopeCheck } from './policy';
import { regionOfFiness } from './region-of-finess';

/** Reads a named field of the request, whichever transport carried it (undefined when absent or empty). */
export type RequestFields = (name: string) => string | undefined;

/** What the gate let through: who, which operation, and whether the application still owes a scope check. */
export interface Grant {
  readonly identity: Identity;
  readonly operation: OperationKey;
  readonly policy: OperationPolicy;
  /** True when a scoped role passed on the promise that the application checks the scope with its data. */
  readonly scopeCheckedByApplication: boolean;
}

/**
 * The transport gate's decision for one call: the role must be listed for the operation, and a
 * scoped role's scope must cover what the request names. Throws a PermissionDeniedError.
 */
export function authorize(policies: PolicyTable, identity: Identity, operation: OperationKey, fields: RequestFields): Grant {
  const policy = policies[operation];
  if (!policy) throw new UnknownOperationError(operation);
  if (!policy.roles.includes(identity.role)) throw new RoleNotAllowedError(operation, identity.role);
  if (!SCOPED_ROLES.has(identity.role) || !policy.scope) return { identity, operation, policy, scopeCheckedByApplication: false };
  if (policy.scope.by === 'application') return { identity, operation, policy, scopeCheckedByApplication: true };
  checkScope(identity, operation, policy.scope, fields);
  return { identity, operation, policy, scopeCheckedByApplication: false };
}

function checkScope(identity: Identity, operation: OperationKey, scope: Exclude<ScopeCheck, { by: 'application' }>, fields: RequestFields): void {
  const named = scope.fields.map(fields).find((v) => v !== undefined);
  if (named === undefined) {
    throw new OutOfScopeError(
      operation,
      `${operation} must name a ${scope.by === 'self' ? 'professional id' : scope.by} (${scope.fields.join(' or ')}) within your scope`,
    );
  }
  const own = identity.scope;
  const covered =
    identity.role === 'centre'
      ? scope.by === 'finess' && named === own.finess
      : identity.role === 'regional_coordinator'
        ? (scope.by === 'finess' && regionOfFiness(named) === own.region) || (scope.by === 'region' && named === own.region)
        : identity.role === 'professional'
          ? (scope.by === 'rpps' && named === own.rpps) || (scope.by === 'self' && named === identity.subject)
          : false;
  if (!covered) throw new OutOfScopeError(operation, `${scope.by === 'self' ? 'professional' : scope.by} ${named} is outside your scope`);
}
