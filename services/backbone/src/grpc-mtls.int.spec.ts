import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { DevIssuer } from '@pcn/auth';
import { attributionV1 as pb } from '@pcn/contracts';
import { callUnary, createClient, createGrpcServer, tlsServerCredentials } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { finessCheckDigit } from '@pcn/referential';
import { grpcFailure as failure } from '@pcn/service/testing';
import { loadConfig } from './config';
import { startSystem, type RunningSystem } from './system';
import { createTestPki, type Issued, type TestPki } from './testing/test-certificates';

/*
 * Mutual TLS end to end (issue 13): the backbone configured as an operator would
 * (PCN_GRPC_TLS_CERT, _KEY, _CLIENT_CA), a throw-away CA made with openssl, and centres' software
 * calling with a client certificate whose subject CN is their FINESS instead of a token.
 */
const logger = createLogger({ service: 'mtls-test', level: 'silent' });
const finess = (first8: string): string => `${first8}${finessCheckDigit(first8)}`;
const CENTRE_A = finess('93000001');
const CENTRE_B = finess('69000003');

let pki: TestPki;
let dataDir: string;
let system: RunningSystem;
let address: string;

beforeAll(async () => {
  pki = createTestPki();
  dataDir = mkdtempSync(join(tmpdir(), 'pcn-mtls-'));
  system = await startSystem(
    loadConfig({
      PCN_DATA_DIR: dataDir,
      PCN_HTTP_PORT: '0',
      PCN_GRPC_PORT: '0',
      PCN_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PCN_GRPC_TLS_CERT: pki.server.certFile,
      PCN_GRPC_TLS_KEY: pki.server.keyFile,
      PCN_GRPC_TLS_CLIENT_CA: pki.ca.certFile,
    }),
    logger,
  );
  // The server certificate names localhost: the client checks it against that name.
  address = `localhost:${system.grpcPort}`;
}, 120_000);

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  pki?.remove();
});

/** A TLS channel trusting the test CA, presenting `client`'s certificate when given. */
const tls = (client?: Issued): ChannelCredentials => credentials.createSsl(pki.ca.cert, client?.key ?? null, client?.cert ?? null);

async function roster(channel: ChannelCredentials, centreFiness: string, metadata: Record<string, string> = {}) {
  const client = createClient(pb.AttributionClient, address, { credentials: channel });
  try {
    return await callUnary(client, 'getCentreRoster', pb.GetCentreRosterRequest.fromPartial({ centreFiness }), { metadata, deadlineMs: 10_000 });
  } finally {
    client.close();
  }
}

describe('gRPC over mutual TLS', () => {
  it('takes a centre’s client certificate as the centre: its own roster is served, and the read is trailed as the certificate’s', async () => {
    const answer = await roster(tls(pki.client(CENTRE_A)), CENTRE_A);
    expect(answer).toMatchObject({ centreFiness: CENTRE_A, entries: [] });

    const coordinator = await (await DevIssuer.open(dataDir)).sign({ role: 'national_coordinator', subject: 'mtls-test' });
    const trail = await fetch(`http://127.0.0.1:${system.httpPort}/v1/access-trail?subject=${CENTRE_A}`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect((await trail.json()) as unknown).toMatchObject({
      entries: [{ actor: `centre:certificate:${CENTRE_A}@${CENTRE_A}`, role: 'centre', operation: 'attribution.GetCentreRoster', transport: 'grpc' }],
    });
  });

  it('refuses another centre’s roster to that certificate: PERMISSION_DENIED', async () => {
    const refused = await failure(roster(tls(pki.client(CENTRE_A)), CENTRE_B));
    expect([refused.code, refused.message]).toEqual([status.PERMISSION_DENIED, `finess ${CENTRE_B} is outside your scope`]);
  });

  it('answers UNAUTHENTICATED to a client with neither certificate nor token, and to a certificate another CA signed', async () => {
    expect((await failure(roster(tls(), CENTRE_A))).code).toBe(status.UNAUTHENTICATED);
    const rogue = await failure(roster(tls(pki.rogueClient(CENTRE_A)), CENTRE_A));
    expect(rogue.code).toBe(status.UNAUTHENTICATED);
  });

  it('still serves a bearer token over the same port (a coordinator’s tool has no certificate)', async () => {
    const token = await (await DevIssuer.open(dataDir)).sign({ role: 'centre', subject: 'software-b', scope: { finess: CENTRE_B } });
    expect(await roster(tls(), CENTRE_B, { authorization: `Bearer ${token}` })).toMatchObject({ centreFiness: CENTRE_B });
  });

  it('refuses a client certificate naming no valid FINESS: UNAUTHENTICATED', async () => {
    const nameless = await failure(roster(tls(pki.client('reception-desk')), CENTRE_A));
    expect([nameless.code, nameless.message]).toEqual([status.UNAUTHENTICATED, expect.stringContaining('subject CN must be the centre FINESS')]);
  });
});

describe('the pcn-grpc tool over mutual TLS', () => {
  const CLI = join(__dirname, '..', 'dist', 'grpc-call.js');
  const run = (finessNamed: string, client: Issued) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const args = ['Attribution/GetCentreRoster', JSON.stringify({ centreFiness: finessNamed }), '--addr', address];
      execFile(process.execPath, [CLI, ...args, '--cacert', pki.ca.certFile, '--cert', client.certFile, '--key', client.keyFile], (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('calls as the centre its --cert names: its roster, not another centre’s', async () => {
    const own = await run(CENTRE_A, pki.client(CENTRE_A));
    expect([own.code, JSON.parse(own.stdout)]).toEqual([0, expect.objectContaining({ centreFiness: CENTRE_A })]);
    const other = await run(CENTRE_B, pki.client(CENTRE_A));
    expect([other.code, JSON.parse(other.stderr)]).toEqual([1, expect.objectContaining({ status: 'PERMISSION_DENIED' })]);
  }, 30_000);
});

describe('gRPC with client certificates required (PCN_GRPC_TLS_CLIENT_CERT=required)', () => {
  /** A health check over `channel`: the handshake is where a required certificate is enforced. */
  function check(port: number, channel: ChannelCredentials): Promise<ServiceError | undefined> {
    const client = new Client(`localhost:${port}`, channel);
    return new Promise<ServiceError | undefined>((resolve) => {
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error) => resolve(error ?? undefined),
      );
    }).finally(() => client.close());
  }

  it('refuses the handshake of a client without a certificate the CA signed, and serves one with it', async () => {
    const server = createGrpcServer({
      logger,
      credentials: tlsServerCredentials({ cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca.cert, clientCertificates: 'required' }),
    });
    const port = await server.start('127.0.0.1', 0);
    try {
      expect(await check(port, tls(pki.client(CENTRE_A)))).toBeUndefined();
      expect((await check(port, tls()))?.code).toBe(status.UNAVAILABLE);
      expect((await check(port, tls(pki.rogueClient(CENTRE_A))))?.code).toBe(status.UNAVAILABLE);
    } finally {
      await server.shutdown();
    }
  });
});
