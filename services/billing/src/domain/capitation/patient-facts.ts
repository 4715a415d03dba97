import type { DayRange, EpochDay } from '../schedule/calendar';

/** A commune of residence from a day on (until the next entry). */
export interface CommuneFrom {
  readonly from: EpochDay;
  readonly insee: string;
}

/** A prevention indicator a centre validated for the patient; it applies to the end of that year. */
export interface PreventionValidation {
  readonly indicator: string;
  readonly validatedOn: EpochDay;
}

/**
 * What billing learned about one patient, as seen by one centre: only facts from the attribution
 * events, never clinical detail beyond ALD status and validated indicator codes.
 */
export interface PatientFacts {
  /** Pseudonymous id (keyed hash of the NIR). */
  readonly patientId: string;
  readonly birthYear: number;
  /** 1 to 12: age counts from the first day of this month. */
  readonly birthMonth: number;
  /** Ascending by `from`; the first entry applies to every earlier day too. */
  readonly communes: readonly CommuneFrom[];
  /** Days with an active ALD (chronic status). */
  readonly ald: readonly DayRange[];
  /** Days covered by the Complémentaire santé solidaire. */
  readonly c2s: readonly DayRange[];
  /** Days on which the patient's médecin traitant was a GP of this centre. */
  readonly attributed: readonly DayRange[];
  readonly prevention: readonly PreventionValidation[];
}

/** A centre of the run: its membership days and its patients. */
export interface CentreRoster {
  readonly finess: string;
  /** Days on which the centre was a member of the network. */
  readonly membership: readonly DayRange[];
  readonly patients: readonly PatientFacts[];
}

/** The reference data a poverty class is derived from, per commune. */
export interface CommuneProfile {
  /** Unemployed / active people aged 15-64, in basis points (1 % = 100), rounded down. */
  readonly unemploymentBasisPoints: number;
}

export type CommuneProfiles = (insee: string) => CommuneProfile | undefined;
