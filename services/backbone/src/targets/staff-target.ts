import { staffV1 } from '@pcn/contracts';
import { KurrentDbEventStore } from '@pcn/eventsourcing';
import { validateFiness, validateRpps } from '@pcn/referential';
import { createStaffModule, staffStatuteGrpc, STAFF_STREAM_PREFIXES, type StaffModule } from '@pcn/staff';
import type { TargetContext } from './target-context';

/** Staff statute and mobility: REST `/v1/staff`, gRPC `pcn.staff.v1.StaffStatute`, topic `pcn.staff.v1`. */
export async function startStaffTarget(ctx: TargetContext): Promise<StaffModule> {
  const { config, metrics } = ctx;
  const store =
    config.PCN_STORE === 'kurrentdb' ? await KurrentDbEventStore.connect(config.KURRENTDB_URL!, { streamPrefixes: [...STAFF_STREAM_PREFIXES] }) : undefined;
  if (store) ctx.onStop(() => store.close());
  const logger = ctx.logger.child({ module: 'staff' });
  const staff = await createStaffModule({
    sql: ctx.database.sql,
    schema: 'staff',
    ...(store && { store }),
    checkFiness: validateFiness,
    checkRpps: validateRpps,
    logger,
    bus: ctx.bus,
    advancementIntervalMs: config.PCN_STAFF_ADVANCEMENT_INTERVAL_MS,
    onAdvancementRun: (run) => metrics.staffAdvancements.inc(run.advancementsRecorded),
    onRelayProgress: (position) => metrics.relayPosition.set({ relay: 'staff' }, position),
    onCommand: ({ command, outcome, seconds }) => metrics.commandDuration.observe({ service: 'staff', command, outcome }, seconds),
  });
  await staff.start();
  ctx.onStop(() => staff.stop());
  ctx.projections.push({ runner: staff.projection, store: staff.store });
  ctx.mounts.push({ path: '/v1/staff', router: staff.httpRouter });
  ctx.grpc.addService(staffV1.StaffStatuteService, staffStatuteGrpc(staff, ctx.unaryOptions));
  ctx.openApis.push(staff.openApi);
  return staff;
}
