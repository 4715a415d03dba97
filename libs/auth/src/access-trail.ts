import type { Grant, RequestFields } from './authorize';
import { actorOf } from './identity';

/** One read of patient-level data: who, which operation, which patient, centre or practitioner, when, from where. */
export interface TrailEntry {
  readonly at: Date;
  /** `role:subject`, as in event metadata. */
  readonly actor: string;
  readonly role: string;
  /** `<service>.<OperationId>`. */
  readonly operation: string;
  readonly subjectKind: 'patient' | 'centre' | 'practitioner' | 'nir-lookup';
  /** The patient id, FINESS or RPPS read; empty for a look-up by NIR (the NIR itself is never recorded). */
  readonly subject: string;
  /** Remote address of the call. */
  readonly from: string;
  readonly transport: 'rest' | 'grpc';
}

/** Where trail entries go: append-only and durable (a table of the backbone's database). */
export interface AccessTrail {
  record(entry: TrailEntry): Promise<void>;
}

/** The trail entry of a granted call, or undefined when its operation is not trailed. */
export function trailEntryOf(grant: Grant, fields: RequestFields, call: { from: string; transport: 'rest' | 'grpc'; at?: Date }): TrailEntry | undefined {
  const spec = grant.policy.trail;
  if (!spec) return undefined;
  return {
    at: call.at ?? new Date(),
    actor: actorOf(grant.identity),
    role: grant.identity.role,
    operation: grant.operation,
    subjectKind: spec.subject,
    subject: spec.fields.map(fields).find((v) => v !== undefined) ?? '',
    from: call.from,
    transport: call.transport,
  };
}
