import type { SealingOptions, SubjectKeyStore } from '@pcn/eventsourcing';
import { PATIENT_PREFIX } from './stream-ids';

/**
 * Which parts of the attribution events are a patient's personal data, sealed in the store with
 * the patient's own key (docs/adr/0025): the profile (birth date, sex, commune, ALD and C2S
 * periods) and, in an update, which of those changed (that an ALD was recognised is itself
 * health data). Declarations, ends, waitlist places and proposals carry pseudonymous ids, dates
 * and practitioners, and stay readable after an erasure, as panel and departure streams do.
 */
export function personalDataSealing(keys: SubjectKeyStore): SealingOptions {
  return {
    keys,
    subjectOf: (streamId) => (streamId.startsWith(PATIENT_PREFIX) ? streamId.slice(PATIENT_PREFIX.length) : undefined),
    fields: { PatientRegistered: ['profile'], PatientUpdated: ['profile', 'changed'] },
  };
}
