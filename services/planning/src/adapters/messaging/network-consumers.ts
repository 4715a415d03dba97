import { registryEventsV1 as rev, registryV1 as rpb, staffEventsV1 as sev, staffV1 as spb } from '@pcn/contracts';
import {
  REGISTRY_TOPIC,
  registryReader,
  STAFF_TOPIC,
  staffReader,
  topicConsumer,
  UnreadableStaffMessageError,
  type MessageHandler,
  type ReceivedMessage,
} from '@pcn/messaging';
import type { SqlClient } from '@pcn/eventsourcing';
import type { SqlNetworkDirectory } from '../persistence/sql-network-directory';
import type { AccreditedCentre } from '../../domain/scheme';

export { REGISTRY_TOPIC, STAFF_TOPIC };
export const PLANNING_REGISTRY_GROUP = 'planning-centres';
export const PLANNING_STAFF_GROUP = 'planning-practitioners';

const STATUS_NAMES: Record<number, string> = {
  [rpb.CentreStatus.CENTRE_STATUS_CANDIDATE]: 'candidate',
  [rpb.CentreStatus.CENTRE_STATUS_MEMBER]: 'member',
  [rpb.CentreStatus.CENTRE_STATUS_SUSPENDED]: 'suspended',
  [rpb.CentreStatus.CENTRE_STATUS_CLOSED]: 'closed',
};

const positionOf = (message: ReceivedMessage) => ({ topic: message.topic, partition: message.partition, offset: Number(message.offset) });

/**
 * What planning keeps of `pcn.registry.v1`: each centre's commune, position, status (only
 * members are supply) and day of accreditation (for the reconciliation of schemes at adoption), with the registry's version as a guard, and the position reached in the
 * log, in one transaction.
 */
export function registryNetworkConsumer(deps: {
  sql: SqlClient;
  directory: SqlNetworkDirectory;
  /** An accredited centre may fulfil an adopted scheme's proposal in its commune. */
  onAccredited?: (centre: AccreditedCentre, message: ReceivedMessage) => Promise<unknown>;
}): MessageHandler {
  const record = async (event: { centre?: rev.CentreSnapshot | undefined }, message: ReceivedMessage, closed = false): Promise<void> => {
    const centre = event.centre!;
    await deps.sql.transaction(async (tx) => {
      await deps.directory.recordCentre(tx, {
        finess: centre.finess,
        communeCode: centre.communeInsee,
        ...(centre.coordinates && { latitude: centre.coordinates.latitude, longitude: centre.coordinates.longitude }),
        status: closed ? 'closed' : (STATUS_NAMES[centre.status] ?? 'candidate'),
        ...(centre.memberSince !== '' && { memberSince: centre.memberSince }),
        version: centre.version,
      });
      await deps.directory.recordPosition(tx, positionOf(message));
    });
  };
  return topicConsumer(registryReader, {
    CentreRegistered: (e, m) => record(e, m),
    CentreAmended: (e, m) => record(e, m),
    CentreAccredited: async (e, m) => {
      await record(e, m);
      await deps.onAccredited?.({ centreFiness: e.centre!.finess, communeCode: e.centre!.communeInsee, accreditedOn: e.accreditedOn }, m);
    },
    CentreSuspended: (e, m) => record(e, m),
    CentreReinstated: (e, m) => record(e, m),
    CentreClosed: (e, m) => record(e, m, true),
  });
}

/** A general practitioner: supply in the sense of E2SFCA. Other professions are none of this computation's business. */
const isGp = (member: sev.StaffMember): boolean =>
  member.profession === spb.Profession.PROFESSION_DOCTOR && member.specialty === spb.Specialty.SPECIALTY_GENERAL_PRACTICE;

/** What planning keeps of `pcn.staff.v1`: the assignments of general practitioners (centre, FTE, dates) and the position reached. */
export function staffNetworkConsumer(deps: { sql: SqlClient; directory: SqlNetworkDirectory }): MessageHandler {
  return topicConsumer(staffReader, {
    AssignmentStarted: async (m, message) => {
      const fte = Number(m.fte);
      if (!Number.isFinite(fte) || fte <= 0 || fte > 1) throw new UnreadableStaffMessageError(message, `fte must be a decimal in (0, 1], got "${m.fte}"`);
      await deps.sql.transaction(async (tx) => {
        if (isGp(m.professional!)) {
          await deps.directory.recordAssignmentStarted(tx, {
            assignmentId: m.assignmentId,
            centreFiness: m.centreFiness,
            fte,
            startOn: m.startOn,
            ...(m.endOn !== '' && { endOn: m.endOn }),
          });
        }
        await deps.directory.recordPosition(tx, positionOf(message));
      });
    },
    AssignmentEnded: async (m, message) => {
      await deps.sql.transaction(async (tx) => {
        if (isGp(m.professional!)) await deps.directory.recordAssignmentEnded(tx, m.assignmentId, m.endOn);
        await deps.directory.recordPosition(tx, positionOf(message));
      });
    },
  });
}
