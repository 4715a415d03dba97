import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import type { IsoDate } from '../iso-date';
import type { PatientProfile, Sex } from './patient-profile';

/** Dates of a profile that cannot be: born in the future, a period before birth. */
export function checkProfile(profile: PatientProfile, today: IsoDate): void {
  if (profile.birthDate > today) throw ValidationError.field('birthDate', `must not be after today (${today})`);
  const early = [...profile.ald.map((p, i) => ['ald', i, p] as const), ...profile.c2s.map((p, i) => ['c2s', i, p] as const)].find(
    ([, , p]) => p.start < profile.birthDate,
  );
  if (early) throw ValidationError.field(`${early[0]}[${early[1]}].start`, `must not be before the birth date ${profile.birthDate}`);
}

/** What a NIR says of its holder (parsed at the edge; the NIR itself never enters the domain). */
export interface NirFacts {
  readonly sex: Sex;
  /** Last two digits of the birth year. */
  readonly birthYear: string;
  /** Null when the NIR does not encode the month. */
  readonly birthMonth: number | null;
}

/**
 * The NIR encodes sex, birth year and month: a profile that contradicts it is a typing error in
 * one or the other, caught before anything is written. (The NIR is not echoed in the message.)
 */
export function checkAgainstNirFacts(nir: NirFacts, profile: Pick<PatientProfile, 'sex' | 'birthDate'>): void {
  const violations: FieldViolation[] = [];
  if (nir.sex !== profile.sex) violations.push({ field: 'sex', description: `does not match the NIR, which is that of a ${nir.sex} person` });
  if (nir.birthYear !== profile.birthDate.slice(2, 4))
    violations.push({ field: 'birthDate', description: `the year does not match the NIR (born in a year ending ${nir.birthYear})` });
  else if (nir.birthMonth !== null && nir.birthMonth !== Number(profile.birthDate.slice(5, 7)))
    violations.push({ field: 'birthDate', description: `the month does not match the NIR (month ${String(nir.birthMonth).padStart(2, '0')})` });
  if (violations.length > 0) throw new ValidationError(violations);
}
