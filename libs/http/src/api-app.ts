import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Registry } from 'prom-client';
import { problemHandler, type ProblemLogger } from './problem';
import { HttpError } from './http-errors';
import { tracingMiddleware } from './tracing-middleware';
import { pathSegmentsGuard } from './path-segments';
import { requestMetricsMiddleware } from './request-metrics';

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
  /** Largest accepted JSON body. */
  readonly bodyLimit?: string;
}

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
  app.use(pathSegmentsGuard());
  app.use(express.json({ limit: options.bodyLimit ?? '256kb' }));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const ready = options.ready?.() ?? true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : options.draining?.() ? 'draining' : 'starting' });
  });
  if (options.metrics) app.get('/metrics', options.metrics);
  const openApi = options.openApi;
  if (openApi) app.get('/v1/openapi.json', (_req, res) => void res.json(openApi));
  for (const mount of options.mounts) app.use(mount.path, mount.router);
  app.use((req, _res, next) => next(new HttpError(404, 'Not Found', `no route for ${req.method} ${req.path}`)));
  app.use(problemHandler(options.logger));
  return app;
}
