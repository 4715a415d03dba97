import { UnauthenticatedError } from './errors';
import { authorize, type Grant, type RequestFields } from './authorize';
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
  ) {}

  /** Who calls (401 / UNAUTHENTICATED when that cannot be proven). */
  authenticate(credentials: Credentials): Promise<Identity> {
    return this.authenticator.authenticate(credentials);
  }

  async admit(operation: OperationKey, credentials: Credentials, fields: RequestFields): Promise<Grant> {
    const identity = await this.authenticator.authenticate(credentials);
    return authorize(this.policy, identity, operation, fields);
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
