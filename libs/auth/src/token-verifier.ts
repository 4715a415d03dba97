import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from './errors';
import { identityOfClaims } from './claims';
import type { Identity } from './identity';

/** Where the issuer's public keys come from: a JWKS document already read (file, dev issuer) or its URL. */
export type KeySource = { readonly jwks: JSONWebKeySet } | { readonly jwksUrl: URL };

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: KeySource;
  /** Tolerated clock skew between the issuer and this server. Default 30 s. */
  readonly clockToleranceSeconds?: number;
  /**
   * Tokens verified recently, kept by their exact text until their expiry (the same bytes verify
   * the same way), so that a client calling with one token pays the signature check once. At most
   * `maxEntries` (default 10,000, least recently used out) and `maxAgeMs` each (default 5 min:
   * how long a key withdrawn from the issuer's JWKS may still be trusted here for a token it
   * signed). `maxEntries: 0` verifies every call.
   */
  readonly cache?: { readonly maxEntries?: number; readonly maxAgeMs?: number };
  /** The clock of the cache (milliseconds); tests set it. */
  readonly now?: () => number;
}

/** Asymmetric algorithms only: a shared-secret (HS*) token could be minted by anyone holding the verification key. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'];

/** Verifies bearer tokens (signature, expiry, issuer, audience) and turns their claims into an identity. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new Map<string, { readonly identity: Identity; readonly until: number }>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = 'jwks' in options.keys ? createLocalJWKSet(options.keys.jwks) : createRemoteJWKSet(options.keys.jwksUrl);
    this.maxEntries = options.cache?.maxEntries ?? 10_000;
    this.maxAgeMs = options.cache?.maxAgeMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** The identity of a token; UnauthenticatedError saying why when it does not verify. */
  async verify(token: string): Promise<Identity> {
    const now = this.now();
    const kept = this.verified.get(token);
    if (kept) {
      this.verified.delete(token);
      if (kept.until > now) {
        this.verified.set(token, kept);
        return kept.identity;
      }
    }
    const { identity, expiresAt } = await this.check(token);
    if (this.maxEntries > 0) {
      // Until the token's own expiry, with no clock tolerance: past it, the full check decides.
      this.verified.set(token, { identity, until: Math.min(expiresAt, now + this.maxAgeMs) });
      if (this.verified.size > this.maxEntries) this.verified.delete(this.verified.keys().next().value!);
    }
    return identity;
  }

  private async check(token: string): Promise<{ identity: Identity; expiresAt: number }> {
    let payload: { exp?: number };
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token is not valid: ${reasonOf(error)}`);
    }
    const identity = identityOfClaims(payload);
    if (typeof identity === 'string') throw new UnauthenticatedError(`the bearer token's claims are not valid: ${identity}`);
    return { identity, expiresAt: (payload.exp ?? 0) * 1000 };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason === 'check_failed' ? 'does not match' : error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches it';
  if (error instanceof errors.JOSEError) return error.code;
  throw error;
}
