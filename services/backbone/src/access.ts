import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AccessGate, type AccessTrail, DEV_AUDIENCE, DEV_ISSUER, DevIssuer, POLICY, TokenAuthenticator, TokenVerifier, type KeySource } from '@pcn/auth';
import { tlsServerCredentials } from '@pcn/grpc';
import type { ServerCredentials } from '@grpc/grpc-js';
import type { JSONWebKeySet } from 'jose';
import type { Logger } from '@pcn/observability';
import type { Config } from './config';

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

/**
 * The access gate of both transports. With PCN_AUTH_ISSUER (required outside the embedded mode,
 * see config.ts) it trusts that issuer's keys (JWKS URL or file); in the embedded mode without
 * it, the development issuer of the data directory (`npm run token` signs with the same key).
 * Reads of patient-level data go to `trail` before their handler runs.
 */
export async function openAccessGate(config: Config, logger: Logger, trail: AccessTrail): Promise<AccessGate> {
  if (config.PCN_AUTH_ISSUER) {
    const keys: KeySource = config.PCN_AUTH_JWKS_URL ? { jwksUrl: new URL(config.PCN_AUTH_JWKS_URL) } : { jwks: await readJwks(config.PCN_AUTH_JWKS_FILE!) };
    const verifier = new TokenVerifier({ issuer: config.PCN_AUTH_ISSUER, audience: config.PCN_AUTH_AUDIENCE!, keys });
    logger.info(
      { issuer: config.PCN_AUTH_ISSUER, audience: config.PCN_AUTH_AUDIENCE, keys: config.PCN_AUTH_JWKS_URL ?? config.PCN_AUTH_JWKS_FILE },
      'bearer tokens: trusted issuer',
    );
    return new AccessGate(new TokenAuthenticator(verifier), POLICY, trail);
  }
  const issuer = await DevIssuer.open(config.PCN_DATA_DIR);
  logger.warn(
    { keyFile: issuer.file },
    'PCN_AUTH_ISSUER is not set: trusting the development issuer of the data directory (embedded mode only); get a token with npm run -s token -- --role coordinator',
  );
  const verifier = new TokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: { jwks: issuer.jwks() } });
  return new AccessGate(new TokenAuthenticator(verifier), POLICY, trail);
}

async function readJwks(file: string): Promise<JSONWebKeySet> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new AuthConfigError(`PCN_AUTH_JWKS_FILE=${file}: cannot read it (${error.code ?? error.message})`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AuthConfigError(`PCN_AUTH_JWKS_FILE=${file}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray((parsed as { keys?: unknown }).keys)) throw new AuthConfigError(`PCN_AUTH_JWKS_FILE=${file}: not a JWKS (no "keys" array)`);
  return parsed as JSONWebKeySet;
}

/**
 * Plaintext unless PCN_GRPC_TLS_CERT/KEY are set; mutual TLS with PCN_GRPC_TLS_CLIENT_CA, the
 * client certificate optional (a call without one needs a token) unless PCN_GRPC_TLS_CLIENT_CERT=required.
 */
export function grpcCredentials(config: Config): ServerCredentials | undefined {
  if (!config.PCN_GRPC_TLS_CERT || !config.PCN_GRPC_TLS_KEY) return undefined;
  const read = (name: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new AuthConfigError(`${name}=${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  return tlsServerCredentials({
    cert: read('PCN_GRPC_TLS_CERT', config.PCN_GRPC_TLS_CERT),
    key: read('PCN_GRPC_TLS_KEY', config.PCN_GRPC_TLS_KEY),
    ...(config.PCN_GRPC_TLS_CLIENT_CA && { clientCa: read('PCN_GRPC_TLS_CLIENT_CA', config.PCN_GRPC_TLS_CLIENT_CA) }),
    ...(config.PCN_GRPC_TLS_CLIENT_CERT && { clientCertificates: config.PCN_GRPC_TLS_CLIENT_CERT }),
  });
}
