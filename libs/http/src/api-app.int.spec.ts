import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Router } from 'express';
import { NotFoundError } from '@pcn/eventsourcing';
import { parseInput, text } from '@pcn/validation';
import { z } from 'zod';
import { createApiApp } from './api-app';
import { createApiServer } from './client-errors';
import { requireIfMatch } from './etag';

const silent = { error: () => undefined, warn: () => undefined };
let server: Server;
let base: string;
let written: unknown[];

beforeAll(async () => {
  written = [];
  const router = Router();
  router.get('/things/:id', (req) => {
    throw new NotFoundError('thing', req.params.id);
  });
  router.post('/things/:id/notes', (req, res) => {
    requireIfMatch(req);
    written.push(parseInput(z.strictObject({ note: text(100) }), req.body));
    res.status(201).json({});
  });
  server = createApiServer(createApiApp({ mounts: [{ path: '/v1', router }], logger: silent }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const problemOf = async (response: Response) => {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { status: number; type: string; detail: string; errors?: { field: string; description: string }[] };
};

describe('the API app refuses bad input as problem+json, never 500', () => {
  it.each(['%ZZ', '%00', 'a%00b', '%ED%A0%80', '%E0%A4%A', '%'])('answers 400 to the path segment %s, on reads and writes', async (segment) => {
    for (const [method, path] of [
      ['GET', `/v1/things/${segment}`],
      ['POST', `/v1/things/${segment}/notes`],
    ] as const) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'if-match': '"0"' },
        ...(method === 'POST' && { body: '{"note":"x"}' }),
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([{ field: '(path)', description: expect.stringMatching(/^path segment 3 /) }]);
    }
    expect(written).toEqual([]);
  });

  it('refuses a NUL or a lone surrogate in a body field, naming it', async () => {
    for (const note of ['a\u0000b', 'x\ud800']) {
      const response = await fetch(`${base}/v1/things/1/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'if-match': '"0"' },
        body: JSON.stringify({ note }),
      });
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual([{ field: 'note', description: expect.any(String) }]);
    }
    expect(written).toEqual([]);
  });

  it('answers 412 to a weak If-Match (RFC 9110 never matches one)', async () => {
    const response = await fetch(`${base}/v1/things/1/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-match': 'W/"0"' },
      body: '{"note":"x"}',
    });
    expect(response.status).toBe(412);
    expect((await problemOf(response)).type).toBe('urn:pcn:problem:precondition-failed');
    expect(written).toEqual([]);
  });

  it('answers 431 with problem+json to a 20 kB header', async () => {
    const response = await fetch(`${base}/v1/things/1`, { headers: { 'x-padding': 'p'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(await problemOf(response)).toMatchObject({ status: 431, type: 'urn:pcn:problem:headers-too-large' });
  });

  it('repeats at most a bounded part of a long id in a detail', async () => {
    const response = await fetch(`${base}/v1/things/${'z'.repeat(8000)}`);
    expect(response.status).toBe(404);
    expect((await problemOf(response)).detail.length).toBeLessThanOrEqual(1100);
  });
});
