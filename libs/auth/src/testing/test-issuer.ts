import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessGate, TokenAuthenticator } from '../access';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, type TokenRequest } from '../dev-issuer';
import type { Role, Scope } from '../identity';
import type { PolicyTable } from '../policy';
import { TokenVerifier } from '../token-verifier';

/** A development issuer in a throw-away directory, and the gate that trusts it: tests authenticate for real. */
export interface TestIssuer {
  readonly gate: AccessGate;
  readonly verifier: TokenVerifier;
  token(request: TokenRequest): Promise<string>;
  /** `Bearer <token>` for a role and scope; the subject defaults to `tester`. */
  bearer(role: Role, scope?: Scope, subject?: string): Promise<string>;
}

/** `policy` defaults to the real table (tests of a library's own fixture services give theirs). */
export async function createTestIssuer(policy?: PolicyTable): Promise<TestIssuer> {
  const dir = mkdtempSync(join(tmpdir(), 'pcn-test-issuer-'));
  try {
    const issuer = await DevIssuer.open(dir);
    const verifier = new TokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: { jwks: issuer.jwks() } });
    return {
      gate: new AccessGate(new TokenAuthenticator(verifier), policy),
      verifier,
      token: (request) => issuer.sign(request),
      bearer: async (role, scope, subject = 'tester') => `Bearer ${await issuer.sign({ role, subject, ...(scope && { scope }) })}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
