import express, { type Express, type RequestHandler, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { AccessGate } from '@pcn/auth';
import type { Registry } from 'prom-client';
import { accessMiddleware } from './access-middleware';
import { operationOf, type OperationResolver } from './operation-resolver';
import { problemHandler, type ProblemLogger } from './problem';
import { HttpError } from './http-errors';
import { tracingMiddleware } from './tracing-middleware';
import { pathSegmentsGuard } from './path-segments';
import { requestMetricsMiddleware } from './request-metrics';
import { DEFAULT_FILE_LIMIT_BYTES, FILE_LIMIT_LOCAL } from './routes/streamed-body';

export interface ApiMount {
  readonly path: string;
  readonly router: Router;
}

export interface ApiAppOptions {
  readonly mounts: readonly ApiMount[];
  readonly logger: ProblemLogger;
  /** Served at GET /v1/openapi.json. */
  readonly openApi?: object;
  /** GET /metrics (Prometheus text format). */
  readonly metrics?: RequestHandler;
  /** Where `http_server_request_duration_seconds` (service, operation, status) is recorded. */
  readonly requestMetrics?: Registry;
  /** GET /readyz answers 503 until this returns true. */
  readonly ready?: () => boolean;
  /** True from the start of a shutdown: /readyz then says "draining" rather than "starting". */
  readonly draining?: () => boolean;
  /** Largest accepted JSON body (413 problem+json beyond). Default 256kb. */
  readonly bodyLimit?: string;
  /**
   * Largest file a route takes as a streamed body (its operation says `streamedBody`), in bytes;
   * 413 problem+json beyond. Default 100 MiB. Such a body is left to its route, unparsed, so the
   * app must know the operations (`access.resolve`): without it JSON bodies are parsed everywhere.
   */
  readonly fileLimitBytes?: number;
  /**
   * Authentication and the access policy of every route (401, 403). The binary always sets it;
   * only tests of a service's routers alone leave it out (their requests then act as `anonymous`).
   */
  readonly access?: { readonly gate: AccessGate; readonly resolve: OperationResolver };
  /** Requests per client (remote address) and window; 429 problem+json beyond. Default 1200 a minute. */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
}

export const DEFAULT_RATE_LIMIT = { limit: 1200, windowMs: 60_000 } as const;

/**
 * The REST surface every service shares: JSON bodies with a size limit, liveness and readiness,
 * metrics, the OpenAPI document, then the service routers, and problem+json for every error
 * (including unknown routes).
 */
export function createApiApp(options: ApiAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags are the resources' versions, set by the routers; express's body hashes would be noise.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(tracingMiddleware());
  if (options.requestMetrics) app.use(requestMetricsMiddleware(options.requestMetrics));
  // Security headers (CSP, nosniff, frame denial, HSTS...): the API serves JSON only.
  app.use(helmet());
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const ready = options.ready?.() ?? true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : options.draining?.() ? 'draining' : 'starting' });
  });
  if (options.metrics) app.get('/metrics', options.metrics);
  // Health, readiness and metrics above stay open and unlimited (probes and scrapers call them often).
  const { limit, windowMs } = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  app.use(
    rateLimit({
      limit,
      windowMs,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) =>
        next(new HttpError(429, 'Too Many Requests', `more than ${limit} requests in ${windowMs / 1000} s from this client: slow down`)),
    }),
  );
  app.use(pathSegmentsGuard());
  const json = express.json({ limit: options.bodyLimit ?? '256kb' });
  const fileLimit = options.fileLimitBytes ?? DEFAULT_FILE_LIMIT_BYTES;
  // A file route's body is its own stream (a payer's file of many MB): the JSON parser would hold it whole.
  const resolve = options.access?.resolve;
  app.use((req, res, next) => {
    if (resolve && operationOf(resolve, req)?.streamedBody) {
      res.locals[FILE_LIMIT_LOCAL] = fileLimit;
      next();
    } else json(req, res, next);
  });
  const openApi = options.openApi;
  if (openApi) app.get('/v1/openapi.json', (_req, res) => void res.json(openApi));
  if (options.access) app.use(accessMiddleware(options.access.gate, options.access.resolve));
  for (const mount of options.mounts) app.use(mount.path, mount.router);
  app.use((req, _res, next) => next(new HttpError(404, 'Not Found', `no route for ${req.method} ${req.path}`)));
  app.use(problemHandler(options.logger));
  return app;
}
