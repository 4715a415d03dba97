import type { z } from 'zod';
import { ServiceDefinitionError, type ServiceModule } from './compose-service';
import type { AnyServiceDefinition, ConfigProblem, Deployment, ServiceDefinition } from './service-definition';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

export type ShapeOf<D> = D extends ServiceDefinition<string, unknown, unknown, infer Shape> ? Shape : never;
export type NameOf<D> = D extends ServiceDefinition<infer Name, unknown, unknown, z.ZodRawShape> ? Name : never;

/** The names of a list of services, as a tuple of literals (`z.enum` takes it). */
export function serviceNames<const S extends readonly AnyServiceDefinition[]>(services: S): { readonly [K in keyof S]: S[K]['name'] } {
  return services.map((s) => s.name) as { readonly [K in keyof S]: S[K]['name'] };
}

/** The environment variables of every service in the list, in one zod shape. */
export function servicesConfigShape<const S extends readonly AnyServiceDefinition[]>(services: S): UnionToIntersection<ShapeOf<S[number]>> {
  const shape: Record<string, z.ZodRawShape[string]> = {};
  for (const service of services) {
    for (const [variable, type] of Object.entries(service.config.shape)) {
      if (variable in shape) throw new ServiceDefinitionError(service.name, `${variable} is already read by another service`);
      shape[variable] = type;
    }
  }
  return shape as UnionToIntersection<ShapeOf<S[number]>>;
}

/** The cross-variable rules of the services that run in this process. */
export function checkServicesConfig(
  services: readonly AnyServiceDefinition[],
  settings: Record<string, unknown>,
  deployment: Deployment,
  runs: (name: string) => boolean,
): readonly ConfigProblem[] {
  return services.filter((s) => runs(s.name)).flatMap((s) => s.config.check?.(settings, deployment) ?? []);
}

/**
 * The services in the order they start: each after the services whose topics it consumes (it
 * learns from the events of those started before it), otherwise in list order.
 */
export function startOrder<S extends AnyServiceDefinition>(services: readonly S[]): readonly S[] {
  const publisher = new Map(services.filter((s) => s.publishes).map((s) => [s.publishes!, s]));
  const ordered: S[] = [];
  const visiting = new Set<S>();
  const visit = (service: S): void => {
    // A cycle is broken where it closes: topics are durable, so a consumer started before its
    // publisher still reads everything once the publisher starts; the order only spares it a cold start.
    if (ordered.includes(service) || visiting.has(service)) return;
    visiting.add(service);
    for (const topic of service.consumes) {
      const from = publisher.get(topic);
      if (from && from !== service) visit(from);
    }
    visiting.delete(service);
    ordered.push(service);
  };
  services.forEach(visit);
  return ordered;
}

/** The module a definition composes. */
export type ModuleOf<D> = D extends ServiceDefinition<string, unknown, infer App, z.ZodRawShape> ? ServiceModule<App> : never;

/** The modules of the services of a list that run in a process, by name. */
export type RunningServices<S extends readonly AnyServiceDefinition[]> = { readonly [D in S[number] as NameOf<D>]?: ModuleOf<D> };
