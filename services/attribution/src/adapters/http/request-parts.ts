import { z } from 'zod';
import { ValidationError } from '@pcn/eventsourcing';
import { nirField } from '../../application/schemas';

/** Body of `POST /patients/lookup`: the NIR travels in a body, never in a URL (URLs end up in access logs). */
export const lookupInput = z.strictObject({ nir: nirField });

/**
 * Runs a call of the application and, on a ValidationError, renames the fields it names after
 * what the caller sent: the application says `centreFiness` or `patient.patientId` where the
 * REST caller gave the path parameter `finess` or `patientId`.
 */
export async function renamingFields<T>(renames: Readonly<Record<string, string>>, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.violations.some((v) => Object.hasOwn(renames, v.field))) throw error;
    throw new ValidationError(error.violations.map((v) => ({ ...v, field: Object.hasOwn(renames, v.field) ? renames[v.field]! : v.field })));
  }
}

/** How the application names a patient given by the path: `patient.patientId` (and `patient` when absent). */
export const PATIENT_PATH_FIELDS = { patient: 'patientId', 'patient.patientId': 'patientId' } as const;
