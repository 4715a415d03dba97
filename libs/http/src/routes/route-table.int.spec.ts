import request from 'supertest';
import { PermissionDeniedError } from '@pcn/eventsourcing';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createTestIssuer, type TestIssuer } from '@pcn/auth/testing';
import { createApiApp } from '../api-app';
import { operationResolver } from '../operation-resolver';
import { checkRouteTable } from '../testing';
import { created, ok, versioned } from './responses';
import { read, write, type WriteRequest } from './route';
import { RouteTable } from './route-table';

const silent = { error: () => undefined, warn: () => undefined };

/** What the handlers saw. */
type Seen = WriteRequest[];

const table = new RouteTable<Seen>({
  service: 'things',
  prefix: '/v1/things',
  info: { title: 'Things', description: 'A table for the tests' },
  schemas: { Thing: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' } } } },
  routes: [
    read<Seen, 'colour'>({
      operationId: 'ListThings',
      method: 'get',
      path: '',
      summary: 'List things',
      query: { colour: { schema: { type: 'string' } } },
      responses: {},
      handle: async (seen, req) => {
        seen.push(req as WriteRequest);
        return ok({ things: [], colour: req.query.colour ?? null });
      },
    }),
    write<Seen>({
      operationId: 'CreateThing',
      method: 'post',
      path: '',
      summary: 'Create a thing',
      ifMatch: 'none',
      body: { name: 'CreateThing', schema: z.strictObject({ id: z.string() }) },
      responses: {},
      handle: async (seen, req) => {
        seen.push(req);
        return created({ id: (req.body as { id: string }).id, version: 0 }, `/${(req.body as { id: string }).id}`);
      },
    }),
    ...(['required', 'optional', 'refused'] as const).map((ifMatch) =>
      write<Seen>({
        operationId: `Touch${ifMatch[0]!.toUpperCase()}${ifMatch.slice(1)}`,
        method: 'post',
        path: `/{id}/${ifMatch}`,
        summary: `A write with If-Match ${ifMatch}`,
        params: { id: { description: 'The thing' } },
        ifMatch,
        responses: {},
        handle: async (seen, req) => {
          seen.push(req);
          return versioned({ id: req.params.id, version: (req.expectedVersion ?? 6) + 1 });
        },
      }),
    ),
  ],
});

describe('a route table', () => {
  let seen: Seen;
  let registry: Registry;
  const api = () => request(createApiApp({ mounts: [{ path: table.spec.prefix, router: table.router(seen) }], logger: silent, requestMetrics: registry }));
  const fields = (res: request.Response) => (res.body.errors as { field: string }[]).map((e) => e.field);
  beforeEach(() => {
    seen = [];
    registry = new Registry();
  });

  it('lists its operations with their ids, methods and full paths', () => {
    expect(table.operations()).toContainEqual({ service: 'things', operationId: 'TouchRequired', method: 'POST', path: '/v1/things/{id}/required' });
    expect(table.operations()).toHaveLength(5);
  });

  it('routes what it documents, in a valid OpenAPI 3.1 document with operation ids and the request schemas as components', async () => {
    const check = await checkRouteTable(table, []);
    expect(check.documented).toEqual(check.listed);
    expect(check.routed).toEqual(check.listed.map((line) => line.replace(/ \w+$/, '')));
    const document = table.openApi();
    expect(document.components?.schemas).toHaveProperty('CreateThing');
    expect(document.components?.schemas).toHaveProperty('Problem');
    const parameters = (document.paths?.['/v1/things/{id}/required']?.post?.parameters ?? []) as { name: string; required: boolean }[];
    expect(parameters.map((p) => [p.name, p.required])).toEqual([
      ['id', true],
      ['If-Match', true],
      ['Idempotency-Key', false],
    ]);
  });

  it('refuses a table whose path and parameters disagree, or with an operation id used twice', () => {
    const route = read<Seen>({ operationId: 'GetThing', method: 'get', path: '/{id}', summary: 's', responses: {}, handle: async () => ok({}) });
    expect(() => new RouteTable({ ...table.spec, routes: [route] })).toThrow(/the path names \{id\} but params describe none/);
    const twice = read<Seen>({ operationId: 'ListThings', method: 'get', path: '/all', summary: 's', responses: {}, handle: async () => ok({}) });
    expect(() => new RouteTable({ ...table.spec, routes: [...table.spec.routes, twice] })).toThrow(/ListThings is used twice/);
  });

  it('refuses an unknown query parameter, naming it and the accepted ones, on reads and writes alike', async () => {
    const list = await api().get('/v1/things?colour=red&color=blue');
    expect(list.status).toBe(400);
    expect(list.body.errors).toEqual([{ field: 'color', description: 'unknown query parameter; this route accepts colour' }]);
    const create = await api().post('/v1/things?dryRun=1').send({ id: 'a' });
    expect(create.status).toBe(400);
    expect(fields(create)).toEqual(['dryRun']);
    expect(seen).toEqual([]);
    expect((await api().get('/v1/things?colour=red')).body).toEqual({ things: [], colour: 'red' });
  });

  it('answers a creation 201 with its Location under the prefix and its version as the ETag', async () => {
    const res = await api().post('/v1/things').set('If-Match', '"9"').set('X-PCN-Actor', 'tester').send({ id: 'a' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/v1/things/a');
    expect(res.headers.etag).toBe('"0"');
    // Without an access gate the caller is anonymous: a declared X-PCN-Actor is not believed.
    expect(seen[0]).toMatchObject({ context: { actor: 'anonymous' } });
    expect(seen[0]).not.toHaveProperty('expectedVersion');
  });

  it('applies each If-Match policy: required (428 without), optional, refused (400 naming it); a weak tag is 412 everywhere it is read', async () => {
    expect((await api().post('/v1/things/a/required')).status).toBe(428);
    const required = await api().post('/v1/things/a/required').set('If-Match', '"3"');
    expect([required.status, required.headers.etag]).toEqual([200, '"4"']);
    expect((await api().post('/v1/things/a/required').set('If-Match', 'W/"3"')).status).toBe(412);
    expect((await api().post('/v1/things/a/optional').set('If-Match', 'W/"3"')).status).toBe(412);
    expect((await api().post('/v1/things/a/optional')).headers.etag).toBe('"7"');
    const refused = await api().post('/v1/things/a/refused').set('If-Match', '"3"');
    expect(refused.status).toBe(400);
    expect(fields(refused)).toEqual(['If-Match']);
    expect(seen.map((req) => req.expectedVersion)).toEqual([3, undefined]);
  });

  it('refuses an idempotency key REST and gRPC both refuse, before the handler runs', async () => {
    const res = await api().post('/v1/things').set('Idempotency-Key', 'k'.repeat(129)).send({ id: 'a' });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['Idempotency-Key']);
    expect(seen).toEqual([]);
  });

  it('runs a guard before each handler, knowing the operation; what it throws is the answer', async () => {
    const guarded: string[] = [];
    const guard = (operation: { operationId: string }) => {
      guarded.push(operation.operationId);
      if (operation.operationId === 'CreateThing') throw new PermissionDeniedError('may not create things');
    };
    const app = createApiApp({ mounts: [{ path: table.spec.prefix, router: table.router(seen, guard) }], logger: silent });
    expect((await request(app).get('/v1/things')).status).toBe(200);
    expect((await request(app).post('/v1/things').send({ id: 'a' })).status).toBe(403);
    expect(guarded).toEqual(['ListThings', 'CreateThing']);
    expect(seen).toHaveLength(1);
  });

  it('records each request by service, operation and status', async () => {
    await api().get('/v1/things');
    await api().post('/v1/things/a/required');
    await api().get('/nowhere');
    const text = await registry.metrics();
    expect(text).toContain('http_server_request_duration_seconds_count{service="things",operation="ListThings",status="200"} 1');
    expect(text).toContain('http_server_request_duration_seconds_count{service="things",operation="TouchRequired",status="428"} 1');
    expect(text).toContain('http_server_request_duration_seconds_count{service="",operation="(none)",status="404"} 1');
  });
});

describe('a route table with bodies that are not JSON', () => {
  const csv = new RouteTable<null>({
    service: 'files',
    prefix: '/v1/files',
    info: { title: 'Files', description: 'Text in, text out' },
    routes: [
      write<null>({
        operationId: 'ImportLines',
        method: 'put',
        path: '',
        summary: 'Import a CSV file, answer it as SVG',
        ifMatch: 'none',
        body: { name: 'ImportLines', schema: z.string(), mediaType: 'text/csv', limit: '1kb' },
        responses: {},
        handle: async (_deps, req) => ({ body: `<svg>${String(req.body).trim()}</svg>`, contentType: 'image/svg+xml' }),
      }),
    ],
  });
  const api = () => request(createApiApp({ mounts: [{ path: csv.spec.prefix, router: csv.router(null) }], logger: silent }));

  it('reads the body as text of its media type, documents it under that type and sends a typed answer as it is', async () => {
    const res = await api().put('/v1/files').set('Content-Type', 'text/csv').send('a,b\n1,2\n');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(res.body)).toBe('<svg>a,b\n1,2</svg>');
    expect(csv.openApi().paths?.['/v1/files']?.put?.requestBody).toMatchObject({ content: { 'text/csv': {} } });
    expect((await api().put('/v1/files').set('Content-Type', 'text/csv').send('x'.repeat(2000))).status).toBe(413);
  });
});

describe('a route table taking a file as a streamed body', () => {
  const files = new RouteTable<null>({
    service: 'uploads',
    prefix: '/v1/uploads',
    info: { title: 'Uploads', description: 'Files read as they arrive' },
    routes: [
      write<null>({
        operationId: 'CountBytes',
        method: 'post',
        path: '/{name}',
        summary: 'Count the bytes of a file',
        params: { name: { description: 'The file' } },
        ifMatch: 'none',
        file: { description: 'Any file', mediaTypes: { 'application/json': { type: 'array' }, 'text/csv': { type: 'string' } } },
        responses: {},
        handle: async (_deps, req) => {
          let bytes = 0;
          for await (const chunk of req.file!.stream) bytes += (chunk as Buffer).length;
          req.file!.ensureWhole('nothing kept');
          return ok({ bytes, mediaType: req.file!.mediaType, body: req.body ?? null });
        },
      }),
    ],
  });
  let issuer: TestIssuer;
  let bearer: string;
  beforeAll(async () => {
    issuer = await createTestIssuer({ 'uploads.CountBytes': { roles: ['national_coordinator'] } });
    bearer = await issuer.bearer('national_coordinator');
  });
  const post = (type: string, body: string) =>
    request(
      createApiApp({
        mounts: [{ path: files.spec.prefix, router: files.router(null) }],
        logger: silent,
        fileLimitBytes: 400_000,
        access: { gate: issuer.gate, resolve: operationResolver(files.operations()) },
      }),
    )
      .post('/v1/uploads/a')
      .set('Authorization', bearer)
      .set('Content-Type', type)
      .send(body);

  it('marks the operation, documents each media type, and hands the untouched stream to the handler past the JSON body limit', async () => {
    expect(files.operations()).toEqual([{ service: 'uploads', operationId: 'CountBytes', method: 'POST', path: '/v1/uploads/{name}', streamedBody: true }]);
    expect(files.openApi().paths?.['/v1/uploads/{name}']?.post?.requestBody).toMatchObject({ content: { 'application/json': {}, 'text/csv': {} } });
    const array = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => 1_000_000 + i));
    expect(array.length).toBeGreaterThan(256 * 1024);
    const res = await post('application/json', array);
    expect([res.status, res.body]).toEqual([200, { bytes: array.length, mediaType: 'application/json', body: null }]);
  });

  it('answers 415 for another media type and 413 for a declared length over the limit', async () => {
    const wrong = await post('text/plain', 'x');
    expect([wrong.status, wrong.body.type, wrong.body.detail]).toEqual([
      415,
      'urn:pcn:problem:unsupported-media-type',
      expect.stringContaining('application/json, text/csv'),
    ]);
    const big = await post('text/csv', 'x\n'.repeat(250_000));
    expect([big.status, big.body.type]).toEqual([413, 'urn:pcn:problem:body-too-large']);
  });
});
