import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from './config';
import { SERVICE_NAMES } from './services';

/*
 * deploy/docker-compose.yml is the distributed mode as operators start it; nothing here can run
 * containers, so this checks what can be checked without them: every service has a container,
 * and each container's environment passes the configuration the process checks at start-up.
 */

interface ComposeService {
  readonly command?: readonly string[];
  readonly environment?: Record<string, string>;
}

const compose = parse(readFileSync(join(__dirname, '../../../deploy/docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

/** What an operator would put in the variables compose requires (`${NAME:?why}`). */
const OPERATOR: Record<string, string> = {
  PCN_AUTH_ISSUER: 'https://sso.example/realms/pcn',
  PCN_AUTH_AUDIENCE: 'pcn-backbone',
  PCN_AUTH_JWKS_URL: 'https://sso.example/realms/pcn/certs',
  PCN_ATTRIBUTION_NIR_KEY: 'a'.repeat(64),
};

function interpolate(value: string): string {
  return value.replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) => {
    const given = OPERATOR[name];
    if (given === undefined) throw new Error(`compose requires ${name}, which this test does not know`);
    return given;
  });
}

const containers = Object.entries(compose.services).flatMap(([name, service]) => {
  const target = service.command?.find((arg) => arg.startsWith('--target='))?.slice('--target='.length);
  return target ? [{ name, target, service }] : [];
});

describe('deploy/docker-compose.yml', () => {
  it('runs every service of the backbone in a container of its own', () => {
    expect([...new Set(containers.map((c) => c.target))].sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it.each(containers)('gives $name a configuration its process accepts in the distributed mode', ({ target, service }) => {
    const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(env, target);
    expect(config).toMatchObject({ PCN_TARGET: target, PCN_BUS: 'kafka', PCN_STORE: 'postgres' });
  });

  it('refuses to start a container whose operator left out the token issuer', () => {
    const attribution = containers.find((c) => c.target === 'attribution')!;
    const env = Object.fromEntries(Object.entries(attribution.service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
    delete env.PCN_AUTH_ISSUER;
    expect(() => loadConfig(env, 'attribution')).toThrow(/PCN_AUTH_ISSUER/);
  });
});
