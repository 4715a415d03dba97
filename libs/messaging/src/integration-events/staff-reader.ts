import { staffEventsV1 as ev } from '@pcn/contracts';
import { fields, schema, topicReader, type FieldChecks, type ReadEvent } from './topic-reader';
import { UnreadableStaffMessageError } from './unreadable-errors';

/** The staff topic, keyed by professional id: one professional's events stay in order. */
export const STAFF_TOPIC = 'pcn.staff.v1';

/** Without the professional's id, who an event is about cannot be told. */
const member = (checks: FieldChecks, m: ev.StaffMember): void => void checks.text('professional.professional_id', m.professionalId);

const staffSchemas = {
  ProfessionalHired: schema(ev.ProfessionalHired, (e) => fields().message('professional', e.professional, member).date('hired_on', e.hiredOn).problems),
  AssignmentStarted: schema(
    ev.AssignmentStarted,
    (e) =>
      fields()
        .message('professional', e.professional, member)
        .text('assignment_id', e.assignmentId)
        .text('centre_finess', e.centreFiness)
        .text('fte', e.fte)
        .date('start_on', e.startOn)
        .optionalDate('end_on', e.endOn).problems,
  ),
  AssignmentEnded: schema(
    ev.AssignmentEnded,
    (e) =>
      fields()
        .message('professional', e.professional, member)
        .text('assignment_id', e.assignmentId)
        .text('centre_finess', e.centreFiness)
        .date('end_on', e.endOn)
        .text('reason', e.reason).problems,
  ),
  ProfessionalTransferred: schema(
    ev.ProfessionalTransferred,
    (e) => fields().message('professional', e.professional, member).text('mobility_id', e.mobilityId).date('effective_on', e.effectiveOn).problems,
  ),
  ProfessionalExited: schema(ev.ProfessionalExited, (e) => fields().message('professional', e.professional, member).date('exit_on', e.exitOn).problems),
  PayGridPublished: schema(ev.PayGridPublished, (e) => fields().message('grid', e.grid).problems),
  IndexPointValuePublished: schema(ev.IndexPointValuePublished, (e) => fields().message('value', e.value).problems),
};

export type StaffEvent = ReadEvent<typeof staffSchemas>;

export const staffReader = topicReader(STAFF_TOPIC, (message, why) => new UnreadableStaffMessageError(message, why), staffSchemas);
