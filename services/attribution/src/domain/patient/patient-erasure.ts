import { NotFoundError } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import type { AttributionEnded, PatientErased } from './patient-events';
import type { PatientState } from './patient-state';

/**
 * The erasure of a patient's personal data (GDPR art. 17). Their current attribution, if any,
 * ends the same day at their request: the network can neither follow nor fund (capitation) a
 * patient it may no longer know, and the GP's panel gets the place back. A waitlist place or a
 * pending proposal goes with the erasure. Erasing an erased patient changes nothing (a retried
 * request); a patient never registered is not found.
 */
export function erasePatient(state: PatientState, patientId: string, on: IsoDate): (AttributionEnded | PatientErased)[] {
  if (state.patientId === undefined) throw new NotFoundError('patient', patientId);
  if (state.erased !== undefined) return [];
  const current = state.current;
  // An attribution never ends before it starts, even when the erasure is dated earlier (a clock behind a backdated declaration).
  const endDate = current && current.start > on ? current.start : on;
  return [
    ...(current
      ? [
          {
            type: 'AttributionEnded' as const,
            data: {
              patientId,
              attributionId: current.attributionId,
              rpps: current.rpps,
              professionalId: current.professionalId,
              centreFiness: current.centreFiness,
              endDate,
              reason: 'patient_request' as const,
            },
          },
        ]
      : []),
    { type: 'PatientErased', data: { patientId, erasedOn: on } },
  ];
}
