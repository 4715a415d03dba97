import SwaggerParser from '@apidevtools/swagger-parser';
import type { RouteTable } from '../routes/route-table';

/** What a route table routes, documents and lists, each as sorted `METHOD /path` lines. */
export interface RouteTableCheck {
  /** The operations of the OpenAPI document, with their ids: `GET /v1/centres/{finess} GetCentre`. */
  readonly documented: readonly string[];
  /** The table's list of operations (what authorisation policies name), in the same form. */
  readonly listed: readonly string[];
  /** The routes the Express router serves, without ids: `GET /v1/centres/{finess}`. */
  readonly routed: readonly string[];
}

interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/**
 * The three views of a table a test compares (they agree by construction), after checking the
 * document is valid OpenAPI 3.1 (swagger-parser throws, naming what is wrong, otherwise).
 */
export async function checkRouteTable<D>(table: RouteTable<D>, deps: D): Promise<RouteTableCheck> {
  const document = table.openApi();
  await SwaggerParser.validate(structuredClone(document) as never);
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId?: string }>).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
  );
  const listed = table.operations().map((o) => `${o.method} ${o.path} ${o.operationId}`);
  const stack = (table.router(deps) as unknown as { stack: RouteLayer[] }).stack;
  const routed = stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${table.spec.prefix}${openApiPath(layer.route!.path)}`) : [],
  );
  return { documented: documented.sort(), listed: listed.sort(), routed: routed.sort() };
}

/** `/centres/:finess` → `/centres/{finess}`; the prefix itself (`/`) → ''. */
const openApiPath = (path: string): string => (path === '/' ? '' : path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'));
