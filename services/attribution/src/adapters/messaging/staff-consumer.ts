import { staffEventsV1 as ev, staffV1 as pb } from '@pcn/contracts';
import { decodeMessage, UnreadableMessageError, type ReceivedMessage } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import type { DepartureRecorder, GpAssignment } from '../../application/ports';
import type { SqlPractitionerDirectory } from '../persistence/sql-practitioner-directory';

/** The staff topic, as staff publishes it (keyed by professional id: one GP's events stay in order). */
export const STAFF_TOPIC = 'pcn.staff.v1';
export const ATTRIBUTION_STAFF_GROUP = 'attribution-practitioners';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A staff message attribution cannot read: it ends in the dead letters once the bus's retries are spent. */
export class UnreadableStaffMessageError extends UnreadableMessageError {
  constructor(message: ReceivedMessage, why: string) {
    super('staff', message, why);
  }
}

/** Decodes the payload, or says the message is unreadable (bytes that are not this protobuf message). */
function decoded<T>(message: ReceivedMessage, decode: (data: Uint8Array) => T): T {
  return decodeMessage(message, decode, (why) => new UnreadableStaffMessageError(message, why));
}

/** The professional of a message, or unreadable: without it, who it is about cannot be told. */
function memberOf(message: ReceivedMessage, member: ev.StaffMember | undefined): ev.StaffMember {
  if (!member?.professionalId) throw new UnreadableStaffMessageError(message, 'no professional');
  return member;
}

/** A possible médecin traitant: a doctor in general practice, with the RPPS patients are declared under. */
const isGp = (member: ev.StaffMember): boolean =>
  member.profession === pb.Profession.PROFESSION_DOCTOR && member.specialty === pb.Specialty.SPECIALTY_GENERAL_PRACTICE && member.rpps !== '';

function required(message: ReceivedMessage, fields: Record<string, string>): void {
  const missing = Object.entries(fields).filter(([, value]) => value === '').map(([name]) => name);
  if (missing.length > 0) throw new UnreadableStaffMessageError(message, `missing ${missing.join(', ')}`);
}

function date(message: ReceivedMessage, field: string, value: string): string {
  if (!ISO_DATE.test(value)) throw new UnreadableStaffMessageError(message, `${field} must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}

function started(message: ReceivedMessage): GpAssignment | undefined {
  const m = decoded(message, (d) => ev.AssignmentStarted.decode(d));
  const member = memberOf(message, m.professional);
  if (!isGp(member)) return undefined;
  required(message, { assignment_id: m.assignmentId, centre_finess: m.centreFiness });
  const fte = Number(m.fte);
  if (m.fte === '' || !Number.isFinite(fte) || fte <= 0 || fte > 1) throw new UnreadableStaffMessageError(message, `fte must be a decimal in (0, 1], got "${m.fte}"`);
  const startOn = date(message, 'start_on', m.startOn);
  const endOn = m.endOn === '' ? undefined : date(message, 'end_on', m.endOn);
  if (endOn !== undefined && endOn <= startOn) throw new UnreadableStaffMessageError(message, `end_on ${endOn} is not after start_on ${startOn}`);
  return {
    assignmentId: m.assignmentId,
    professionalId: member.professionalId,
    rpps: member.rpps,
    centreFiness: m.centreFiness,
    fte,
    startOn,
    ...(endOn !== undefined && { endOn }),
  };
}

/**
 * What attribution does with `pcn.staff.v1`: keeps the assignments of the general practitioners
 * (who practises where, from when to when, at what FTE) and, when one ends, hands the departure
 * over so the GP's patients at that centre are taken care of. Other professions and specialties
 * are none of its business.
 *
 * Only `AssignmentStarted` and `AssignmentEnded` are read. Staff announces every change of a
 * GP's posts with them: a transfer or a fixed-term movement ends the origin assignment and starts
 * the destination one on the professional's stream (`ProfessionalTransferred` is published from
 * the approval, before the movement is applied, and tells nothing more; were the movement refused,
 * nothing would have changed), and an exit ends each running assignment (reason `exit`) before
 * `ProfessionalExited`. Hires (no post yet) and the statute's publications are ignored, as is
 * any message type added to the contract later.
 *
 * Every effect is idempotent on its own (the directory is keyed by assignment id, a departure is
 * recorded under ids derived from the assignment), so a redelivered message changes nothing and
 * an end recorded before a crash is handed over again. No processed-message marker is needed,
 * and none is wanted: its transaction would hold embedded PGlite's only connection while the
 * departure appends to the event store.
 */
export function staffConsumer(deps: { sql: SqlExecutor; directory: SqlPractitionerDirectory; departures: DepartureRecorder }): (message: ReceivedMessage) => Promise<void> {
  return async (message) => {
    switch (message.type) {
      case 'pcn.events.v1.AssignmentStarted': {
        const assignment = started(message);
        if (assignment) await deps.directory.recordAssignmentStarted(deps.sql, assignment);
        return;
      }
      case 'pcn.events.v1.AssignmentEnded': {
        const m = decoded(message, (d) => ev.AssignmentEnded.decode(d));
        const member = memberOf(message, m.professional);
        if (!isGp(member)) return;
        required(message, { assignment_id: m.assignmentId, centre_finess: m.centreFiness, reason: m.reason });
        const endOn = date(message, 'end_on', m.endOn);
        // An end whose start was never seen is not stored (see recordAssignmentEnded); the
        // departure is handed over all the same: the message says all it needs.
        await deps.directory.recordAssignmentEnded(deps.sql, m.assignmentId, endOn, m.reason);
        await deps.departures.assignmentEnded(
          { assignmentId: m.assignmentId, professionalId: member.professionalId, rpps: member.rpps, centreFiness: m.centreFiness, endOn, reason: m.reason },
          { causationId: message.id, ...(message.headers.traceparent && { traceparent: message.headers.traceparent }) },
        );
        return;
      }
      default:
        return;
    }
  };
}
