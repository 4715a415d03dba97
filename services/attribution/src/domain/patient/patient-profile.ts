import type { IsoDate, Period } from '../iso-date';

export const SEXES = ['female', 'male'] as const;
export type Sex = (typeof SEXES)[number];

/**
 * What attribution keeps of a person: enough to prioritise (age, chronic conditions, C2S) and
 * to locate (commune), nothing that identifies them. The NIR itself is never kept: the patient
 * id is a keyed hash of it.
 */
export interface PatientProfile {
  readonly birthDate: IsoDate;
  readonly sex: Sex;
  /** INSEE code of the commune of residence. */
  readonly communeInsee: string;
  /** Affection de longue durée (chronic condition) recognition periods. */
  readonly ald: readonly Period[];
  /** Complémentaire santé solidaire coverage periods. */
  readonly c2s: readonly Period[];
}

export const PROFILE_FIELDS = ['birthDate', 'sex', 'communeInsee', 'ald', 'c2s'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The fields whose value differs between two profiles, in a stable order. */
export function changedFields(before: PatientProfile, after: PatientProfile): ProfileField[] {
  return PROFILE_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}
