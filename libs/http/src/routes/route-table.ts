import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { ValidationError } from '@pcn/eventsourcing';
import { createDocument, type CreateDocumentOptions, type oas31, type ZodOpenApiComponentsObject, type ZodOpenApiOperationObject } from 'zod-openapi';
import { grantOf } from '../access-middleware';
import { commandContext } from '../command-context';
import { optionalIfMatch, requireIfMatch, setEtag } from '../etag';
import { HttpError } from '../http-errors';
import { queryOf } from '../request-fields';
import { fileLimitOf, streamedBody } from './streamed-body';
import { PROBLEM_SCHEMA } from './responses';
import { documentedParameters } from './route-parameters';
import type { ZodType } from 'zod';
import type { Reply, Route, RouteBody, WriteRoute } from './route';

/** One operation of a service's REST API: what an authorisation policy names. */
export interface Operation {
  readonly service: string;
  readonly operationId: string;
  /** Upper case, as on the wire: `GET`, `POST`. */
  readonly method: string;
  /** The OpenAPI path template, prefix included: `/v1/centres/{finess}`. */
  readonly path: string;
  /** Its body is a file read as a stream: the app's JSON parser must leave it untouched. */
  readonly streamedBody?: true;
}

/** A check run before every route's handler, knowing the operation; it throws to refuse. */
export type OperationGuard = (operation: Operation, req: Request) => void | Promise<void>;

export interface RouteTableSpec<D> {
  /** The service's name, as metrics and policies name it (`registry`). */
  readonly service: string;
  /** Where the table's router is mounted (`/v1/centres`). */
  readonly prefix: string;
  readonly info: { readonly title: string; readonly description: string };
  readonly tags?: readonly string[];
  /** Schemas the responses refer to by name (the requests' are the routes' body schemas). `Problem` is added. */
  readonly schemas?: Readonly<Record<string, object>>;
  /** Headers every answer of the service carries, errors included (`Cache-Control: no-store`). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** How zod schemas are rendered: e.g. documenting a check a transform does. */
  readonly override?: CreateDocumentOptions['override'];
  readonly routes: readonly Route<D>[];
}

/** What the metrics middleware reads to label a request. */
export interface RouteLabels {
  readonly service: string;
  readonly operation: string;
}
const LABELS = 'pcnRoute';

/** The labels of the route that served a request, when one did. */
export const routeLabelsOf = (res: Response): RouteLabels | undefined => res.locals[LABELS] as RouteLabels | undefined;

/**
 * One service's REST API, declared once: the Express router and the OpenAPI document both
 * derive from the route list, so every documented operation is routed and every route
 * documented. The table applies the rules every service shares: unknown query parameters
 * refused, If-Match per the route's policy, ETag, Location, the command context.
 */
export class RouteTable<D> {
  /**
   * Each request body schema, named for the document: zod-openapi renders a schema carrying an
   * `id` as a component, in the io of its use (a request: what the caller sends).
   */
  private readonly bodies = new Map<RouteBody, ZodType>();

  constructor(readonly spec: RouteTableSpec<D>) {
    const ids = new Set<string>();
    for (const route of spec.routes) {
      if (route.body && route.file) throw new Error(`${spec.service} ${route.operationId}: a route takes a body or a file, not both`);
      if (route.body) this.bodies.set(route.body, route.body.schema.meta({ id: route.body.name }));
      if (!/^[A-Z][A-Za-z0-9]*$/.test(route.operationId)) throw new Error(`${spec.service}: operationId ${route.operationId} is not PascalCase`);
      if (ids.has(route.operationId)) throw new Error(`${spec.service}: operationId ${route.operationId} is used twice`);
      ids.add(route.operationId);
      const named = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const described = Object.keys(route.params ?? {});
      if (named.join() !== described.join())
        throw new Error(`${spec.service} ${route.operationId}: the path names {${named.join('}, {')}} but params describe ${described.join(', ') || 'none'}`);
    }
  }

  get service(): string {
    return this.spec.service;
  }

  /** Every operation: method, full path and id. */
  operations(): Operation[] {
    return this.spec.routes.map((r) => ({
      service: this.spec.service,
      operationId: r.operationId,
      method: r.method.toUpperCase(),
      path: this.fullPath(r.path),
      ...(r.file && { streamedBody: true as const }),
    }));
  }

  /**
   * The Express router to mount at the prefix. `guard`, when given, runs first on every request
   * a route serves, knowing its operation (an authorisation check per operationId); what it
   * throws is answered as problem+json and the handler does not run.
   */
  router(deps: D, guard?: OperationGuard): Router {
    const router = Router();
    const headers = this.spec.responseHeaders;
    if (headers)
      router.use((_req, res, next) => {
        res.set(headers);
        next();
      });
    for (const route of this.spec.routes) router[route.method](expressPath(route.path), ...textBody(route), this.handler(route, deps, guard));
    return router;
  }

