import { z } from 'zod';
import { checkServicesConfig, servicesConfigShape } from '@pcn/service';
import { SERVICE_NAMES, SERVICES } from './services';

/** `all` runs every service in one process (the embedded mode); a service's name runs it alone. */
export const TARGETS = ['all', ...SERVICE_NAMES] as const;
export type Target = (typeof TARGETS)[number];

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(fallback);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every setting comes from the environment and is checked once at start-up: a wrong value
 * stops the process with a message naming the variable, before anything is opened. Each
 * service declares its own variables (its definition's configuration slice).
 */
const schema = z
  .object({
    PCN_TARGET: z.enum(TARGETS).default('all'),
    PCN_HOST: z.string().min(1).default('127.0.0.1'),
    PCN_HTTP_PORT: port(8080),
    PCN_GRPC_PORT: port(50051),
    PCN_DATA_DIR: z.string().min(1).default('./data'),
    PCN_STORE: z.enum(['pglite', 'postgres', 'kurrentdb']).default('pglite'),
    KURRENTDB_URL: z
      .string()
      .regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, 'must be a kurrentdb:// connection string')
      .optional(),
    PG_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
    PCN_BUS: z.enum(['embedded', 'kafka']).default('embedded'),
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port[,host:port...]')
      .transform((v) => v.split(','))
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.default(false),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    PCN_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PCN_SHUTDOWN_GRACE_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds from 0 to 60000' })
      .int('must be a whole number of milliseconds from 0 to 60000')
      .min(0, 'must be a whole number of milliseconds from 0 to 60000')
      .max(60_000, 'must be a whole number of milliseconds from 0 to 60000')
      .optional(),
    PCN_AUTH_ISSUER: z.string().min(1).optional(),
    PCN_AUTH_AUDIENCE: z.string().min(1).optional(),
    PCN_AUTH_JWKS_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL of the issuer JWKS' }).optional(),
    PCN_AUTH_JWKS_FILE: z.string().min(1).optional(),
    PCN_GRPC_TLS_CERT: z.string().min(1).optional(),
    PCN_GRPC_TLS_KEY: z.string().min(1).optional(),
    PCN_GRPC_TLS_CLIENT_CA: z.string().min(1).optional(),
    PCN_GRPC_TLS_CLIENT_CERT: z.enum(['optional', 'required'], { message: 'must be optional or required' }).optional(),
    PCN_GRPC_MAX_MESSAGE_BYTES: z.coerce
      .number()
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024 bytes')
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    PCN_HTTP_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must be a size such as 256kb or 1mb')
      .default('256kb'),
    // Bytes of a file sent as a streamed body (a payer's remittance file): `100mb`.
    PCN_HTTP_FILE_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must be a size such as 100mb or 512kb')
      .default('100mb')
      .transform((size) => Number(size.replace(/\D+$/, '')) * { b: 1, kb: 1024, mb: 1024 * 1024 }[size.replace(/^\d+/, '') as 'b' | 'kb' | 'mb']),
    PCN_HTTP_RATE_LIMIT: z.coerce.number().int('must be a whole number of requests a minute').min(1).max(1_000_000).default(1200),
    ...servicesConfigShape(SERVICES),
  })
  .superRefine((c, ctx) => {
    if (c.PCN_STORE !== 'pglite' && !c.PG_URL) {
      const why = c.PCN_STORE === 'kurrentdb' ? ' (read models and checkpoints live in PostgreSQL)' : '';
      ctx.addIssue({ code: 'custom', path: ['PG_URL'], message: `is required when PCN_STORE=${c.PCN_STORE}${why}` });
    }
    if (c.PCN_STORE === 'kurrentdb' && !c.KURRENTDB_URL) {
      ctx.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'is required when PCN_STORE=kurrentdb' });
    }
    const runs = (name: string): boolean => c.PCN_TARGET === 'all' || c.PCN_TARGET === name;
    for (const { variable, message } of checkServicesConfig(SERVICES, c, { store: c.PCN_STORE, dataDir: c.PCN_DATA_DIR }, runs)) {
      ctx.addIssue({ code: 'custom', path: [variable], message });
    }
    const configured = [c.PCN_AUTH_ISSUER, c.PCN_AUTH_AUDIENCE, c.PCN_AUTH_JWKS_URL ?? c.PCN_AUTH_JWKS_FILE];
    if (configured.some((v) => v !== undefined) || !isEmbedded(c)) {
      const why = isEmbedded(c) ? '' : ' outside the embedded mode (the development issuer serves the embedded mode only)';
      if (!c.PCN_AUTH_ISSUER) ctx.addIssue({ code: 'custom', path: ['PCN_AUTH_ISSUER'], message: `is required${why}: the issuer (iss) of the bearer tokens` });
      if (!c.PCN_AUTH_AUDIENCE)
        ctx.addIssue({ code: 'custom', path: ['PCN_AUTH_AUDIENCE'], message: `is required${why}: the audience (aud) tokens must name` });
      if (!c.PCN_AUTH_JWKS_URL === !c.PCN_AUTH_JWKS_FILE) {
        ctx.addIssue({
          code: 'custom',
          path: ['PCN_AUTH_JWKS_URL'],
          message: `or PCN_AUTH_JWKS_FILE (exactly one) is required${why}: the issuer's public keys`,
        });
      }
    }
    if (!c.PCN_GRPC_TLS_CERT !== !c.PCN_GRPC_TLS_KEY) {
      ctx.addIssue({ code: 'custom', path: ['PCN_GRPC_TLS_KEY'], message: 'and PCN_GRPC_TLS_CERT go together (the gRPC server certificate and its key)' });
    }
    if (c.PCN_GRPC_TLS_CLIENT_CA && !c.PCN_GRPC_TLS_CERT) {
      ctx.addIssue({ code: 'custom', path: ['PCN_GRPC_TLS_CLIENT_CA'], message: 'needs PCN_GRPC_TLS_CERT and PCN_GRPC_TLS_KEY: mutual TLS is TLS first' });
    }
    if (c.PCN_GRPC_TLS_CLIENT_CERT && !c.PCN_GRPC_TLS_CLIENT_CA) {
      ctx.addIssue({ code: 'custom', path: ['PCN_GRPC_TLS_CLIENT_CERT'], message: 'needs PCN_GRPC_TLS_CLIENT_CA: the CA that signs the client certificates' });
    }
    if (c.PCN_BUS === 'kafka' && !c.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'is required when PCN_BUS=kafka' });
    }
  });

