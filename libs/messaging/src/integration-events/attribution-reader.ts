import { attributionEventsV1 as ev } from '@pcn/contracts';
import { fields, schema, topicReader, type FieldChecks, type ReadEvent } from './topic-reader';
import { UnreadableAttributionMessageError } from './unreadable-errors';

/** The attribution topic, keyed by pseudonymous patient id. */
export const ATTRIBUTION_TOPIC = 'pcn.attribution.v1';

const patient = (checks: FieldChecks, p: ev.PatientSnapshot): void => void checks.text('patient.patient_id', p.patientId);

const attributionSchemas = {
  PatientRegistered: schema(ev.PatientRegistered, (e) => fields().message('patient', e.patient, patient).problems),
  PatientUpdated: schema(ev.PatientUpdated, (e) => fields().message('patient', e.patient, patient).problems),
  MedecinTraitantDeclared: schema(
    ev.MedecinTraitantDeclared,
    (e) =>
      fields().text('attribution_id', e.attributionId).text('rpps', e.rpps).text('centre_finess', e.centreFiness).date('effective_date', e.effectiveDate)
        .problems,
  ),
  AttributionEnded: schema(
    ev.AttributionEnded,
    (e) => fields().text('patient_id', e.patientId).text('attribution_id', e.attributionId).date('end_date', e.endDate).problems,
  ),
  PatientWaitlisted: schema(ev.PatientWaitlisted, (e) => fields().text('patient_id', e.patientId).problems),
  PatientErased: schema(ev.PatientErased, (e) => fields().text('patient_id', e.patientId).date('erased_on', e.erasedOn).problems),
};

export type AttributionEvent = ReadEvent<typeof attributionSchemas>;

export const attributionReader = topicReader(ATTRIBUTION_TOPIC, (message, why) => new UnreadableAttributionMessageError(message, why), attributionSchemas);
