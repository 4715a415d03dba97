#!/usr/bin/env node
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DevIssuer } from './dev-issuer';
import { ROLES, type Role, SCOPE_OF_ROLE } from './identity';

/** Short names accepted for --role, besides the full ones. */
const ALIASES: Readonly<Record<string, Role>> = { coordinator: 'national_coordinator', regional: 'regional_coordinator' };

const roleOf = (value: string): Role => {
  const role = ALIASES[value] ?? value;
  if (!(ROLES as readonly string[]).includes(role)) throw new InvalidArgumentError(`must be one of ${[...Object.keys(ALIASES), ...ROLES].join(', ')}`);
  return role as Role;
};
const ttlOf = (value: string): number => {
  const match = /^(\d+)([smhd]?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be a duration such as 900, 15m, 8h or 7d');
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
};

/**
 * `npm run -s token -- --role coordinator [--finess F|--region R|--rpps N] [--ttl 8h]`: prints a
 * token of the embedded mode's development issuer (key in the data directory), for curl and
 * `npm run grpc`. Useless against a distributed deployment, which trusts its own issuer.
 */
/** The login name, recorded as who acted; undefined where the system has none (some containers). */
function loginName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const program = new Command('token')
    .description("prints a bearer token signed by the embedded mode's development issuer")
    .addOption(new Option('--role <role>', `coordinator (national), regional, ${ROLES.join(', ')}`).argParser(roleOf).makeOptionMandatory())
    .option('--region <code>', 'région INSEE code (regional coordinator)')
    .option('--finess <finess>', 'FINESS of the centre (centre)')
    .option('--rpps <rpps>', 'RPPS number (professional, when they have one)')
    .option('--subject <sub>', "who the token names (default: your login name); a professional's is their professional id")
    .option('--ttl <duration>', 'lifetime: seconds, or 15m, 8h, 7d', ttlOf, 3600)
    .option('--data-dir <dir>', 'data directory of the embedded mode', process.env.PCN_DATA_DIR ?? './data')
    .parse();
  const o = program.opts<{ role: Role; region?: string; finess?: string; rpps?: string; subject?: string; ttl: number; dataDir: string }>();
  const needed = SCOPE_OF_ROLE[o.role];
  if (needed && !o[needed]) program.error(`--role ${o.role} needs --${needed}`);
  if (o.role === 'professional' && !o.subject) program.error('--role professional needs --subject <their professional id>');
  const issuer = await DevIssuer.open(o.dataDir);
  const token = await issuer.sign({
    role: o.role,
    scope: { ...(o.region && { region: o.region }), ...(o.finess && { finess: o.finess }), ...(o.rpps && { rpps: o.rpps }) },
    subject: o.subject ?? loginName() ?? o.role,
    ttlSeconds: o.ttl,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
