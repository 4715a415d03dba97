import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import { parseGrpcErrorDetails, statusName } from '@pcn/grpc';
import { createLogger } from '@pcn/observability';
import { loadConfig } from './config';
import { SERVICE_NAMES } from './services';
import { startSystem, type RunningSystem } from './system';
import { writeRoutes } from './testing/fuzz/rest-routes';
import { restCase, type RestCase } from './testing/fuzz/rest-cases';
import { fileCase } from './testing/fuzz/file-cases';
import { grpcMethods } from './testing/fuzz/grpc-methods';
import { grpcCase, type GrpcCase } from './testing/fuzz/grpc-cases';
import { authorizationFor } from './testing-tokens';
import { grpcOperationOfPath, POLICY } from '@pcn/auth';

/**
 * Bad input never reaches a 5xx or INTERNAL, is refused naming the field, and writes nothing.
 * Every write route of every mounted router and every RPC of every served service is called
 * with generated bad input (PCN_FUZZ_RUNS inputs each; 40 by default, raise it for a deeper run).
 */
const RUNS = Number(process.env.PCN_FUZZ_RUNS ?? 40);
const logger = createLogger({ service: 'fuzz-test', level: 'silent' });

let dataDir: string;
let system: RunningSystem;
let headsBefore: number[];
/** A national coordinator: every operation reaches its handler, which must refuse the bad input. */
let auth: { authorization: string };
/** A professional's token, for the one RPC only the professional may call (withdrawing their mobility). */
let professional: { authorization: string };
const authorizationOf = (path: string): string =>
  (POLICY[grpcOperationOfPath(path)]?.roles.includes('national_coordinator') ? auth : professional).authorization;
const tally = new Map<string, number>();
const count = (key: string): void => void tally.set(key, (tally.get(key) ?? 0) + 1);

const heads = (): Promise<number[]> => Promise.all(SERVICE_NAMES.map((name) => system[name]!.store.headPosition()));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pcn-fuzz-'));
  system = await startSystem(loadConfig({ PCN_DATA_DIR: dataDir, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', PCN_HTTP_RATE_LIMIT: '1000000' }), logger);
  auth = await authorizationFor(dataDir);
  professional = await authorizationFor(dataDir, 'professional');
  headsBefore = await heads();
}, 120_000);

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const lines = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `  ${k}: ${n}`);
  // The figures of the run, for whoever runs it deeper (PCN_FUZZ_RUNS): not an assertion.
  process.stdout.write(`bad-input fuzz (PCN_FUZZ_RUNS=${RUNS}):\n${lines.join('\n')}\n`);
});

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly problem: { status?: number; type?: string; errors?: { field?: unknown }[] } | undefined;
}

async function send(c: RestCase): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${system.httpPort}${c.path}`, { method: c.method, headers: { ...c.headers, ...auth }, body: c.body });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, contentType, problem: contentType.startsWith('application/problem+json') ? JSON.parse(text) : undefined };
}

describe('REST: every write route refuses generated bad input', () => {
  it('finds the write routes of the services in their routers, billing included', () => {
    const routes = writeRoutes(system.mounts);
    for (const prefix of ['/v1/centres', '/v1/staff', '/v1/attribution', '/v1/billing']) expect(routes.some((r) => r.path.startsWith(prefix))).toBe(true);
    expect(routes).toContainEqual({ method: 'post', path: '/v1/staff/pay-grids', params: [] });
  });

  it('answers 4xx problem+json naming the field, never 5xx', async () => {
    for (const route of writeRoutes(system.mounts)) {
      await fc.assert(
        fc.asyncProperty(restCase(route), async (c) => {
          const answer = await send(c);
          count(`rest ${answer.status}`);
          count('rest inputs');
          if (answer.status < 400 || answer.status > 499) {
            throw new Error(`${c.method} ${c.path.slice(0, 120)} (${c.kind}) answered ${answer.status}: ${JSON.stringify(answer.problem)}`);
          }
          expect(answer.contentType).toMatch(/^application\/problem\+json/);
          expect(answer.problem?.status).toBe(answer.status);
          if (answer.status === 400 && answer.problem?.type !== 'urn:pcn:problem:malformed-body') {
            expect(answer.problem?.errors?.length).toBeGreaterThan(0);
            for (const violation of answer.problem!.errors!) expect(violation.field).toEqual(expect.stringMatching(/.+/));
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
  }, 600_000);
});

describe('REST: every route taking a file refuses generated broken files', () => {
  it('answers 4xx problem+json, never 5xx: random bytes, NUL bytes, bad cells, truncated JSON arrays, wrong media types (415)', async () => {
    const fileRoutes = writeRoutes(system.mounts).filter((r) => system.resolveOperation(r.method, r.path.replace(/:(\w+)/g, 'x1'))?.streamedBody);
    expect(fileRoutes.map((r) => r.path)).toContain('/v1/billing/remittances/:remittanceId/file');
    for (const route of fileRoutes) {
      await fc.assert(
        fc.asyncProperty(fileCase(route), async (c) => {
          const response = await fetch(`http://127.0.0.1:${system.httpPort}${c.path}`, {
            method: c.method,
            headers: { 'content-type': c.contentType, ...auth },
            body: c.body,
          });
          const text = await response.text();
          count(`rest file ${c.kind} ${response.status}`);
          if (response.status < 400 || response.status > 499)
            throw new Error(`${c.method} ${c.path} (${c.kind}) answered ${response.status}: ${text.slice(0, 300)}`);
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          if (c.kind === 'wrong-media-type') expect(response.status).toBe(415);
        }),
        { numRuns: RUNS * 3, endOnFailure: true },
      );
    }
  }, 600_000);
});

