import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';
import { decodeMessage, UnreadableMessageError, type ReceivedMessage } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import { CENTRE_STATUSES, CENTRE_TYPES, type CentreInfo, type CentreStatus, type CentreType, type DepartureRecorder } from '../../application/ports';
import type { SqlPractitionerDirectory } from '../persistence/sql-practitioner-directory';

/** The registry's topic, as the registry publishes it. */
export const REGISTRY_TOPIC = 'pcn.registry.v1';
export const ATTRIBUTION_REGISTRY_GROUP = 'attribution-centres';

/** The five lifecycle messages other than closure carry the snapshot the same way. */
const SNAPSHOT_DECODERS: Record<string, (data: Uint8Array) => { centre?: ev.CentreSnapshot | undefined }> = {
  'pcn.events.v1.CentreRegistered': (d) => ev.CentreRegistered.decode(d),
  'pcn.events.v1.CentreAmended': (d) => ev.CentreAmended.decode(d),
  'pcn.events.v1.CentreAccredited': (d) => ev.CentreAccredited.decode(d),
  'pcn.events.v1.CentreSuspended': (d) => ev.CentreSuspended.decode(d),
  'pcn.events.v1.CentreReinstated': (d) => ev.CentreReinstated.decode(d),
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A registry message attribution cannot read: it ends in the dead letters once the bus's retries are spent. */
export class UnreadableRegistryMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('registry', message, why);
  }
}

/** Decodes the payload, or says the message is unreadable (bytes that are not this protobuf message). */
function decoded<T>(message: ReceivedMessage, decode: (data: Uint8Array) => T): T {
  return decodeMessage(message, decode, (why) => new UnreadableRegistryMessageError(message, why));
}

const isCentreType = (value: string | undefined): value is CentreType => (CENTRE_TYPES as readonly (string | undefined)[]).includes(value);
const isCentreStatus = (value: string | undefined): value is CentreStatus => (CENTRE_STATUSES as readonly (string | undefined)[]).includes(value);

function info(message: ReceivedMessage, snapshot: ev.CentreSnapshot, closedOn?: string): CentreInfo {
  if (!snapshot.finess) throw new UnreadableRegistryMessageError(message, 'a centre snapshot without its FINESS');
  const type = fromProtoEnum(pb.CentreType, 'CENTRE_TYPE_', snapshot.type);
  const status = fromProtoEnum(pb.CentreStatus, 'CENTRE_STATUS_', snapshot.status);
  return {
    finess: snapshot.finess,
    name: snapshot.name,
    // Unset, or a value added to the contract later: what attribution cannot tell apart yet.
    type: isCentreType(type) ? type : 'unspecified',
    communeInsee: snapshot.communeInsee,
    departement: snapshot.departement,
    region: snapshot.region,
    ...(snapshot.coordinates && { latitude: snapshot.coordinates.latitude, longitude: snapshot.coordinates.longitude }),
    status: closedOn ? 'closed' : isCentreStatus(status) ? status : 'candidate',
    // Empty from a registry that predates the field, or for a centre never accredited.
    ...(ISO_DATE.test(snapshot.memberSince) && { memberSince: snapshot.memberSince }),
    ...(closedOn && { closedOn }),
  };
}

/**
 * What attribution does with `pcn.registry.v1`: keeps its directory of centres (type, commune,
 * coordinates for matching by distance, status, membership and closure dates) and, on a closure, hands the
 * departure over so the patients whose médecin traitant practised there are taken care of.
 *
 * Every effect is idempotent on its own (a version guard on the directory, a departure recorded
 * under ids derived from the centre), so a redelivered message changes nothing. No
 * processed-message marker is needed, and none is wanted: its transaction would hold embedded
 * PGlite's only connection while the departure appends to the event store.
 */
export function registryConsumer(deps: { sql: SqlExecutor; directory: SqlPractitionerDirectory; departures: DepartureRecorder }): (message: ReceivedMessage) => Promise<void> {
  return async (message) => {
    if (message.type === 'pcn.events.v1.CentreClosed') {
      const closed = decoded(message, (d) => ev.CentreClosed.decode(d));
      if (!closed.centre || !ISO_DATE.test(closed.effectiveDate)) throw new UnreadableRegistryMessageError(message, 'a closure without its centre or effective date (YYYY-MM-DD)');
      const centre = info(message, closed.centre, closed.effectiveDate);
      await deps.directory.recordCentre(deps.sql, centre, closed.centre.version);
      await deps.departures.centreClosed(
        { centreFiness: centre.finess, closedOn: closed.effectiveDate },
        { causationId: message.id, ...(message.headers.traceparent && { traceparent: message.headers.traceparent }) },
      );
      return;
    }
    const decode = SNAPSHOT_DECODERS[message.type];
    // A message type added to the contract later is none of attribution's business until it says so.
    if (!decode) return;
    const { centre } = decoded(message, decode);
    if (!centre) throw new UnreadableRegistryMessageError(message, 'no centre snapshot');
    await deps.directory.recordCentre(deps.sql, info(message, centre), centre.version);
  };
}
