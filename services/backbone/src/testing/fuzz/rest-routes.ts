import type { Router } from 'express';
import type { ApiMount } from '@pcn/http';

/** A route of an API router, as the fuzz suite calls it. */
export interface RestRoute {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, with its `:param` placeholders. */
  readonly path: string;
  readonly params: readonly string[];
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const ALL_METHODS = new Set(['get', ...WRITE_METHODS]);

interface Layer {
  readonly route?: { readonly path: string | string[]; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
  readonly rawPath?: string;
}

/** Every write route of the mounted routers, read from the routers themselves: a new route is fuzzed without a list to update. */
export function writeRoutes(mounts: readonly ApiMount[]): RestRoute[] {
  return mounts.flatMap((mount) => routesOf((mount.router as Router & { stack: readonly Layer[] }).stack, mount.path, WRITE_METHODS));
}

/** Every route of the mounted routers, reads included (the access policy test calls them all). */
export function allRoutes(mounts: readonly ApiMount[]): RestRoute[] {
  return mounts.flatMap((mount) => routesOf((mount.router as Router & { stack: readonly Layer[] }).stack, mount.path, ALL_METHODS));
}

function routesOf(stack: readonly Layer[], prefix: string, methods: ReadonlySet<string>): RestRoute[] {
  return stack.flatMap((layer): RestRoute[] => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) =>
        Object.keys(layer.route!.methods)
          .filter((m) => methods.has(m))
          .map((method) => ({ method: method as RestRoute['method'], path: join(prefix, path), params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!) })),
      );
    }
    // A router mounted in a router (staff composes its routes so): its routes under its path.
    if (layer.handle?.stack) return routesOf(layer.handle.stack, join(prefix, layer.rawPath ?? ''), methods);
    return [];
  });
}

const join = (a: string, b: string): string => `${a.replace(/\/$/, '')}/${b.replace(/^\//, '')}`.replace(/\/$/, '') || '/';
