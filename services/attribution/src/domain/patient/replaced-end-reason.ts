import type { EndReason, MedecinTraitantDeclared } from './patient-events';

/**
 * Why the attribution a declaration replaces ended. A patient's own new choice ends it as
 * `replaced`; a reattribution to a colleague is made only because the GP departed (a closing
 * centre has no colleague to take the patients: they go to the waitlist), and that reason stays
 * visible on the attribution that ended.
 */
export function replacedEndReason(declared: Pick<MedecinTraitantDeclared['data'], 'channel'>): EndReason | 'replaced' {
  return declared.channel === 'reattribution' ? 'practitioner_departed' : 'replaced';
}
