import type { OperationKey } from '@pcn/auth';

/** The operation a REST request calls, and the values of its path parameters. */
export interface ResolvedOperation {
  readonly operation: OperationKey;
  readonly params: Readonly<Record<string, string>>;
}

/** `(method, path) → operation`: how the access middleware names a request in the policy table. */
export type OperationResolver = (method: string, path: string) => ResolvedOperation | undefined;

/** Root extension of a service's OpenAPI document naming the service (the first half of its policy keys). */
export const SERVICE_EXTENSION = 'x-pcn-service';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly operation: OperationKey;
}

interface OpenApiDocument {
  readonly [SERVICE_EXTENSION]?: unknown;
  readonly paths?: Readonly<Record<string, Readonly<Record<string, { operationId?: unknown } | undefined>>>>;
}

export class RouteWithoutOperationIdError extends Error {
  constructor(readonly route: string) {
    super(`${route} has no operationId in its OpenAPI document: the access policy cannot name it`);
    this.name = 'RouteWithoutOperationIdError';
  }
}

/**
 * Resolves requests from the services' OpenAPI documents: each path template (`/v1/centres/{finess}`)
 * with its operationId, under the document's `x-pcn-service`. A route without an operationId or
 * a document without a service name fails here, at start-up.
 */
export function openApiOperationResolver(documents: readonly object[]): OperationResolver {
  const routes: Route[] = documents.flatMap((document) => {
    const doc = document as OpenApiDocument;
    const service = doc[SERVICE_EXTENSION];
    if (typeof service !== 'string') throw new Error(`an OpenAPI document has no ${SERVICE_EXTENSION}: its operations cannot be named in the access policy`);
    return Object.entries(doc.paths ?? {}).flatMap(([template, item]) =>
      METHODS.filter((m) => item[m] !== undefined).map((method): Route => {
        const operationId = item[method]!.operationId;
        if (typeof operationId !== 'string') throw new RouteWithoutOperationIdError(`${method.toUpperCase()} ${template}`);
        const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]+)');
        return { method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), params, operation: `${service}.${operationId}` };
      }),
    );
  });
  return (method, path) => {
    for (const route of routes) {
      if (route.method !== method.toUpperCase()) continue;
      const match = route.pattern.exec(path);
      if (match) return { operation: route.operation, params: Object.fromEntries(route.params.map((p, i) => [p, decode(match[i + 1]!)])) };
    }
    return undefined;
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // The path-segments guard answers 400 for a malformed escape before this runs; keep it raw.
    return segment;
  }
}
