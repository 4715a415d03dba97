import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, credentials, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { create, toBinary } from '@bufbuild/protobuf';
import { DevIssuer, grpcOperationOfPath, POLICY, ROLES, type OperationKey, type Role, type Scope } from '@pcn/auth';
import { createLogger } from '@pcn/observability';
import { finessCheckDigit, rppsCheckDigit } from '@pcn/referential';
import { loadConfig } from './config';
import { startSystem, type RunningSystem } from './system';
import { allRoutes, type RestRoute } from './testing/fuzz/rest-routes';
import { grpcMethods, type GrpcMethod } from './testing/fuzz/grpc-methods';

/**
 * Derived from the policy table: every REST route and every RPC of every service, called with a
 * token of every role, is let through or refused as the table says; the scoped roles are also
 * called outside their scope. A route or RPC without a policy entry fails here, and so does an
 * entry naming nothing served. Operations scoped `{ by: 'application' }` are checked here for their
 * roles only: their scope needs data (the patient's centre, the mobility's professional), so
 * their own tests call them in and out of scope with it (attribution's centre-scope.int.spec.ts,
 * staff's mobility withdrawal).
 */
const logger = createLogger({ service: 'access-policy-test', level: 'silent' });
const finess = (first8: string): string => `${first8}${finessCheckDigit(first8)}`;
const rpps = (first10: string): string => `${first10}${rppsCheckDigit(first10)}`;

/** In Île-de-France (11), the région of the regional coordinator's token. */
const OWN_CENTRE = finess('93000001');
/** In Auvergne-Rhône-Alpes (84). */
const OTHER_CENTRE = finess('69000003');
const OWN_RPPS = rpps('1000345678');
const OTHER_RPPS = rpps('1000999999');
/** The professional's id, subject of their token (no professional has it: the handlers answer 404). */
const OWN_ID = '00000000-0000-4000-8000-000000000001';
const OTHER_ID = '00000000-0000-4000-8000-000000000002';
interface Values {
  readonly finess: string;
  readonly rpps: string;
  readonly self: string;
}
const OWN: Values = { finess: OWN_CENTRE, rpps: OWN_RPPS, self: OWN_ID };
const OTHER: Values = { finess: OTHER_CENTRE, rpps: OTHER_RPPS, self: OTHER_ID };
const SCOPES: Readonly<Record<Role, Scope>> = {
  national_coordinator: {},
  regional_coordinator: { region: '11' },
  centre: { finess: OWN_CENTRE },
  billing: {},
  auditor: {},
  professional: { rpps: OWN_RPPS },
};
const SCOPED: readonly Role[] = ['regional_coordinator', 'centre', 'professional'];
/** What the gate says when it refuses (the application's own refusals say something else). */
const GATE_REFUSAL = /may not call|outside your scope|must name a|has no entry in the access policy/;

let dataDir: string;
let system: RunningSystem;
const bearer = new Map<Role, string>();
const tally = { rest: 0, grpc: 0, restOutOfScope: 0, grpcOutOfScope: 0, unauthenticated: 0 };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pcn-policy-'));
  system = await startSystem(
    loadConfig({ PCN_DATA_DIR: dataDir, PCN_HTTP_PORT: '0', PCN_GRPC_PORT: '0', PCN_HTTP_RATE_LIMIT: '1000000', LOG_LEVEL: 'silent' }),
    logger,
  );
  const issuer = await DevIssuer.open(dataDir);
  for (const role of ROLES) {
    const subject = role === 'professional' ? OWN_ID : `policy-test-${role}`;
    bearer.set(role, `Bearer ${await issuer.sign({ role, scope: SCOPES[role], subject })}`);
  }
}, 120_000);

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `access policy cases: REST ${tally.rest} route×role + ${tally.restOutOfScope} out of scope, gRPC ${tally.grpc} RPC×role + ${tally.grpcOutOfScope} out of scope, ${tally.unauthenticated} unauthenticated\n`,
  );
});

const heads = (): Promise<number[]> => Promise.all([system.registry!, system.staff!, system.attribution!].map((m) => m.store.headPosition()));

/** Path parameters filled in: the scope-bearing ones with the given values, ids with a UUID nobody has. */
function pathOf(route: RestRoute, values: Values): string {
  const fill: Record<string, string> = { finess: values.finess, rpps: values.rpps, kind: 'ph', id: values.self, professionalId: values.self };
  return route.path.replace(/:(\w+)/g, (_, name: string) => fill[name] ?? OTHER_ID);
}

async function rest(route: RestRoute, role: Role | undefined, values: Values = OWN) {
  const body =
    route.method === 'get' ? undefined : JSON.stringify({ centreFiness: values.finess, finess: values.finess, rpps: values.rpps, professionalId: values.self });
  const response = await fetch(`http://127.0.0.1:${system.httpPort}${pathOf(route, values)}`, {
    method: route.method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...(role && { authorization: bearer.get(role)! }) },
    body,
  });
  const text = await response.text();
  return { status: response.status, detail: String((text.startsWith('{') ? (JSON.parse(text) as { detail?: string }) : {}).detail ?? text) };
}

