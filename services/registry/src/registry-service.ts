import { registryV1 } from '@pcn/contracts';
import { REGISTRY_TOPIC } from '@pcn/messaging';
import { CommuneDirectory, validateFiness } from '@pcn/referential';
import { composeService, defineService, type ServiceInputs, type ServiceModule, type ServiceParts } from '@pcn/service';
import { CentreRegistry } from './application/centre-registry';
import type { CommuneLookup, IdentifierCheck } from './application/ports';
import { centreEventSchemas } from './application/event-schemas';
import { centresProjection } from './adapters/persistence/centres-projection';
import { SqlCentreReadModel } from './adapters/persistence/sql-centre-read-model';
import { centreRoutes } from './adapters/http/centres-routes';
import { centreRegistryGrpc } from './adapters/grpc/centre-registry-grpc';
import { registryEventMapper } from './adapters/messaging/registry-integration-events';

/** Every stream the registry writes (a KurrentDB store is filtered on them). */
export const REGISTRY_STREAM_PREFIXES = ['centre-'] as const;

export interface RegistryOptions {
  readonly communes: CommuneLookup;
  readonly checkFiness: IdentifierCheck;
}

export interface RegistryApp {
  readonly registry: CentreRegistry;
}

/** The registry of centres: REST `/v1/centres`, gRPC `pcn.registry.v1.CentreRegistry`, topic `pcn.registry.v1`. */
export const registryService = defineService({
  name: 'registry',
  streamPrefixes: REGISTRY_STREAM_PREFIXES,
  publishes: REGISTRY_TOPIC,
  consumes: [],
  config: { shape: {} },
  configure: (): RegistryOptions => ({ communes: CommuneDirectory.shared(), checkFiness: validateFiness }),
  async compose(ctx, options: RegistryOptions): Promise<ServiceParts<RegistryApp>> {
    const projection = ctx.projection(centresProjection(ctx.schema), { schemas: centreEventSchemas });
    const registry = new CentreRegistry({
      store: ctx.store,
      readModel: new SqlCentreReadModel(ctx.sql, ctx.schema, projection),
      communes: options.communes,
      checkFiness: options.checkFiness,
      clock: ctx.clock,
      ...(ctx.onCommand && { onCommand: ctx.onCommand }),
      ...(ctx.readModelWaitMs !== undefined && { readModelWaitMs: ctx.readModelWaitMs }),
    });
    return {
      application: { registry },
      relay: { streamPrefixes: REGISTRY_STREAM_PREFIXES, map: registryEventMapper(ctx.store) },
      http: { path: '/v1/centres', router: centreRoutes.router(registry), openApi: centreRoutes.openApi() },
      grpc: { service: registryV1.CentreRegistryService, implementation: (options) => centreRegistryGrpc(registry, options) },
    };
  },
});

export type RegistryModuleOptions = ServiceInputs & RegistryOptions;
export type RegistryModule = ServiceModule<RegistryApp>;

/** The registry composed on its store, ready to start (tests drive it directly). */
export const createRegistryModule = (options: RegistryModuleOptions): Promise<RegistryModule> => composeService(registryService, options);
