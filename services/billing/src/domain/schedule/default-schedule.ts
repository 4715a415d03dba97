import type { RateSchedule } from './rate-schedule';

/**
 * The schedule shipped with the service, from the published 2026 forfait médecin traitant (FMT)
 * of the 2024-2029 convention médicale. docs/billing.md cites the source of every figure and how
 * sure it is; the figures marked there as unconfirmed are provisional defaults for coordinators to
 * replace by publishing a new version, not published tariffs.
 */
export const DEFAULT_RATE_SCHEDULE: RateSchedule = {
  version: 'fmt-2026.1',
  effectiveFrom: '2026-01-01',
  ageBands: [
    { code: '0-6', fromAge: 0, withoutAld: 1_500, withAld: 5_500 },
    { code: '7-74', fromAge: 7, withoutAld: 500, withAld: 5_500 },
    { code: '75-79', fromAge: 75, withoutAld: 1_500, withAld: 5_500 },
    { code: '80-plus', fromAge: 80, withoutAld: 5_500, withAld: 10_000 },
  ],
  supplements: {
    c2s: 1_000,
    // 5 € per validated indicator (confirmed); the codes name the families the convention lists,
    // not its exact list of 15 indicators (unconfirmed).
    prevention: {
      'vaccination-influenza': 500,
      'vaccination-hpv': 500,
      'vaccination-childhood': 500,
      'screening-colorectal-cancer': 500,
      'screening-cervical-cancer': 500,
      'screening-breast-cancer': 500,
      'diabetes-hba1c-follow-up': 500,
      'oral-examination': 500,
    },
  },
  territorial: {
    // +10 % in a zone d'intervention prioritaire (confirmed for the FMT socle); the list of
    // communes comes from each ARS's zoning and is published with a new version.
    underservedWeight: 11_000,
    underservedCommunes: [],
    // PEPS adjusts for deprivation; these thresholds and weights are provisional defaults (unconfirmed).
    povertyClasses: [
      { code: 'standard', fromUnemploymentBasisPoints: 0, weight: 10_000 },
      { code: 'deprived', fromUnemploymentBasisPoints: 1_200, weight: 10_500 },
      { code: 'very-deprived', fromUnemploymentBasisPoints: 1_800, weight: 11_000 },
    ],
  },
  missionRates: {
    // The G consultation is 30 € since 22 December 2024 (confirmed); the other rates are provisional defaults (unconfirmed).
    unscheduled_care: 3_000,
    patients_unknown_to_centre: 3_000,
    permanence_des_soins: 5_000,
    team_coordination: 5_000,
    prevention_education: 5_000,
    student_tutoring: 60_000,
    continuing_training: 5_000,
    territorial_coordination: 5_000,
  },
};