  /** The OpenAPI 3.1 document of the service, served at /v1/openapi.json (merged with the others by the backbone). */
  openApi(): oas31.OpenAPIObject {
    const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
    for (const route of this.spec.routes) {
      const parameters = documentedParameters(route);
      const operation: ZodOpenApiOperationObject = {
        operationId: route.operationId,
        ...(route.tags && { tags: [...route.tags] }),
        summary: route.summary,
        ...(parameters.length > 0 && { parameters }),
        ...(route.body && {
          requestBody: {
            required: route.body.required ?? true,
            content: { [route.body.mediaType ?? 'application/json']: { schema: this.bodies.get(route.body)! } },
          },
        }),
        ...(route.file && {
          requestBody: {
            required: true,
            description: route.file.description,
            content: Object.fromEntries(Object.entries(route.file.mediaTypes).map(([type, schema]) => [type, { schema }])),
          },
        }),
        responses: Object.fromEntries(Object.entries(route.responses)),
      };
      (paths[this.fullPath(route.path)] ??= {})[route.method] = operation;
    }
    return createDocument(
      {
        openapi: '3.1.0',
        info: { ...this.spec.info, version: '1.0.0' },
        ...(this.spec.tags && { tags: this.spec.tags.map((name) => ({ name })) }),
        paths,
        components: { schemas: { ...(this.spec.schemas as ZodOpenApiComponentsObject['schemas']), Problem: PROBLEM_SCHEMA } },
      },
      this.spec.override ? { override: this.spec.override } : {},
    ) as oas31.OpenAPIObject;
  }

  private fullPath(path: string): string {
    return `${this.spec.prefix}${path}`;
  }

  private handler(route: Route<D>, deps: D, guard: OperationGuard | undefined): RequestHandler {
    const labels: RouteLabels = { service: this.spec.service, operation: route.operationId };
    const operation: Operation = {
      service: this.spec.service,
      operationId: route.operationId,
      method: route.method.toUpperCase(),
      path: this.fullPath(route.path),
    };
    const accepted = Object.keys(route.query ?? {});
    return async (req, res) => {
      res.locals[LABELS] = labels;
      let reply: Reply;
      try {
        await guard?.(operation, req);
        const identity = grantOf(req)?.identity;
        const conditions = route.kind === 'write' ? writeConditions(req, route) : undefined;
        const file = route.file && fileOf(req, res, Object.keys(route.file.mediaTypes));
        const base = {
          params: req.params as Record<string, string>,
          query: queryOf(req, accepted),
          body: req.body as unknown,
          ...(file && { file }),
          ...(identity && { identity }),
        };
        reply = route.kind === 'read' ? await route.handle(deps, base) : await route.handle(deps, { ...base, ...conditions! });
      } finally {
        // A file not read to its end (refused, or cut at the limit): the rest is left unread and the connection closes after the answer.
        if (route.file && !req.complete) res.set('Connection', 'close');
      }
      send(req, res, reply);
    };
  }
}

/** The version a write is based on and who acts, per the route's If-Match policy. */
function writeConditions(req: Request, route: WriteRoute<never>): { expectedVersion?: number; context: ReturnType<typeof commandContext> } {
  switch (route.ifMatch) {
    case 'required':
      return { expectedVersion: requireIfMatch(req), context: commandContext(req) };
    case 'optional': {
      const expectedVersion = optionalIfMatch(req);
      return { ...(expectedVersion !== undefined && { expectedVersion }), context: commandContext(req) };
    }
    case 'refused':
      if (req.get('If-Match')) throw ValidationError.field('If-Match', IF_MATCH_REFUSED);
      return { context: commandContext(req) };
    case 'none':
      return { context: commandContext(req) };
  }
}

export const IF_MATCH_REFUSED = 'is not taken by this write: it is decided against the latest state; send it without If-Match';

function send(req: Request, res: Response, reply: Reply): void {
  if (reply.version !== undefined) setEtag(res, reply.version);
  if (reply.location !== undefined) res.setHeader('Location', `${req.baseUrl}${reply.location}`);
  if (reply.contentLocation !== undefined) res.setHeader('Content-Location', `${req.baseUrl}${reply.contentLocation}`);
  res.status(reply.status ?? 200);
  if (reply.contentType === undefined) res.json(reply.body);
  else res.type(reply.contentType).send(reply.body);
}

/** A route's file: 415 for a media type it does not take, 413 when declared larger than the limit. */
function fileOf(req: Request, res: Response, mediaTypes: readonly string[]) {
  // The app leaves the body of such a route to it (createApiApp); another parser having read it is a wiring mistake.
  if ((req as { _body?: boolean })._body === true || req.readableEnded)
    throw new Error(`${req.method} ${req.path}: the body of a file route was read by a body parser`);
  const sent = req.get('Content-Type');
  const mediaType = sent === undefined ? false : req.is(mediaTypes as string[]);
  if (!mediaType)
    throw new HttpError(
      415,
      'Unsupported Media Type',
      `send the file as the body with Content-Type ${mediaTypes.join(', ')}; got ${sent === undefined ? 'none' : JSON.stringify(sent.slice(0, 100))}`,
    );
  return streamedBody(req, fileLimitOf(res), mediaType);
}

/** The parser of a body that is not JSON (the application's JSON parser reads the others). */
const textBody = (route: Route<never>): RequestHandler[] =>
  route.body?.mediaType ? [express.text({ type: route.body.mediaType, ...(route.body.limit && { limit: route.body.limit }) })] : [];

/** `/centres/{finess}` → `/centres/:finess`; the prefix itself is `/`. */
const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1') || '/';
