import type { Role } from './identity';

/**
 * How a scoped role's scope is checked for one operation.
 * - `finess` / `region` / `rpps` / `self`: at the transport gate, from the first of `fields`
 *   present in the request (gRPC request field, REST path parameter, body field or query
 *   parameter). A centre must name its own FINESS; a regional coordinator a FINESS of its
 *   région (or the région itself); a professional their own RPPS, or (`self`) their own
 *   professional id, which is the subject of their token.
 * - `application`: the scope needs data the gate does not have (the patient's centre, the
 *   professional's RPPS): the gate lets the call through with the identity, and the
 *   application checks it where it reads the data.
 */
export type ScopeCheck = { readonly by: 'finess' | 'region' | 'rpps' | 'self'; readonly fields: readonly string[] } | { readonly by: 'application' };

/** What a read that leaves an access trail identifies: the field naming the patient, centre or practitioner read. */
export interface TrailSpec {
  readonly subject: 'patient' | 'centre' | 'practitioner' | 'nir-lookup';
  readonly fields: readonly string[];
}

export interface OperationPolicy {
  /** Roles that may call the operation; any other role gets 403 / PERMISSION_DENIED. */
  readonly roles: readonly Role[];
  /** How scoped roles (regional coordinator, centre, professional) are checked; absent: not scoped by this operation. */
  readonly scope?: ScopeCheck;
  /** Present on reads of patient-level data: each call is recorded in the access trail. */
  readonly trail?: TrailSpec;
}

/** `<service>.<OperationId>`: the gRPC method name, or the REST route's operationId. */
export type OperationKey = `${string}.${string}`;

export type PolicyTable = Readonly<Record<OperationKey, OperationPolicy>>;

/** `pcn.registry.v1.CentreRegistry` + `GetCentre` → `registry.GetCentre`: a gRPC method's policy key (its package names the service). */
export function grpcOperationOf(service: string, method: string): OperationKey {
  const match = /^pcn\.([a-z_]+)\.v\d+\./.exec(service);
  return `${match ? match[1]! : service}.${method}`;
}

/** The policy key of a gRPC method path, `/pcn.registry.v1.CentreRegistry/GetCentre`. */
export function grpcOperationOfPath(path: string): OperationKey {
  const [, service = '', method = ''] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  return grpcOperationOf(service, method);
}
