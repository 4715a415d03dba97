import { Counter, Histogram, type Registry } from 'prom-client';

/** Server metrics named as go-grpc-prometheus names them, so existing dashboards apply. */
export interface GrpcServerMetrics {
  readonly handled: Counter<'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly handlingSeconds: Histogram<'grpc_service' | 'grpc_method'>;
}

// prom-client throws when a name is registered twice in one registry; every adapter of every
// service shares the metrics of its registry instead.
const byRegistry = new WeakMap<Registry, GrpcServerMetrics>();

export function grpcServerMetrics(registry: Registry): GrpcServerMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      handled: new Counter({
        name: 'grpc_server_handled_total',
        help: 'Total number of RPCs completed on the server, regardless of success or failure.',
        labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
        registers: [registry],
      }),
      handlingSeconds: new Histogram({
        name: 'grpc_server_handling_seconds',
        help: 'Response latency (seconds) of gRPC calls handled by the server.',
        labelNames: ['grpc_service', 'grpc_method'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
