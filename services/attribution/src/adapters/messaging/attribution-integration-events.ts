import { attributionEventsV1 as ev } from '@pcn/contracts';
import type { EventStore, RecordedEvent } from '@pcn/eventsourcing';
import { ATTRIBUTION_TOPIC, eventMessage, type EventMapper, type OutgoingMessage } from '@pcn/messaging';
import { attributionEventSchemas } from '../../application/event-schemas';
import { PATIENT_PREFIX } from '../../application/stream-ids';
import type { PatientEvent } from '../../domain/patient/patient-events';
import type { PatientProfile } from '../../domain/patient/patient-profile';
import { evolvePatient, initialPatientState, type PatientState } from '../../domain/patient/patient-state';
import { channelEnum, endReasonEnum, enrollerKindEnum, sexEnum, toPeriod } from '../grpc/attribution-messages';

/** Published on `ATTRIBUTION_TOPIC`, keyed by patient id, so one patient's events stay in order. */
export const ATTRIBUTION_SOURCE = '/pcn/attribution';

/** The patient's state right before and right after `event` (exact on a replay too). */
async function patientAround(store: EventStore, event: RecordedEvent): Promise<{ before: PatientState; after: PatientState }> {
  const history = await store.readStream(event.streamId, { maxCount: event.revision + 1 });
  let before = initialPatientState();
  let after = before;
  for (const recorded of history) {
    const e = attributionEventSchemas.upcast(recorded);
    before = after;
    after = evolvePatient(after, { type: e.type, data: e.data } as PatientEvent);
  }
  return { before, after };
}

/**
 * What other services may know of a patient (data minimisation): the pseudonymous id, birth year
 * and month, sex, commune, ALD and C2S periods. Never the birth day; the NIR is not in the store.
 */
export function patientSnapshot(patientId: string, profile: PatientProfile): ev.PatientSnapshot {
  return {
    patientId,
    birthYearMonth: profile.birthDate.slice(0, 7),
    sex: sexEnum(profile.sex),
    communeInsee: profile.communeInsee,
    ald: profile.ald.map(toPeriod),
    c2s: profile.c2s.map(toPeriod),
  };
}

/** Snapshot fields (proto names) that differ: a change of the birth day alone changes none. */
function changedFields(before: ev.PatientSnapshot, after: ev.PatientSnapshot): string[] {
  const fields: [string, unknown, unknown][] = [
    ['birth_year_month', before.birthYearMonth, after.birthYearMonth],
    ['sex', before.sex, after.sex],
    ['commune_insee', before.communeInsee, after.communeInsee],
    ['ald', before.ald, after.ald],
    ['c2s', before.c2s, after.c2s],
  ];
  return fields.filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b)).map(([name]) => name);
}

interface Payload {
  readonly type: string;
  readonly data: Uint8Array;
}

async function payloadOf(store: EventStore, recorded: RecordedEvent, event: PatientEvent, occurredAt: Date): Promise<Payload | undefined> {
  switch (event.type) {
    case 'PatientRegistered':
      // Read after the patient's erasure (the relay behind, or replaying): nothing left to say.
      if (!event.data.profile) return undefined;
      return {
        type: 'PatientRegistered',
        data: ev.PatientRegistered.encode({ patient: patientSnapshot(event.data.patientId, event.data.profile), occurredAt }).finish(),
      };
    case 'PatientUpdated': {
      if (!event.data.profile) return undefined;
      const { before, after } = await patientAround(store, recorded);
      const patient = patientSnapshot(event.data.patientId, after.profile ?? event.data.profile);
      const changed = before.profile ? changedFields(patientSnapshot(event.data.patientId, before.profile), patient) : [];
      // Nothing another service sees has changed (e.g. the birth day was corrected): nothing to say.
      if (changed.length === 0) return undefined;
      return { type: 'PatientUpdated', data: ev.PatientUpdated.encode({ patient, changed, occurredAt }).finish() };
    }
    case 'MedecinTraitantDeclared': {
      const d = event.data;
      const { after } = await patientAround(store, recorded);
      return {
        type: 'MedecinTraitantDeclared',
        data: ev.MedecinTraitantDeclared.encode({
          attributionId: d.attributionId,
          rpps: d.rpps,
          professionalId: d.professionalId,
          centreFiness: d.centreFiness,
          effectiveDate: d.effectiveDate,
          channel: channelEnum(d.channel),
          replaces: d.replaces && {
            attributionId: d.replaces.attributionId,
            rpps: d.replaces.rpps,
            professionalId: d.replaces.professionalId,
            centreFiness: d.replaces.centreFiness,
          },
          patient: after.profile && patientSnapshot(d.patientId, after.profile),
          occurredAt,
        }).finish(),
      };
    }
    case 'AttributionEnded': {
      const d = event.data;
      return {
        type: 'AttributionEnded',
        data: ev.AttributionEnded.encode({
          patientId: d.patientId,
          attributionId: d.attributionId,
          rpps: d.rpps,
          professionalId: d.professionalId,
          centreFiness: d.centreFiness,
          endDate: d.endDate,
          reason: endReasonEnum(d.reason),
          occurredAt,
        }).finish(),
      };
    }
    case 'WaitlistEnrolled': {
      const d = event.data;
      return {
        type: 'PatientWaitlisted',
        data: ev.PatientWaitlisted.encode({
          patientId: d.patientId,
          waitingSince: d.waitingSince,
          topPriority: d.topPriority,
          enrolledBy: enrollerKindEnum(d.enrolledBy.kind),
          centreFiness: d.enrolledBy.kind === 'centre' ? d.enrolledBy.centreFiness : '',
          occurredAt,
        }).finish(),
      };
    }
    case 'PatientErased':
      return {
        type: 'PatientErased',
        data: ev.PatientErased.encode({ patientId: event.data.patientId, erasedOn: event.data.erasedOn, occurredAt }).finish(),
      };
    // The matching workflow stays inside: a confirmed proposal is published as a declaration.
    case 'ProposalMade':
    case 'ProposalDeclined':
      return undefined;
  }
}

/**
 * What `pcn.attribution.v1` carries, keyed by patient id: registrations and updates (with the
 * minimised snapshot), declarations of médecin traitant, their ends, enrolments on the
 * waitlist, and erasures. A registration or update read redacted (the patient was erased before
 * the relay got to it) is not published: its PatientErased follows. Proposals, panel streams and departure streams are not published.
 * Envelope: `eventMessage` (id = event id, `ce_type` = the protobuf message, trace context).
 */
export function attributionEventMapper(store: EventStore): EventMapper {
  return async (recorded): Promise<OutgoingMessage | undefined> => {
    if (!recorded.streamId.startsWith(PATIENT_PREFIX)) return undefined;
    const upcast = attributionEventSchemas.upcast(recorded);
    const event = { type: upcast.type, data: upcast.data } as PatientEvent;
    const payload = await payloadOf(store, recorded, event, new Date(recorded.metadata.occurredAt));
    const key = recorded.streamId.slice(PATIENT_PREFIX.length);
    return payload && eventMessage(recorded, { topic: ATTRIBUTION_TOPIC, source: ATTRIBUTION_SOURCE, message: payload.type, key, data: payload.data });
  };
}
