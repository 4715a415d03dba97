import { staffEventsV1 as ev, staffV1 as pb } from '@pcn/contracts';
import { causationOf, staffReader, topicConsumer, UnreadableStaffMessageError, type MessageHandler, type ReceivedMessage } from '@pcn/messaging';
import type { SqlExecutor } from '@pcn/eventsourcing';
import type { DepartureRecorder, GpAssignment } from '../../application/ports';
import type { SqlPractitionerDirectory } from '../persistence/sql-practitioner-directory';

export const ATTRIBUTION_STAFF_GROUP = 'attribution-practitioners';

/** A possible médecin traitant: a doctor in general practice, with the RPPS patients are declared under. */
const isGp = (member: ev.StaffMember): boolean =>
  member.profession === pb.Profession.PROFESSION_DOCTOR && member.specialty === pb.Specialty.SPECIALTY_GENERAL_PRACTICE && member.rpps !== '';

/**
 * The assignment of a GP, or none for another professional. The reader checked the required
 * fields and the dates; what is left is attribution's own reading of the FTE and the period.
 */
function started(message: ReceivedMessage, m: ev.AssignmentStarted): GpAssignment | undefined {
  const member = m.professional!;
  if (!isGp(member)) return undefined;
  const fte = Number(m.fte);
  if (!Number.isFinite(fte) || fte <= 0 || fte > 1) throw new UnreadableStaffMessageError(message, `fte must be a decimal in (0, 1], got "${m.fte}"`);
  const endOn = m.endOn === '' ? undefined : m.endOn;
  if (endOn !== undefined && endOn <= m.startOn) throw new UnreadableStaffMessageError(message, `end_on ${endOn} is not after start_on ${m.startOn}`);
  return {
    assignmentId: m.assignmentId,
    professionalId: member.professionalId,
    rpps: member.rpps,
    centreFiness: m.centreFiness,
    fte,
    startOn: m.startOn,
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
export function staffConsumer(deps: { sql: SqlExecutor; directory: SqlPractitionerDirectory; departures: DepartureRecorder }): MessageHandler {
  return topicConsumer(staffReader, {
    AssignmentStarted: async (event, message) => {
      const assignment = started(message, event);
      if (assignment) await deps.directory.recordAssignmentStarted(deps.sql, assignment);
    },
    AssignmentEnded: async (m, message) => {
      const member = m.professional!;
      if (!isGp(member)) return;
      // An end whose start was never seen is not stored (see recordAssignmentEnded); the
      // departure is handed over all the same: the message says all it needs.
      await deps.directory.recordAssignmentEnded(deps.sql, m.assignmentId, m.endOn, m.reason);
      await deps.departures.assignmentEnded(
        {
          assignmentId: m.assignmentId,
          professionalId: member.professionalId,
          rpps: member.rpps,
          centreFiness: m.centreFiness,
          endOn: m.endOn,
          reason: m.reason,
        },
        causationOf(message),
      );
    },
  });
}
