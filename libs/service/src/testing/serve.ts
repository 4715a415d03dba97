import { createGrpcServer, parseGrpcErrorDetails, type GrpcErrorDetails } from '@pcn/grpc';
import type { AccessGate } from '@pcn/auth';
import { createApiApp, operationResolver } from '@pcn/http';
import { createMetrics, type Logger } from '@pcn/observability';
import type { GrpcHandlers, HttpRoutes } from '../service-definition';

/**
 * A service's REST routes in the API app every process serves (problem+json, OpenAPI document,
 * health), behind `gate` when given: requests then need a bearer token its issuer signed.
 * `fileLimitBytes`: the limit of streamed file bodies, when not the default.
 */
export function serveOverHttp(
  http: HttpRoutes,
  logger: Logger,
  gate?: AccessGate,
  options: { readonly fileLimitBytes?: number } = {},
): ReturnType<typeof createApiApp> {
  return createApiApp({
    mounts: [{ path: http.path, router: http.router }],
    logger,
    openApi: http.openApi,
    ...(gate && { access: { gate, resolve: operationResolver(http.operations) } }),
    ...(options.fileLimitBytes !== undefined && { fileLimitBytes: options.fileLimitBytes }),
  });
}

export interface ServedGrpc {
  /** `127.0.0.1:<port>`, for `createClient`. */
  readonly address: string;
  stop(): Promise<void>;
}

/** A service's gRPC handlers on a server of their own, on a free loopback port; behind `gate` when given. */
export async function serveOverGrpc(grpc: GrpcHandlers, logger: Logger, gate?: AccessGate): Promise<ServedGrpc> {
  const server = createGrpcServer({ logger });
  server.addService(grpc.service, grpc.implementation({ logger, registry: createMetrics({ defaultMetrics: false }).registry, ...(gate && { access: gate }) }));
  const port = await server.start('127.0.0.1', 0);
  return { address: `127.0.0.1:${port}`, stop: () => server.shutdown(1000) };
}

/** The status and details of a call expected to fail; throws if it succeeds. */
export async function grpcFailure(call: Promise<unknown>): Promise<GrpcErrorDetails> {
  try {
    await call;
  } catch (error) {
    return parseGrpcErrorDetails(error as never);
  }
  throw new Error('the call succeeded');
}
