import { z } from 'zod';
import { ServiceDefinitionError } from './compose-service';
import { defineService, type ServiceParts } from './service-definition';
import { checkServicesConfig, serviceNames, servicesConfigShape, startOrder } from './service-list';

function service<const Name extends string>(name: Name, publishes: string, consumes: readonly string[], shape: z.ZodRawShape = {}) {
  return defineService({
    name,
    streamPrefixes: [`${name}-`],
    publishes,
    consumes,
    config: { shape, check: (_settings, { store }) => (store === 'pglite' ? [] : [{ variable: `PCN_${name.toUpperCase()}_KEY`, message: 'is required' }]) },
    configure: () => ({}),
    compose: async (): Promise<ServiceParts<object>> => {
      throw new Error('not composed in these tests');
    },
  });
}

describe('a list of services', () => {
  const registry = service('registry', 'pcn.registry.v1', []);
  const staff = service('staff', 'pcn.staff.v1', ['pcn.registry.v1']);
  const attribution = service('attribution', 'pcn.attribution.v1', ['pcn.registry.v1', 'pcn.staff.v1']);

  it('starts each service after those whose topics it consumes', () => {
    expect(startOrder([attribution, staff, registry]).map((s) => s.name)).toEqual(['registry', 'staff', 'attribution']);
    expect(startOrder([registry, staff, attribution]).map((s) => s.name)).toEqual(['registry', 'staff', 'attribution']);
  });

  it('breaks a cycle of consumed topics where it closes instead of failing', () => {
    const a = service('a', 'pcn.a.v1', ['pcn.b.v1']);
    const b = service('b', 'pcn.b.v1', ['pcn.a.v1']);
    expect(startOrder([a, b]).map((s) => s.name)).toEqual(['b', 'a']);
  });

  it('names its targets', () => {
    expect(serviceNames([registry, staff] as const)).toEqual(['registry', 'staff']);
  });

  it('merges the configuration slices, refusing a variable read by two services', () => {
    const one = service('one', 'pcn.one.v1', [], { PCN_ONE: z.string() });
    const two = service('two', 'pcn.two.v1', [], { PCN_TWO: z.string() });
    expect(Object.keys(servicesConfigShape([one, two]))).toEqual(['PCN_ONE', 'PCN_TWO']);
    const clash = service('clash', 'pcn.clash.v1', [], { PCN_ONE: z.string() });
    expect(() => servicesConfigShape([one, clash])).toThrow(new ServiceDefinitionError('clash', 'PCN_ONE is already read by another service'));
  });

  it('checks the configuration rules of the services that run only', () => {
    const deployment = { store: 'postgres', dataDir: './data' } as const;
    expect(checkServicesConfig([registry, staff], {}, deployment, (name) => name === 'staff')).toEqual([{ variable: 'PCN_STAFF_KEY', message: 'is required' }]);
    expect(checkServicesConfig([registry, staff], {}, { ...deployment, store: 'pglite' }, () => true)).toEqual([]);
  });
});
