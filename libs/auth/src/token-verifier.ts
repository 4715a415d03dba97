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
}

/** Asymmetric algorithms only: a shared-secret (HS*) token could be minted by anyone holding the verification key. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'];

/** Verifies bearer tokens (signature, expiry, issuer, audience) and turns their claims into an identity. */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = 'jwks' in options.keys ? createLocalJWKSet(options.keys.jwks) : createRemoteJWKSet(options.keys.jwksUrl);
  }

  /** The identity of a token; UnauthenticatedError saying why when it does not verify. */
  async verify(token: string): Promise<Identity> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
      }));
    } catch (error) {
      throw new UnauthenticatedError(`the bearer token is not valid: ${reasonOf(error)}`);
    }
    const identity = identityOfClaims(payload);
    if (typeof identity === 'string') throw new UnauthenticatedError(`the bearer token's claims are not valid: ${identity}`);
    return identity;
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
