import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, type Role, type Scope } from '@pcn/auth';

/** `authorization` for a role, signed by the development issuer of an embedded data directory (as `npm run token` does). */
export async function authorizationFor(dataDir: string, role: Role = 'national_coordinator', scope: Scope = {}): Promise<{ authorization: string }> {
  const issuer = await DevIssuer.open(dataDir);
  return { authorization: `Bearer ${await issuer.sign({ role, scope, subject: `test-${role}` })}` };
}

/**
 * A trusted issuer for processes outside the embedded mode: a key pair in a scratch directory,
 * its public JWKS in a file, and the variables that make the binary trust it.
 */
export async function scratchIssuer(): Promise<{ env: Record<string, string>; authorization(role?: Role, scope?: Scope): Promise<{ authorization: string }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pcn-issuer-'));
  const issuer = await DevIssuer.open(dir);
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(issuer.jwks()));
  return {
    env: { PCN_AUTH_ISSUER: DEV_ISSUER, PCN_AUTH_AUDIENCE: DEV_AUDIENCE, PCN_AUTH_JWKS_FILE: jwksFile },
    authorization: async (role = 'national_coordinator', scope = {}) => ({
      authorization: `Bearer ${await issuer.sign({ role, scope, subject: `test-${role}` })}`,
    }),
  };
}
