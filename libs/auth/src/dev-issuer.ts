import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { CLAIMS } from './claims';
import type { Role, Scope } from './identity';

/** Issuer and audience of the embedded mode's development tokens. */
export const DEV_ISSUER = 'urn:pcn:dev-issuer';
export const DEV_AUDIENCE = 'pcn';
export const DEV_ISSUER_KEY_FILE = 'auth-dev-issuer.jwk';
const ALG = 'ES256';

export interface TokenRequest {
  readonly role: Role;
  readonly scope?: Scope;
  /** `sub`; defaults to the role. */
  readonly subject?: string;
  /** Lifetime in seconds. Default one hour. */
  readonly ttlSeconds?: number;
}

export class DevIssuerKeyExposedError extends Error {
  constructor(readonly file: string) {
    super(`the development issuer key ${file} is readable by others: anyone who reads it can mint tokens. chmod 600 ${file}, or delete it to make a new one`);
    this.name = 'DevIssuerKeyExposedError';
  }
}

/**
 * The embedded mode's token issuer: an ES256 key pair created once in the data directory (owner
 * only), whose public half the server trusts and whose private half `npm run token` signs with.
 * For a laptop or a demonstration only: the distributed mode trusts a real issuer.
 */
export class DevIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly file: string,
  ) {}

  /** Reads the key pair from `dataDir`, creating it (and the directory) on first use. */
  static async open(dataDir: string): Promise<DevIssuer> {
    const file = join(resolve(dataDir), DEV_ISSUER_KEY_FILE);
    const found = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found) {
      if ((found.mode & 0o077) !== 0) throw new DevIssuerKeyExposedError(file);
      return new DevIssuer(JSON.parse(await readFile(file, 'utf8')) as JWK, file);
    }
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: `dev-${Date.now().toString(36)}`, use: 'sig' };
    await mkdir(resolve(dataDir), { recursive: true, mode: 0o700 });
    // `wx`: two processes starting at once must not each write a different key.
    await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return new DevIssuer(JSON.parse(await readFile(file, 'utf8')) as JWK, file);
  }

  /** The public key set a verifier trusts. */
  jwks(): JSONWebKeySet {
    const { d: _private, ...publicJwk } = this.privateJwk;
    return { keys: [publicJwk] };
  }

  async sign(request: TokenRequest): Promise<string> {
    const key = await importJWK(this.privateJwk, ALG);
    const scope = request.scope ?? {};
    return new SignJWT({
      [CLAIMS.role]: request.role,
      ...(scope.region && { [CLAIMS.region]: scope.region }),
      ...(scope.finess && { [CLAIMS.finess]: scope.finess }),
      ...(scope.rpps && { [CLAIMS.rpps]: scope.rpps }),
    })
      .setProtectedHeader({ alg: ALG, kid: this.privateJwk.kid!, typ: 'JWT' })
      .setSubject(request.subject ?? request.role)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
      .sign(key);
  }
}
