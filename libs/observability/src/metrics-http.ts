import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error: unknown) => void) => void;

/**
 * Serves the registry in the Prometheus text format. Express-compatible (`app.get('/metrics',
 * metricsHandler(registry))`): a collection failure goes to `next` when there is one, so the
 * application's error handler logs it; otherwise it is answered as a 500 with the reason.
 */
export function metricsHandler(registry: Registry): MetricsRequestHandler {
  return (_req, res, next) => {
    registry.metrics().then(
      (body) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', registry.contentType);
        res.end(body);
      },
      (error: unknown) => {
        if (next) return next(error);
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port (tests); the chosen one is returned. */
  port: number;
  host?: string;
  path?: string;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A bare `node:http` server exposing `/metrics`, for processes that have no HTTP API. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const path = options.path ?? '/metrics';
  const handle = metricsHandler(options.registry);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Scrapers keep connections alive; without this, close() waits for them to time out.
        server.closeIdleConnections();
      }),
  };
}
