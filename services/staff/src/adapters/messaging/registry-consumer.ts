import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';
import { UnreadableMessageError, type ReceivedMessage } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import type { CentreInfo, CentreStatus } from '../../application/ports';
import type { CentreClosures } from '../../application/centre-closures';

/** The registry's topic, as the registry publishes it. */
export const REGISTRY_TOPIC = 'pcn.registry.v1';
export const STAFF_REGISTRY_GROUP = 'staff-centres';

/** The five lifecycle messages other than closure carry the snapshot the same way. */
const SNAPSHOT_DECODERS: Record<string, (data: Uint8Array) => { centre?: ev.CentreSnapshot | undefined }> = {
  'pcn.events.v1.CentreRegistered': (d) => ev.CentreRegistered.decode(d),
  'pcn.events.v1.CentreAmended': (d) => ev.CentreAmended.decode(d),
  'pcn.events.v1.CentreAccredited': (d) => ev.CentreAccredited.decode(d),
  'pcn.events.v1.CentreSuspended': (d) => ev.CentreSuspended.decode(d),
  'pcn.events.v1.CentreReinstated': (d) => ev.CentreReinstated.decode(d),
};

export class UnreadableRegistryMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('registry', message, why);
  }
}

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
 * Every effect is idempotent on its own (a version guard on the directory, idempotent domain
 * commands), so a redelivered message changes nothing; no processed-message marker is needed,
 * and none is wanted: its transaction would hold embedded PGlite's only connection while the
 * closure's commands append to the event store.
 */
export function registryConsumer(deps: { sql: SqlExecutor; directory: CentreDirectoryWriter; closures: CentreClosures }): (message: ReceivedMessage) => Promise<void> {
  return async (message) => {
    if (message.type === 'pcn.events.v1.CentreClosed') {
      const closed = ev.CentreClosed.decode(message.data);
      if (!closed.centre || !closed.effectiveDate) throw new UnreadableRegistryMessageError(message, 'a closure without its centre or effective date');
      await deps.directory.record(deps.sql, info(closed.centre, closed.effectiveDate), closed.centre.version);
      await deps.closures.centreClosed(closed.centre.finess, closed.effectiveDate, { causationId: message.id, ...(message.headers.traceparent && { traceparent: message.headers.traceparent }) });
      return;
    }
    const decode = SNAPSHOT_DECODERS[message.type];
    // A message type added to the contract later is none of staff's business until it says so.
    if (!decode) return;
    const { centre } = decode(message.data);
    if (!centre) throw new UnreadableRegistryMessageError(message, 'no centre snapshot');
    await deps.directory.record(deps.sql, info(centre), centre.version);
  };
}
