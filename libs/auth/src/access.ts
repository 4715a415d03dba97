import { UnauthenticatedError } from './errors';
import { authorize, type Grant, type RequestFields } from './authorize';
import { type AccessTrail, trailEntryOf } from './access-trail';
import { identityOfCertificate, type PeerCertificateLike } from './certificate-identity';
import type { Identity } from './identity';
import type { OperationKey, PolicyTable } from './policy';
import { POLICY } from './policy-table';
import type { TokenVerifier } from './token-verifier';

/** What a transport knows of the caller's credentials. */
export interface Credentials {
  /** The `Authorization` header (REST) or metadata (gRPC). */
  readonly authorization?: string | undefined;
  /** The client certificate of a mutual-TLS gRPC connection, verified by the TLS layer. */
  readonly peerCertificate?: PeerCertificateLike | undefined;
}

/** Where a call comes from, for the access trail. */
export interface CallOrigin {
  readonly from: string;
  readonly transport: 'rest' | 'grpc';
}

/** Proves who calls. The production one verifies tokens; tests may use another (see @pcn/auth/testing). */
export interface Authenticator {
  authenticate(credentials: Credentials): Promise<Identity>;
}

/**
 * The gate both transports call before any handler: authenticate (401 / UNAUTHENTICATED), then
 * check the operation's policy (403 / PERMISSION_DENIED).
 */
export class AccessGate {
  constructor(
    private readonly authenticator: Authenticator,
    readonly policy: PolicyTable = POLICY,
    /** Receives every admitted call of a trailed operation, before its handler runs. */
    private readonly trail?: AccessTrail,
  ) {}

  /** Who calls (401 / UNAUTHENTICATED when that cannot be proven). */
  authenticate(credentials: Credentials): Promise<Identity> {
    return this.authenticator.authenticate(credentials);
  }

  /**
   * Authenticates, authorises, and records a read of patient-level data in the access trail
   * (before the handler runs: a read that cannot be recorded does not happen).
   */
  async admit(operation: OperationKey, credentials: Credentials, fields: RequestFields, origin?: CallOrigin): Promise<Grant> {
    const identity = await this.authenticator.authenticate(credentials);
    const grant = authorize(this.policy, identity, operation, fields);
    const entry = this.trail && trailEntryOf(grant, fields, origin ?? { from: '', transport: 'rest' });
    if (entry) await this.trail!.record(entry);
    return grant;
  }
}

/** Bearer tokens, and on gRPC a client certificate naming a centre when no token is sent. */
export class TokenAuthenticator implements Authenticator {
  constructor(private readonly verifier: TokenVerifier) {}

  async authenticate(credentials: Credentials): Promise<Identity> {
    const header = credentials.authorization;
    if (header !== undefined && header !== '') {
      const match = /^Bearer +([A-Za-z0-9_.-]+=*) *$/i.exec(header);
      if (!match) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
      return this.verifier.verify(match[1]!);
    }
    if (credentials.peerCertificate) {
      const identity = identityOfCertificate(credentials.peerCertificate);
      if (!identity) throw new UnauthenticatedError('the client certificate names no centre: its subject CN must be the centre FINESS');
      return identity;
    }
    throw new UnauthenticatedError('a bearer token is required (Authorization: Bearer <token>)');
  }
}
