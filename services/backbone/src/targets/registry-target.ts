import { registryV1 } from '@pcn/contracts';
import { KurrentDbEventStore } from '@pcn/eventsourcing';
import { CommuneDirectory, validateFiness } from '@pcn/referential';
import { centreRegistryGrpc, createRegistryModule, type RegistryModule } from '@pcn/registry';
import type { TargetContext } from './target-context';

/** The registry of centres: REST `/v1/centres`, gRPC `pcn.registry.v1.CentreRegistry`, topic `pcn.registry.v1`. */
export async function startRegistryTarget(ctx: TargetContext): Promise<RegistryModule> {
  const { config, metrics } = ctx;
  const store = config.PCN_STORE === 'kurrentdb' ? await KurrentDbEventStore.connect(config.KURRENTDB_URL!, { streamPrefixes: ['centre-'] }) : undefined;
  if (store) ctx.onStop(() => store.close());
  const registry = await createRegistryModule({
    sql: ctx.database.sql,
    schema: 'registry',
    ...(store && { store }),
    communes: CommuneDirectory.shared(),
    checkFiness: validateFiness,
    logger: ctx.logger.child({ module: 'registry' }),
    bus: ctx.bus,
    onRelayProgress: (position) => metrics.relayPosition.set({ relay: 'registry' }, position),
    onCommand: ({ command, outcome, seconds }) => metrics.commandDuration.observe({ service: 'registry', command, outcome }, seconds),
  });
  await registry.start();
  ctx.onStop(() => registry.stop());
  ctx.projections.push({ runner: registry.projection, store: registry.store });
  ctx.mounts.push({ path: '/v1/centres', router: registry.httpRouter });
  ctx.grpc.addService(registryV1.CentreRegistryService, centreRegistryGrpc(registry.registry, ctx.unaryOptions));
  ctx.openApis.push(registry.openApi);
  return registry;
}
