import { KurrentDbEventStore } from '@pcn/eventsourcing';
import { createPlanningModule, PLANNING_STREAM_PREFIXES, type PlanningModule } from '@pcn/planning';
import type { TargetContext } from './target-context';

/** Territorial planning: REST `/v1/planning`; learns centres and GPs from `pcn.registry.v1` and `pcn.staff.v1`. */
export async function startPlanningTarget(ctx: TargetContext): Promise<PlanningModule> {
  const { config } = ctx;
  const store =
    config.PCN_STORE === 'kurrentdb' ? await KurrentDbEventStore.connect(config.KURRENTDB_URL!, { streamPrefixes: [...PLANNING_STREAM_PREFIXES] }) : undefined;
  if (store) ctx.onStop(() => store.close());
  const planning = await createPlanningModule({ sql: ctx.database.sql, schema: 'planning', ...(store && { store }), bus: ctx.bus });
  await planning.start();
  ctx.onStop(() => planning.stop());
  ctx.mounts.push({ path: '/v1/planning', router: planning.httpRouter });
  return planning;
}
