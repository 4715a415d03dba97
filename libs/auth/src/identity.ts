/**
 * Who calls. Every REST and gRPC call is made by one verified identity: the subject of a bearer
 * token, or a centre's software presenting a client certificate over gRPC.
 */
export const ROLES = ['national_coordinator', 'regional_coordinator', 'centre', 'billing', 'auditor', 'professional'] as const;
export type Role = (typeof ROLES)[number];

/** What a role is limited to: the région of a regional coordinator, the FINESS of a centre, the RPPS of a professional. */
export interface Scope {
  /** INSEE code of a région (e.g. `11` Île-de-France, `53` Bretagne). */
  readonly region?: string;
  /** FINESS géographique of a centre (9 characters). */
  readonly finess?: string;
  /** RPPS number of a professional (11 digits). */
  readonly rpps?: string;
}

export interface Identity {
  /**
   * Stable id of the caller at the issuer (`sub`), or the certificate's subject CN. A
   * professional's is their professional id in the staff service.
   */
  readonly subject: string;
  readonly role: Role;
  readonly scope: Scope;
  /** How the identity was proven. */
  readonly via: 'token' | 'certificate';
}

/** Roles limited to a scope: the policy's scope checks apply to them; the others see the whole network. */
export const SCOPED_ROLES: ReadonlySet<Role> = new Set<Role>(['regional_coordinator', 'centre', 'professional']);

/**
 * The scope claim a role's token must carry (refused without it). A professional is named by
 * their token's subject (their professional id); their RPPS is optional (not every profession has one).
 */
export const SCOPE_OF_ROLE: Readonly<Record<Role, keyof Scope | undefined>> = {
  national_coordinator: undefined,
  regional_coordinator: 'region',
  centre: 'finess',
  billing: undefined,
  auditor: undefined,
  professional: undefined,
};

/** The actor recorded in event metadata and logs: `role:subject`, plus the scope for scoped roles. */
export function actorOf(identity: Identity): string {
  const scoped = identity.role === 'professional' ? 'rpps' : SCOPE_OF_ROLE[identity.role];
  const value = scoped && identity.scope[scoped];
  return `${identity.role}:${identity.subject}${value ? `@${value}` : ''}`;
}
