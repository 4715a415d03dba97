import { registryEventsV1 as ev, registryV1 as pb } from '@pcn/contracts';
import { fromProtoEnum } from '@pcn/grpc';
import { centreLifecycleConsumer, type MessageHandler } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import { CENTRE_STATUSES, CENTRE_TYPES, type CentreInfo, type CentreStatus, type CentreType, type DepartureRecorder } from '../../application/ports';
import type { SqlPractitionerDirectory } from '../persistence/sql-practitioner-directory';

export const ATTRIBUTION_REGISTRY_GROUP = 'attribution-centres';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isCentreType = (value: string | undefined): value is CentreType => (CENTRE_TYPES as readonly (string | undefined)[]).includes(value);
const isCentreStatus = (value: string | undefined): value is CentreStatus => (CENTRE_STATUSES as readonly (string | undefined)[]).includes(value);

function info(snapshot: ev.CentreSnapshot, closedOn?: string): CentreInfo {
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
export function registryConsumer(deps: { sql: SqlExecutor; directory: SqlPractitionerDirectory; departures: DepartureRecorder }): MessageHandler {
  return centreLifecycleConsumer({
    changed: (centre) => deps.directory.recordCentre(deps.sql, info(centre), centre.version),
    async closed(snapshot, closedOn, causation) {
      await deps.directory.recordCentre(deps.sql, info(snapshot, closedOn), snapshot.version);
      await deps.departures.centreClosed({ centreFiness: snapshot.finess, closedOn }, causation);
    },
  });
}