/** The embedded mode: every service in one process on its own data directory (PGlite, in-process bus). */
export function isEmbedded(c: { PCN_TARGET: Target; PCN_STORE: string; PCN_BUS: string }): boolean {
  return c.PCN_TARGET === 'all' && c.PCN_STORE === 'pglite' && c.PCN_BUS === 'embedded';
}

/**
 * How long a stopping process stays reachable but not ready by default. Distributed: a load
 * balancer or health-checking client needs a few probe periods to take an instance out of
 * rotation (5 s). Embedded: nothing sits in front of the one process; half a second lets a
 * client busy on a keep-alive connection get one answer saying `Connection: close` and go,
 * while Ctrl-C stays quick.
 */
export const DEFAULT_GRACE_MS = { embedded: 500, distributed: 5000 } as const;

const withDefaults = schema.transform((c) => ({
  ...c,
  PCN_SHUTDOWN_GRACE_MS: c.PCN_SHUTDOWN_GRACE_MS ?? (c.PCN_TARGET === 'all' ? DEFAULT_GRACE_MS.embedded : DEFAULT_GRACE_MS.distributed),
}));

export type Config = z.output<typeof withDefaults>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment; `--target=<name>` on the command line overrides PCN_TARGET. */
export function loadConfig(env: NodeJS.ProcessEnv, target?: string): Config {
  const input = { ...env, ...(target !== undefined && { PCN_TARGET: target }) };
  const result = withDefaults.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      const shown = name === 'PCN_TARGET' && target !== undefined ? `--target (${target})` : `${name}=${String(input[name as keyof typeof input] ?? '')}`;
      return `${shown}: ${issue.message}`;
    }),
  );
}