function grpc(method: GrpcMethod, role: Role | undefined, values: Values = OWN): Promise<ServiceError | undefined> {
  const init: Record<string, string> = {};
  for (const field of method.input.fields) {
    if (field.fieldKind !== 'scalar') continue;
    if (field.localName === 'finess' || field.localName === 'centreFiness') init[field.localName] = values.finess;
    if (field.localName === 'rpps') init[field.localName] = values.rpps;
    if (field.localName === 'professionalId') init[field.localName] = values.self;
  }
  const bytes = Buffer.from(toBinary(method.input, create(method.input, init)));
  const client = new Client(`127.0.0.1:${system.grpcPort}`, credentials.createInsecure());
  const metadata = new Metadata();
  if (role) metadata.set('authorization', bearer.get(role)!);
  return new Promise<ServiceError | undefined>((resolve) => {
    client.makeUnaryRequest(
      method.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error) => resolve(error ?? undefined),
    );
  }).finally(() => client.close());
}

const restOperation = (route: RestRoute): OperationKey => {
  const resolved = system.resolveOperation(route.method.toUpperCase(), pathOf(route, OWN));
  if (!resolved) throw new Error(`${route.method.toUpperCase()} ${route.path} has no operationId in the OpenAPI documents`);
  return resolved.operation;
};

describe('the policy table covers what is served, and nothing else', () => {
  it('names every REST route and every RPC, and every entry is served', () => {
    const served = new Set<OperationKey>([
      ...allRoutes(system.mounts).map(restOperation),
      ...grpcMethods(system.grpcServices).map((m) => grpcOperationOfPath(m.path)),
    ]);
    const missing = [...served].filter((op) => POLICY[op] === undefined);
    expect(missing).toEqual([]);
    const stale = Object.keys(POLICY).filter((op) => !served.has(op as OperationKey));
    expect(stale).toEqual([]);
  });
});

describe('refusals write nothing', () => {
  let before: number[];
  beforeAll(async () => void (before = await heads()));

  it('answers 401 / UNAUTHENTICATED to every route and RPC called without a token', async () => {
    for (const route of allRoutes(system.mounts)) {
      const answer = await rest(route, undefined);
      tally.unauthenticated++;
      expect([`${route.method} ${route.path}`, answer.status]).toEqual([`${route.method} ${route.path}`, 401]);
    }
    for (const method of grpcMethods(system.grpcServices)) {
      const error = await grpc(method, undefined);
      tally.unauthenticated++;
      expect([method.path, error?.code]).toEqual([method.path, Status.UNAUTHENTICATED]);
    }
  }, 120_000);

  it('answers 403 / PERMISSION_DENIED to every role the table does not list, and to scoped roles outside their scope', async () => {
    for (const route of allRoutes(system.mounts)) {
      const operation = restOperation(route);
      const policy = POLICY[operation]!;
      for (const role of ROLES.filter((r) => !policy.roles.includes(r))) {
        const answer = await rest(route, role);
        tally.rest++;
        expect([operation, role, answer.status, answer.detail]).toEqual([operation, role, 403, `role ${role} may not call ${operation}`]);
      }
      const scope = policy.scope;
      if (!scope || scope.by === 'application') continue;
      for (const role of SCOPED.filter((r) => policy.roles.includes(r))) {
        const answer = await rest(route, role, OTHER);
        tally.restOutOfScope++;
        expect([operation, role, answer.status, answer.detail]).toEqual([operation, role, 403, expect.stringMatching(/outside your scope|must name a/)]);
      }
    }
    for (const method of grpcMethods(system.grpcServices)) {
      const operation = grpcOperationOfPath(method.path);
      const policy = POLICY[operation]!;
      for (const role of ROLES.filter((r) => !policy.roles.includes(r))) {
        const error = await grpc(method, role);
        tally.grpc++;
        expect([operation, role, error?.code, error?.details]).toEqual([operation, role, Status.PERMISSION_DENIED, `role ${role} may not call ${operation}`]);
      }
      const scope = policy.scope;
      if (!scope || scope.by === 'application') continue;
      for (const role of SCOPED.filter((r) => policy.roles.includes(r))) {
        const error = await grpc(method, role, OTHER);
        tally.grpcOutOfScope++;
        expect([operation, role, error?.code, error?.details]).toEqual([
          operation,
          role,
          Status.PERMISSION_DENIED,
          expect.stringMatching(/outside your scope|must name a/),
        ]);
      }
    }
  }, 300_000);

  it('left the global log head of every store where it was', async () => {
    expect(await heads()).toEqual(before);
  });
});

describe('the roles the table lists get through the gate', () => {
  it('lets every listed role reach the handler, over REST and gRPC', async () => {
    for (const route of allRoutes(system.mounts)) {
      const operation = restOperation(route);
      for (const role of POLICY[operation]!.roles) {
        const answer = await rest(route, role);
        tally.rest++;
        const refusedByGate = answer.status === 401 || (answer.status === 403 && GATE_REFUSAL.test(answer.detail));
        expect([operation, role, refusedByGate ? `${answer.status} ${answer.detail}` : 'through']).toEqual([operation, role, 'through']);
        expect(answer.status).toBeLessThan(500);
      }
    }
    for (const method of grpcMethods(system.grpcServices)) {
      const operation = grpcOperationOfPath(method.path);
      for (const role of POLICY[operation]!.roles) {
        const error = await grpc(method, role);
        tally.grpc++;
        const refusedByGate = error?.code === Status.UNAUTHENTICATED || (error?.code === Status.PERMISSION_DENIED && GATE_REFUSAL.test(error.details));
        expect([operation, role, refusedByGate ? `${error?.code} ${error?.details}` : 'through']).toEqual([operation, role, 'through']);
        expect([Status.INTERNAL, Status.UNKNOWN]).not.toContain(error?.code);
      }
    }
  }, 300_000);
});
