import { z } from 'zod';
import { ROLES, SCOPE_OF_ROLE, type Identity } from './identity';

/** Private claims of a PCN token, next to the registered `sub`, `iss`, `aud`, `exp`. */
export const CLAIMS = { role: 'pcn_role', region: 'pcn_region', finess: 'pcn_finess', rpps: 'pcn_rpps' } as const;

const claims = z.object({
  sub: z.string().min(1).max(200),
  [CLAIMS.role]: z.enum(ROLES),
  [CLAIMS.region]: z
    .string()
    .regex(/^\d{2}$/, 'must be a région INSEE code (2 digits)')
    .optional(),
  [CLAIMS.finess]: z
    .string()
    .regex(/^[0-9AB]{9}$/, 'must be a FINESS (9 characters)')
    .optional(),
  [CLAIMS.rpps]: z
    .string()
    .regex(/^\d{11}$/, 'must be an RPPS number (11 digits)')
    .optional(),
});

/** The identity a verified token's claims describe; a reason when they do not describe one (unknown role, scoped role without its scope). */
export function identityOfClaims(payload: unknown): Identity | string {
  const parsed = claims.safeParse(payload);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`).join('; ');
  const c = parsed.data;
  const role = c[CLAIMS.role];
  const scope = {
    ...(c[CLAIMS.region] && { region: c[CLAIMS.region] }),
    ...(c[CLAIMS.finess] && { finess: c[CLAIMS.finess] }),
    ...(c[CLAIMS.rpps] && { rpps: c[CLAIMS.rpps] }),
  };
  const needed = SCOPE_OF_ROLE[role];
  if (needed && !scope[needed]) return `role ${role} needs the claim ${CLAIMS[needed]}`;
  return { subject: c.sub, role, scope, via: 'token' };
}
