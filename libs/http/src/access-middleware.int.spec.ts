import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Router } from 'express';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { createApiApp } from './api-app';
import { createApiServer } from './client-errors';
import { commandContext } from './command-context';
import { operationResolver } from './operation-resolver';
import type { Operation } from './routes';

const silent = { error: () => undefined, warn: () => undefined };
const CENTRE = '930000016';
const operations: Operation[] = [
  { service: 'things', operationId: 'AddNote', method: 'POST', path: '/v1/centres/{finess}/notes' },
  { service: 'things', operationId: 'ListNotes', method: 'GET', path: '/v1/centres/{finess}/notes' },
];
let server: Server;
let base: string;
let issuer: TestIssuer;
const written: { actor: string | undefined; note: unknown }[] = [];

beforeAll(async () => {
  issuer = await createTestIssuer({
    'things.AddNote': { roles: ['national_coordinator', 'centre'], scope: { by: 'finess', fields: ['finess'] } },
    'things.ListNotes': { roles: ['national_coordinator', 'auditor'] },
  });
  const router = Router();
  router.post('/centres/:finess/notes', (req, res) => {
    written.push({ actor: commandContext(req).actor, note: (req.body as { note?: unknown }).note });
    res.status(201).json({});
  });
  router.get('/centres/:finess/notes', (_req, res) => void res.json(written));
  const app = createApiApp({
    mounts: [{ path: '/v1', router }],
    logger: silent,
    access: { gate: issuer.gate, resolve: operationResolver(operations) },
    bodyLimit: '1kb',
    rateLimit: { limit: 25, windowMs: 60_000 },
  });
  server = createApiServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the REST access middleware', () => {
  it('answers 401 problem+json with WWW-Authenticate without a token or with a bad one, and writes nothing', async () => {
    const none = await post(`/v1/centres/${CENTRE}/notes`, { note: 'x' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await post(`/v1/centres/${CENTRE}/notes`, { note: 'x' }, { authorization: 'Bearer abc.def.ghi' })).status).toBe(401);
    expect(written).toEqual([]);
  });

  it('answers 403 to a role the policy does not list, and to a centre naming another FINESS', async () => {
    const auditor = await post(`/v1/centres/${CENTRE}/notes`, { note: 'x' }, { authorization: await issuer.bearer('auditor') });
    expect([auditor.status, ((await auditor.json()) as { detail: string }).detail]).toEqual([403, 'role auditor may not call things.AddNote']);
    const other = await post('/v1/centres/690000031/notes', { note: 'x' }, { authorization: await issuer.bearer('centre', { finess: CENTRE }) });
    expect(other.status).toBe(403);
    expect(written).toEqual([]);
  });

  it('records the verified identity as the actor; X-PCN-Actor is ignored', async () => {
    const res = await post(
      `/v1/centres/${CENTRE}/notes`,
      { note: 'hello' },
      { authorization: await issuer.bearer('centre', { finess: CENTRE }), 'x-pcn-actor': 'national_coordinator:mallory' },
    );
    expect(res.status).toBe(201);
    expect(written).toEqual([{ actor: `centre:tester@${CENTRE}`, note: 'hello' }]);
  });

  it('keeps health and readiness open, and sets security headers', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('answers 413 problem+json to a body over the limit', async () => {
    const res = await post(`/v1/centres/${CENTRE}/notes`, { note: 'x'.repeat(2048) }, { authorization: await issuer.bearer('national_coordinator') });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 429 problem+json once a client exceeds its rate, while health stays open', async () => {
    const authorization = await issuer.bearer('national_coordinator');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await fetch(`${base}/v1/centres/${CENTRE}/notes`, { headers: { authorization } })).status);
    expect(statuses).toContain(429);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('operationResolver', () => {
  it('names a request by its path template and method', () => {
    const resolve = operationResolver(operations);
    expect(resolve('POST', `/v1/centres/${CENTRE}/notes`)).toEqual({ operation: 'things.AddNote', params: { finess: CENTRE } });
    expect(resolve('DELETE', `/v1/centres/${CENTRE}/notes`)).toBeUndefined();
  });
});
