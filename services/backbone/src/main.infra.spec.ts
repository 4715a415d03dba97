import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgSqlClient } from '@pcn/eventsourcing';
import { registration } from '@pcn/registry/testing';
import { writeUntilRefused } from './testing-keep-alive';
import { ANY_PORTS, runNode, scratchDatabase, startedPorts, type Proc } from './testing-processes';
import { scratchIssuer } from './testing-tokens';

// The compiled binary, as operators run it (npm run test:integration builds it first).
const MAIN = join(__dirname, '..', 'dist', 'main.js');
const GRPC_CLI = join(__dirname, '..', 'dist', 'grpc-call.js');

const run = (args: string[], env: Record<string, string>): Proc => runNode(MAIN, args, env);

describe('the pcn binary', () => {
  const { url: dbUrl } = scratchDatabase('pcn_main');

  it('runs the registry alone on PostgreSQL, answers REST and gRPC, and stops cleanly on SIGTERM', async () => {
    const issuer = await scratchIssuer();
    const auth = await issuer.authorization();
    const token = auth.authorization.slice('Bearer '.length);
    const proc = run(['--target=registry'], { PCN_STORE: 'postgres', PG_URL: dbUrl, ...issuer.env, ...ANY_PORTS });
    try {
      const { httpPort: http, grpcPort: grpc } = await startedPorts(proc, 30_000);
      const created = await fetch(`http://127.0.0.1:${http}/v1/centres`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(registration('93000001')),
      });
      expect(created.status).toBe(201);
      const { finess } = (await created.json()) as { finess: string };

      const cli = spawnSync(
        process.execPath,
        [GRPC_CLI, 'CentreRegistry/GetCentre', JSON.stringify({ finess }), '--addr', `127.0.0.1:${grpc}`, '--token', token],
        {
          encoding: 'utf8',
        },
      );
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ finess, status: 'CENTRE_STATUS_CANDIDATE', communeName: 'Saint-Denis' });

      const refused = spawnSync(
        process.execPath,
        [GRPC_CLI, 'CentreRegistry/SuspendCentre', JSON.stringify({ finess, reason: 'x' }), '--addr', `127.0.0.1:${grpc}`, '--token', token],
        { encoding: 'utf8' },
      );
      expect(refused.status).toBe(1);
      expect(JSON.parse(refused.stderr)).toMatchObject({ status: 'INVALID_ARGUMENT', fieldViolations: [{ field: 'expectedVersion' }] });

      const events = new PgSqlClient(dbUrl);
      try {
        const rows = await events.query<{ type: string }>('SELECT type FROM registry.events ORDER BY position');
        expect(rows.rows.map((r) => r.type)).toEqual(['CentreRegistered']);
      } finally {
        await events.close();
      }
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exit).toBe(0);
    expect(proc.output()).toContain('stopped cleanly');
  }, 60_000);

  it('refuses a second embedded instance on the same data directory, and exits 2 on bad configuration', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pcn-main-'));
    const first = run([], { PCN_DATA_DIR: dataDir, ...ANY_PORTS });
    try {
      await startedPorts(first, 30_000);
      const second = run([], { PCN_DATA_DIR: dataDir, ...ANY_PORTS });
      expect(await second.exit).toBe(1);
      expect(second.output()).toContain('is in use by another running instance');

      const bad = run(['--target=nowhere'], { PCN_HTTP_PORT: 'x' });
      expect(await bad.exit).toBe(2);
      expect(bad.output()).toMatch(/--target \(nowhere\)/);
      expect(bad.output()).toContain('PCN_HTTP_PORT=x: must be a port number');

      // Outside the embedded mode, no trusted issuer: refused, naming the variables.
      const noIssuer = run(['--target=registry'], { PCN_STORE: 'postgres', PG_URL: dbUrl, ...ANY_PORTS });
      expect(await noIssuer.exit).toBe(2);
      for (const name of ['PCN_AUTH_ISSUER', 'PCN_AUTH_AUDIENCE', 'PCN_AUTH_JWKS_URL']) expect(noIssuer.output()).toContain(name);
    } finally {
      first.child.kill('SIGINT');
      expect(await first.exit).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('on SIGTERM, answers every write accepted on keep-alive connections (Connection: close once draining), then refuses connections, and exits 0', async () => {
    const issuer = await scratchIssuer();
    const proc = run(['--target=registry'], { PCN_STORE: 'postgres', PG_URL: dbUrl, ...issuer.env, ...ANY_PORTS, PCN_SHUTDOWN_GRACE_MS: '500' });
    let signalled = false;
    try {
      const { httpPort } = await startedPorts(proc, 30_000);
      const { answered, failures } = await writeUntilRefused({
        port: httpPort,
        path: '/v1/centres',
        headers: await issuer.authorization(),
        clients: 2,
        body: (n) => registration(`9310${String(n).padStart(4, '0')}`),
        stopAfter: 6,
        stop: () => {
          signalled = proc.child.kill('SIGTERM');
        },
      });
      expect(failures).toHaveLength(2);
      for (const code of failures) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(code);
      expect(answered.every((a) => a.status === 201)).toBe(true);
      expect(answered.filter((a) => a.headers.connection === 'close').length).toBeGreaterThan(0);

      // Every answered registration is stored, and nothing else: no write was lost to a reset.
      const answeredFiness = answered.map((a) => (JSON.parse(a.body) as { finess: string }).finess).sort();
      const events = new PgSqlClient(dbUrl);
      try {
        const rows = await events.query<{ finess: string }>(
          `SELECT data->>'finess' AS finess FROM registry.events WHERE type = 'CentreRegistered' AND stream_id LIKE 'centre-9310%'`,
        );
        expect(rows.rows.map((r) => r.finess).sort()).toEqual(answeredFiness);
      } finally {
        await events.close();
      }
    } finally {
      // One signal only: a second one landing while Node tears the process down would kill it.
      if (!signalled) proc.child.kill('SIGTERM');
    }
    expect(await proc.exit).toBe(0);
    expect(proc.output()).toContain('draining');
  }, 60_000);
});
