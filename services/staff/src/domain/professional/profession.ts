import type { GridKind } from '../statute/pay-grid';

/** The professions of the network's salaried staff. */
export const PROFESSIONS = [
  'doctor',
  'dentist',
  'midwife',
  'nurse',
  'physiotherapist',
  'psychologist',
  'health_mediator',
  'social_worker',
  'medical_assistant',
  'receptionist',
  'coordinator',
  'administration',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

/**
 * A doctor's specialty, as far as the network needs it: attribution accepts only
 * `general_practice` doctors as médecin traitant. Other specialties are grouped on purpose: the
 * statute pays them alike.
 */
export const SPECIALTIES = ['general_practice', 'paediatrics', 'gynaecology', 'psychiatry', 'other_specialty'] as const;
export type Specialty = (typeof SPECIALTIES)[number];

/** Doctors, dentists and midwives are paid on the PH-like grid; everyone else on FPH-like grades. */
export function gridOf(profession: Profession): GridKind {
  return profession === 'doctor' || profession === 'dentist' || profession === 'midwife' ? 'ph' : 'fph';
}

/**
 * Professions whose members all have an RPPS number (the national register of health
 * professionals), so a hire without one is refused. Nurses are being registered progressively:
 * their RPPS is accepted, not required.
 */
export function rppsRequired(profession: Profession): boolean {
  return profession === 'doctor' || profession === 'dentist' || profession === 'midwife' || profession === 'physiotherapist';
}

export function rppsAccepted(profession: Profession): boolean {
  return rppsRequired(profession) || profession === 'nurse';
}
