import { NotFoundError, ValidationError } from '@pcn/eventsourcing';
import { validateNir } from '@pcn/referential';
import type { PatientIdentity } from './patient-identity';

/** How a caller names a patient: by NIR (a centre's software has it) or by the pseudonymous id. */
export type PatientRef = { readonly nir: unknown } | { readonly patientId: unknown };

const PATIENT_ID = /^[0-9a-f]{32}$/u;

/** Resolves a reference to the patient id; the NIR is hashed here and goes no further. */
export async function resolvePatient(ref: PatientRef, identity: PatientIdentity, field = 'patient'): Promise<string> {
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

/**
 * Runs `act` for a patient named by `ref`. A patient named by NIR who is not registered is "not
 * found" without their id: the id of an unregistered NIR would otherwise let anyone with API
 * access compute ids of any NIR.
 */
export async function hidingIdOfNir<T>(ref: PatientRef, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if ('nir' in ref && ref.nir !== undefined && ref.nir !== '' && error instanceof NotFoundError && error.resource === 'patient')
      throw new NotFoundError('patient', 'named by this NIR');
    throw error;
  }
}
