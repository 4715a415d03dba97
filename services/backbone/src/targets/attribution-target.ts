import { attributionV1 } from '@pcn/contracts';
import { KurrentDbEventStore } from '@pcn/eventsourcing';
import { ATTRIBUTION_STREAM_PREFIXES, attributionGrpcService, createAttributionModule, type AttributionModule } from '@pcn/attribution';
import { nirKeySource } from './nir-key';
import type { TargetContext } from './target-context';

/** Attribution: REST `/v1/attribution`, gRPC `pcn.attribution.v1.Attribution`, topic `pcn.attribution.v1`. */
export async function startAttributionTarget(ctx: TargetContext): Promise<AttributionModule> {
  const { config, metrics } = ctx;
  const store =
    config.PCN_STORE === 'kurrentdb'
      ? await KurrentDbEventStore.connect(config.KURRENTDB_URL!, { streamPrefixes: [...ATTRIBUTION_STREAM_PREFIXES] })
      : undefined;
  if (store) ctx.onStop(() => store.close());
  const logger = ctx.logger.child({ module: 'attribution' });
  const attribution = await createAttributionModule({
    sql: ctx.database.sql,
    schema: 'attribution',
    ...(store && { store }),
    nirKey: nirKeySource(config, logger),
    norms: { national: config.PCN_ATTRIBUTION_PANEL_NORM, byCentreType: config.PCN_ATTRIBUTION_PANEL_NORMS_BY_TYPE ?? {} },
    matchDistanceKm: config.PCN_ATTRIBUTION_MATCH_DISTANCE_KM,
    logger,
    bus: ctx.bus,
    onRelayProgress: (position) => metrics.relayPosition.set({ relay: 'attribution' }, position),
    onCommand: ({ command, outcome, seconds }) => metrics.commandDuration.observe({ service: 'attribution', command, outcome }, seconds),
  });
  await attribution.start();
  ctx.onStop(() => attribution.stop());
  ctx.projections.push({ runner: attribution.projection, store: attribution.store });
  ctx.mounts.push({ path: '/v1/attribution', router: attribution.httpRouter });
  ctx.grpc.addService(attributionV1.AttributionService, attributionGrpcService(attribution, ctx.unaryOptions));
  ctx.openApis.push(attribution.openApi);
  return attribution;
}
