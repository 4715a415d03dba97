import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { routeLabelsOf } from './routes/route-table';

export type HttpRequestMetric = Histogram<'service' | 'operation' | 'status'>;

// prom-client throws when a name is registered twice in one registry: one metric per registry.
const byRegistry = new WeakMap<Registry, HttpRequestMetric>();

/** The REST counterpart of gRPC's handling metrics: duration, and by its count the number, of requests per operation and status. */
export function httpRequestMetric(registry: Registry): HttpRequestMetric {
  let metric = byRegistry.get(registry);
  if (!metric) {
    metric = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of REST requests handled by the server, by service, operation (the OpenAPI operationId) and status code.',
      labelNames: ['service', 'operation', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    byRegistry.set(registry, metric);
  }
  return metric;
}

/**
 * Observes every request once answered. A request no route table served (an unknown path, the
 * health checks) is labelled `service=""`, `operation="(none)"`: the label sets stay bounded.
 */
export function requestMetricsMiddleware(registry: Registry): RequestHandler {
  const metric = httpRequestMetric(registry);
  return (_req, res, next) => {
    const stop = metric.startTimer();
    res.once('finish', () => {
      const labels = routeLabelsOf(res);
      stop({ service: labels?.service ?? '', operation: labels?.operation ?? '(none)', status: String(res.statusCode) });
    });
    next();
  };
}
