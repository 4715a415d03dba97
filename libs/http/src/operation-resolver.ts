import type { Request } from 'express';
import type { OperationKey } from '@pcn/auth';
import type { Operation } from './routes';

/** The operation a REST request calls, and the values of its path parameters. */
export interface ResolvedOperation {
  readonly operation: OperationKey;
  readonly params: Readonly<Record<string, string>>;
  /** Its body is a file the route reads as a stream: no body parser may touch it. */
  readonly streamedBody?: true;
}

/** `(method, path) → operation`: how the access middleware names a request in the policy table. */
export type OperationResolver = (method: string, path: string) => ResolvedOperation | undefined;

const resolvedByRequest = new WeakMap<Request, ResolvedOperation | null>();

/**
 * The request's operation (HEAD named as GET), resolved once per request: the choice of body
 * parser and the access check both ask for it.
 */
export function operationOf(resolve: OperationResolver, req: Request): ResolvedOperation | undefined {
  let resolved = resolvedByRequest.get(req);
  if (resolved === undefined) {
    resolved = resolve(req.method === 'HEAD' ? 'GET' : req.method, req.path) ?? null;
    resolvedByRequest.set(req, resolved);
  }
  return resolved ?? undefined;
}

interface Matcher {
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly operation: OperationKey;
  readonly streamedBody?: true;
}

/**
 * Resolves requests from the operations the route tables declare (`RouteTable.operations()`):
 * each path template (`/v1/centres/{finess}`) with its method, named `<service>.<operationId>`
 * in the access policy.
 */
export function operationResolver(operations: readonly Operation[]): OperationResolver {
  const matchers: Matcher[] = operations.map(({ service, operationId, method, path, streamedBody }) => {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]+)');
    return {
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}/?$`),
      params,
      operation: `${service}.${operationId}`,
      ...(streamedBody && { streamedBody }),
    };
  });
  return (method, path) => {
    for (const matcher of matchers) {
      if (matcher.method !== method.toUpperCase()) continue;
      const match = matcher.pattern.exec(path);
      if (match)
        return {
          operation: matcher.operation,
          params: Object.fromEntries(matcher.params.map((p, i) => [p, decode(match[i + 1]!)])),
          ...(matcher.streamedBody && { streamedBody: matcher.streamedBody }),
        };
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
