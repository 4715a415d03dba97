import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';
import { centreLifecycleConsumer, type MessageHandler } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import type { CentreInfo, CentreStatus } from '../../application/ports';
import type { CentreClosures } from '../../application/centre-closures';

export const STAFF_REGISTRY_GROUP = 'staff-centres';

function info(snapshot: ev.CentreSnapshot, closedOn?: string): CentreInfo {
  return {
    finess: snapshot.finess,
    name: snapshot.name,
    departement: snapshot.departement,
    region: snapshot.region,
    status: (fromProtoEnum(pb.CentreStatus, 'CENTRE_STATUS_', snapshot.status) ?? 'candidate') as CentreStatus,
    ...(closedOn && { closedOn }),
  };
}

export interface CentreDirectoryWriter {
  record(tx: SqlExecutor, centre: CentreInfo, version: number): Promise<void>;
}

/**
 * What staff does with `pcn.registry.v1`: keeps its directory of centres (territory, status,
 * closure date) and, on a closure, ends the assignments there and cancels the open vacancies.
 * The shared `centreLifecycleConsumer` decodes and checks each message (an unreadable one is
 * dead-lettered at once). Every effect is idempotent on its own (a version guard on the
 * directory, idempotent domain commands), so a redelivered message changes nothing; no
 * processed-message marker is needed, and none is wanted: its transaction would hold embedded
 * PGlite's only connection while the closure's commands append to the event store.
 */
export function registryConsumer(deps: { sql: SqlExecutor; directory: CentreDirectoryWriter; closures: CentreClosures }): MessageHandler {
  return centreLifecycleConsumer({
    changed: (centre) => deps.directory.record(deps.sql, info(centre), centre.version),
    async closed(centre, closedOn, causation) {
      await deps.directory.record(deps.sql, info(centre, closedOn), centre.version);
      await deps.closures.centreClosed(centre.finess, closedOn, causation);
    },
  });
}