function call(path: string, c: GrpcCase): Promise<ServiceError | undefined> {
  const client = new Client(`127.0.0.1:${system.grpcPort}`, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', authorizationOf(path));
  if (c.idempotencyKey !== undefined) metadata.set('idempotency-key', c.idempotencyKey);
  return new Promise<ServiceError | undefined>((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      c.bytes,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error) => resolve(error ?? undefined),
    );
  }).finally(() => client.close());
}

const SERVER_FAULTS = [
  Status.INTERNAL,
  Status.UNKNOWN,
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.CANCELLED,
  Status.UNIMPLEMENTED,
  Status.DATA_LOSS,
  Status.RESOURCE_EXHAUSTED,
];

describe('gRPC: every RPC refuses generated bad input', () => {
  let invalidArguments = 0;

  it('answers INVALID_ARGUMENT with a BadRequest naming the field, never INTERNAL', async () => {
    const methods = grpcMethods(system.grpcServices);
    expect(methods.map((m) => m.path)).toEqual(
      expect.arrayContaining([
        '/pcn.registry.v1.CentreRegistry/GetCentre',
        '/pcn.staff.v1.StaffStatute/HireProfessional',
        '/pcn.attribution.v1.Attribution/MatchWaitlist',
        '/pcn.billing.v1.CapitationBilling/RunPeriod',
        '/pcn.billing.v1.CapitationBilling/ImportRemittance',
        '/pcn.billing.v1.CapitationBilling/ExportStatementCsv',
      ]),
    );
    for (const method of methods) {
      await fc.assert(
        fc.asyncProperty(grpcCase(method), async (c) => {
          const error = await call(method.path, c);
          const code = error?.code ?? Status.OK;
          count(`grpc ${c.kind} ${statusName(code)}`);
          count('grpc inputs');
          if (SERVER_FAULTS.includes(code)) throw new Error(`${method.path} (${c.kind}) answered ${statusName(code)}: ${error?.details.slice(0, 300)}`);
          if (c.kind !== 'bad-idempotency-key') expect(statusName(code)).toBe('INVALID_ARGUMENT');
          if (code === Status.INVALID_ARGUMENT) {
            invalidArguments++;
            const details = parseGrpcErrorDetails(error!);
            expect(details.message.length).toBeLessThanOrEqual(1100);
            expect(details.fieldViolations.length).toBeGreaterThan(0);
            for (const v of details.fieldViolations) expect(v.field).toEqual(expect.stringMatching(/.+/));
            if (c.field) expect(details.fieldViolations.map((v) => v.field)).toContain(c.field);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
  }, 600_000);

  it('counts every refusal in grpc_server_handled_total, the undecodable ones included', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${system.httpPort}/metrics`)).text();
    const counted = [...metrics.matchAll(/^grpc_server_handled_total\{[^}]*grpc_code="INVALID_ARGUMENT"[^}]*\} (\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(counted).toBe(invalidArguments);
    expect(invalidArguments).toBeGreaterThan(0);
  });
});

describe('nothing written', () => {
  it('leaves the global log head of every store where it was', async () => {
    expect(await heads()).toEqual(headsBefore);
  });
});
