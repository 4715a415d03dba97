import { ConfigError, loadConfig } from './config';

/** A trusted issuer, required outside the embedded mode. */
const AUTH = { PCN_AUTH_ISSUER: 'https://sso.example/realms/pcn', PCN_AUTH_AUDIENCE: 'pcn-backbone', PCN_AUTH_JWKS_URL: 'https://sso.example/certs' };

describe('configuration from the environment', () => {
  it('defaults to the embedded mode on loopback', () => {
    expect(loadConfig({})).toMatchObject({
      PCN_TARGET: 'all',
      PCN_STORE: 'pglite',
      PCN_HOST: '127.0.0.1',
      PCN_HTTP_PORT: 8080,
      PCN_GRPC_PORT: 50051,
      PCN_DATA_DIR: './data',
    });
  });

  it('reads PCN_HTTP_FILE_LIMIT as bytes, 100 MB by default, and refuses another spelling', () => {
    expect(loadConfig({}).PCN_HTTP_FILE_LIMIT).toBe(100 * 1024 * 1024);
    expect(loadConfig({ PCN_HTTP_FILE_LIMIT: '512kb' }).PCN_HTTP_FILE_LIMIT).toBe(512 * 1024);
    expect(loadConfig({ PCN_HTTP_FILE_LIMIT: '2000b' }).PCN_HTTP_FILE_LIMIT).toBe(2000);
    expect(() => loadConfig({ PCN_HTTP_FILE_LIMIT: '1gb' })).toThrow(/PCN_HTTP_FILE_LIMIT=1gb: must be a size such as 100mb or 512kb/);
  });

  it('reads the attribution projection linger and directory check in milliseconds, within their bounds', () => {
    expect(loadConfig({})).toMatchObject({ PCN_ATTRIBUTION_PROJECTION_LINGER_MS: 50, PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: 100 });
    expect(loadConfig({ PCN_ATTRIBUTION_PROJECTION_LINGER_MS: '0', PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: '5000' })).toMatchObject({
      PCN_ATTRIBUTION_PROJECTION_LINGER_MS: 0,
      PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: 5000,
    });
    expect(() => loadConfig({ PCN_ATTRIBUTION_PROJECTION_LINGER_MS: '5000' })).toThrow(/PCN_ATTRIBUTION_PROJECTION_LINGER_MS=5000: must be at most 1000 ms/);
    expect(() => loadConfig({ PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: '0.5' })).toThrow(
      /PCN_ATTRIBUTION_DIRECTORY_CHECK_MS=0.5: must be a whole number of milliseconds/,
    );
    expect(() => loadConfig({ PCN_ATTRIBUTION_DIRECTORY_CHECK_MS: '-1' })).toThrow(/PCN_ATTRIBUTION_DIRECTORY_CHECK_MS=-1/);
  });

  it('lets --target override PCN_TARGET', () => {
    expect(loadConfig({ PCN_TARGET: 'all', ...AUTH }, 'registry').PCN_TARGET).toBe('registry');
  });

  it('names every wrong variable and why', () => {
    let error: unknown;
    try {
      loadConfig({ PCN_HTTP_PORT: 'eighty', PCN_STORE: 'mysql', LOG_LEVEL: 'loud' }, 'invoicing');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PCN_HTTP_PORT=eighty: must be a port number from 0 to 65535');
    expect(problems).toMatch(/PCN_STORE=mysql: .*pglite.*postgres/);
    expect(problems).toMatch(/LOG_LEVEL=loud/);
    expect(problems).toMatch(/--target \(invoicing\)/);
  });

  it('requires brokers with the Kafka bus, as a host:port list', () => {
    expect(() => loadConfig({ PCN_BUS: 'kafka' })).toThrow('KAFKA_BROKERS=: is required when PCN_BUS=kafka');
    expect(() => loadConfig({ PCN_BUS: 'kafka', KAFKA_BROKERS: 'localhost' })).toThrow('KAFKA_BROKERS=localhost: must be host:port');
    expect(loadConfig({ PCN_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092', ...AUTH }).KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9092']);
  });

  it('requires KurrentDB and PostgreSQL (read models) URLs with the KurrentDB store', () => {
    expect(() => loadConfig({ PCN_STORE: 'kurrentdb' })).toThrow(/KURRENTDB_URL=: is required when PCN_STORE=kurrentdb/);
    expect(() => loadConfig({ PCN_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113?tls=false' })).toThrow(
      /PG_URL=: is required when PCN_STORE=kurrentdb \(read models/,
    );
  });

  it('requires PG_URL with the PostgreSQL store', () => {
    expect(() => loadConfig({ PCN_STORE: 'postgres' })).toThrow('PG_URL=: is required when PCN_STORE=postgres');
    expect(() => loadConfig({ PCN_STORE: 'postgres', PG_URL: 'http://x' })).toThrow(/PG_URL=http:\/\/x: must be a postgres/);
  });

  it('requires a trusted token issuer outside the embedded mode, naming the variables', () => {
    let error: unknown;
    try {
      loadConfig({ PCN_STORE: 'postgres', PG_URL: 'postgres://pcn@db/pcn', PCN_ATTRIBUTION_NIR_KEY: 'k'.repeat(32) });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PCN_AUTH_ISSUER=: is required outside the embedded mode');
    expect(problems).toContain('PCN_AUTH_AUDIENCE=: is required');
    expect(problems).toContain('PCN_AUTH_JWKS_URL=: or PCN_AUTH_JWKS_FILE (exactly one) is required');
    expect(loadConfig({ PCN_STORE: 'postgres', PG_URL: 'postgres://pcn@db/pcn', PCN_ATTRIBUTION_NIR_KEY: 'k'.repeat(32), ...AUTH }).PCN_AUTH_ISSUER).toBe(
      AUTH.PCN_AUTH_ISSUER,
    );
    // The embedded mode needs none (its development issuer), but takes a configured one whole.
    expect(loadConfig({}).PCN_AUTH_ISSUER).toBeUndefined();
    expect(() => loadConfig({ PCN_AUTH_ISSUER: 'https://sso.example' })).toThrow('PCN_AUTH_AUDIENCE=: is required');
  });

  it('takes the gRPC TLS files together, and a client-certificate policy only with a client CA', () => {
    const tls = { PCN_GRPC_TLS_CERT: 'server.pem', PCN_GRPC_TLS_KEY: 'server.key' };
    expect(() => loadConfig({ PCN_GRPC_TLS_CERT: 'server.pem' })).toThrow('PCN_GRPC_TLS_KEY=: and PCN_GRPC_TLS_CERT go together');
    expect(() => loadConfig({ ...tls, PCN_GRPC_TLS_CLIENT_CERT: 'required' })).toThrow('PCN_GRPC_TLS_CLIENT_CERT=required: needs PCN_GRPC_TLS_CLIENT_CA');
    expect(() => loadConfig({ ...tls, PCN_GRPC_TLS_CLIENT_CA: 'ca.pem', PCN_GRPC_TLS_CLIENT_CERT: 'always' })).toThrow(
      'PCN_GRPC_TLS_CLIENT_CERT=always: must be optional or required',
    );
    expect(loadConfig({ ...tls, PCN_GRPC_TLS_CLIENT_CA: 'ca.pem', PCN_GRPC_TLS_CLIENT_CERT: 'required' }).PCN_GRPC_TLS_CLIENT_CERT).toBe('required');
  });

  it('keeps a stopping process reachable but not ready for a grace period: 500 ms embedded, 5 s for one service, or PCN_SHUTDOWN_GRACE_MS', () => {
    expect(loadConfig({}).PCN_SHUTDOWN_GRACE_MS).toBe(500);
    expect(loadConfig(AUTH, 'staff').PCN_SHUTDOWN_GRACE_MS).toBe(5000);
    expect(loadConfig({ PCN_SHUTDOWN_GRACE_MS: '0', ...AUTH }, 'staff').PCN_SHUTDOWN_GRACE_MS).toBe(0);
    expect(loadConfig({ PCN_SHUTDOWN_GRACE_MS: '15000' }).PCN_SHUTDOWN_GRACE_MS).toBe(15_000);
    for (const wrong of ['soon', '-1', '1.5', '60001']) {
      expect(() => loadConfig({ PCN_SHUTDOWN_GRACE_MS: wrong })).toThrow(
        `PCN_SHUTDOWN_GRACE_MS=${wrong}: must be a whole number of milliseconds from 0 to 60000`,
      );
    }
  });
});
