import { staffEventsV1 as ev, staffV1 as pb } from '@pcn/contracts';
import type { EventStore, RecordedEvent } from '@pcn/eventsourcing';
import { toProtoEnum } from '@pcn/grpc';
import { eventMessage, STAFF_TOPIC, type EventMapper, type OutgoingMessage } from '@pcn/messaging';
import { professionalDecider } from '../../domain/professional/professional-decider';
import type { ProfessionalEvent } from '../../domain/professional/professional-events';
import type { Professional } from '../../domain/professional/professional-state';
import type { MobilityEvent } from '../../domain/mobility/mobility-events';
import type { StatuteEvent } from '../../domain/statute/statute-decider';
import { toIndexPointMessage, toPayGridMessage } from '../grpc/pay-grid-messages';
import { staffEventSchemas } from '../../application/event-schemas';
import { fteText } from '../../application/views';
import { MOBILITY_PREFIX, PROFESSIONAL_PREFIX } from '../../application/stream-ids';
import { STATUTE_STREAM } from '../../domain/statute/statute-decider';

/** Published on `STAFF_TOPIC`, keyed by professional id, so one professional's events stay in order. */
export const STAFF_SOURCE = '/pcn/staff';
/** Statute messages (grids, index point) share one key: they are read in publication order. */
export const STATUTE_KEY = 'statute';

const enumOf = (values: Record<string, string | number>, prefix: string, value: string | undefined): number =>
  value === undefined ? 0 : toProtoEnum(values, prefix, value);

/** The professional as they stood right after `event` (exact on a replay too). */
async function professionalAfter(store: EventStore, event: RecordedEvent): Promise<Professional | undefined> {
  const history = await store.readStream(event.streamId, { maxCount: event.revision + 1 });
  const state = history
    .map((e) => staffEventSchemas.upcast(e))
    .reduce((s, e) => professionalDecider.evolve(s, { type: e.type, data: e.data } as ProfessionalEvent), professionalDecider.initialState());
  return state.exists ? state : undefined;
}

function member(p: Pick<Professional, 'professionalId' | 'identity' | 'profession' | 'specialty'>): ev.StaffMember {
  return {
    professionalId: p.professionalId,
    rpps: p.identity.rpps ?? '',
    profession: enumOf(pb.Profession, 'PROFESSION_', p.profession),
    specialty: enumOf(pb.Specialty, 'SPECIALTY_', p.specialty),
  };
}

type Payload = { readonly type: string; readonly key: string; readonly data: Uint8Array };

function professionalPayload(event: ProfessionalEvent, p: Professional, occurredAt: Date): Payload | undefined {
  const professional = member(p);
  const key = p.professionalId;
  switch (event.type) {
    case 'ProfessionalHired':
      return { type: 'ProfessionalHired', key, data: ev.ProfessionalHired.encode({ professional, hiredOn: event.data.hiredOn, occurredAt }).finish() };
    case 'AssignmentStarted': {
      const a = event.data;
      return {
        type: 'AssignmentStarted',
        key,
        data: ev.AssignmentStarted.encode({
          professional,
          assignmentId: a.assignmentId,
          centreFiness: a.centreFiness,
          fte: fteText(a.fte),
          startOn: a.startOn,
          endOn: a.endOn ?? '',
          kind: enumOf(pb.AssignmentKind, 'ASSIGNMENT_KIND_', a.kind),
          occurredAt,
        }).finish(),
      };
    }
    case 'AssignmentEnded': {
      const assignment = p.assignments[event.data.assignmentId];
      return {
        type: 'AssignmentEnded',
        key,
        data: ev.AssignmentEnded.encode({
          professional,
          assignmentId: event.data.assignmentId,
          centreFiness: assignment?.centreFiness ?? '',
          endOn: event.data.endOn,
          reason: event.data.reason,
          occurredAt,
        }).finish(),
      };
    }
    case 'ProfessionalExited':
      return { type: 'ProfessionalExited', key, data: ev.ProfessionalExited.encode({ professional, exitOn: event.data.exitOn, occurredAt }).finish() };
    // Échelons and grades are pay: they stay inside the staff service.
    case 'EchelonAdvanced':
    case 'ProfessionalPromoted':
      return undefined;
  }
}

async function mobilityPayload(store: EventStore, event: MobilityEvent, occurredAt: Date): Promise<Payload | undefined> {
  if (event.type !== 'MobilityApproved') return undefined;
  const t = event.data;
  const history = await store.readStream(`${PROFESSIONAL_PREFIX}${t.professionalId}`, { maxCount: 1 });
  const hired = history[0] && (staffEventSchemas.upcast(history[0]).data as Extract<ProfessionalEvent, { type: 'ProfessionalHired' }>['data']);
  if (!hired) return undefined;
  return {
    type: 'ProfessionalTransferred',
    key: t.professionalId,
    data: ev.ProfessionalTransferred.encode({
      professional: member(hired),
      mobilityId: t.mobilityId,
      kind: enumOf(pb.MobilityKind, 'MOBILITY_KIND_', t.kind),
      originCentreFiness: t.originCentreFiness,
      destinationCentreFiness: t.destinationCentreFiness,
      effectiveOn: t.effectiveOn,
      endOn: t.endOn ?? '',
      occurredAt,
    }).finish(),
  };
}

function statutePayload(event: StatuteEvent, occurredAt: Date): Payload {
  switch (event.type) {
    case 'PayGridPublished':
      return {
        type: 'PayGridPublished',
        key: STATUTE_KEY,
        data: ev.PayGridPublished.encode({ grid: toPayGridMessage(event.data.version), occurredAt }).finish(),
      };
    case 'IndexPointValuePublished':
      return {
        type: 'IndexPointValuePublished',
        key: STATUTE_KEY,
        data: ev.IndexPointValuePublished.encode({ value: toIndexPointMessage(event.data.value), occurredAt }).finish(),
      };
  }
}

/**
 * What `pcn.staff.v1` carries: hires, assignments with their FTE, ends of assignment, approved
 * movements (ProfessionalTransferred, whatever the kind), exits, and the statute's publications.
 * Nothing about an individual's pay: échelon advancements and promotions are not published.
 * Envelope: `eventMessage` (id = event id, `ce_type` = the protobuf message, trace context).
 */
export function staffEventMapper(store: EventStore): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    const event = staffEventSchemas.upcast(recorded);
    const occurredAt = new Date(recorded.metadata.occurredAt);
    let payload: Payload | undefined;
    if (recorded.streamId.startsWith(PROFESSIONAL_PREFIX)) {
      const professional = await professionalAfter(store, recorded);
      payload = professional && professionalPayload({ type: event.type, data: event.data } as ProfessionalEvent, professional, occurredAt);
    } else if (recorded.streamId.startsWith(MOBILITY_PREFIX)) {
      payload = await mobilityPayload(store, { type: event.type, data: event.data } as MobilityEvent, occurredAt);
    } else if (recorded.streamId === STATUTE_STREAM) {
      payload = statutePayload({ type: event.type, data: event.data } as StatuteEvent, occurredAt);
    }
    return payload && eventMessage(recorded, { topic: STAFF_TOPIC, source: STAFF_SOURCE, message: payload.type, key: payload.key, data: payload.data });
  };
}
