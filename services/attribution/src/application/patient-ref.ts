import { ValidationError } from '@pcn/eventsourcing';
import { validateNir } from '@pcn/referential';
import type { NirPseudonymiser } from './patient-identity';

/** How a caller names a patient: by NIR (a centre's software has it) or by the pseudonymous id. */
export type PatientRef = { readonly nir: unknown } | { readonly patientId: unknown };

const PATIENT_ID = /^[0-9a-f]{32}$/u;

/** Resolves a reference to the patient id; the NIR is hashed here and goes no further. */
export function resolvePatient(ref: PatientRef, identity: NirPseudonymiser, field = 'patient'): string {
  if ('nir' in ref && ref.nir !== undefined && ref.nir !== '') {
    const nir = validateNir(ref.nir);
    if (!nir.ok) throw ValidationError.field(`${field}.nir`, nir.reason);
    return identity.patientIdOf(nir.value.nir);
  }
  const id = 'patientId' in ref ? ref.patientId : undefined;
  if (typeof id !== 'string' || id === '') throw ValidationError.field(field, 'name the patient by nir or by patientId');
  if (!PATIENT_ID.test(id)) throw ValidationError.field(`${field}.patientId`, 'must be a patient id: 32 lowercase hexadecimal characters');
  return id;
}
