import type { IsoDate } from './calendar';
import type { Cents, Weight } from './money';

/** The eight mission lines fee-for-service never paid, each with its unit. */
export const MISSION_LINES = {
  permanence_des_soins: 'hour',
  unscheduled_care: 'consultation',
  patients_unknown_to_centre: 'consultation',
  team_coordination: 'hour',
  prevention_education: 'hour',
  student_tutoring: 'student-month',
  continuing_training: 'hour',
  territorial_coordination: 'hour',
} as const;
export type MissionLine = keyof typeof MISSION_LINES;
export const MISSION_LINE_CODES = Object.keys(MISSION_LINES) as MissionLine[];

/** Ages `fromAge` (included) to the next band's `fromAge` (excluded); the first band starts at 0. */
export interface AgeBand {
  readonly code: string;
  readonly fromAge: number;
  /** Annual cents per patient without an active ALD. */
  readonly withoutAld: Cents;
  /** Annual cents per patient with an active ALD (chronic status). */
  readonly withAld: Cents;
}

/** Unemployment rate (basis points, 1 % = 100) from which a poverty class applies. */
export interface PovertyClass {
  readonly code: string;
  readonly fromUnemploymentBasisPoints: number;
  readonly weight: Weight;
}

export interface RateSchedule {
  /** Version label, unique, e.g. `2026.1`. */
  readonly version: string;
  readonly effectiveFrom: IsoDate;
  /** Ascending by `fromAge`, the first at 0. */
  readonly ageBands: readonly AgeBand[];
  readonly supplements: {
    /** Annual cents per patient covered by the Complémentaire santé solidaire. */
    readonly c2s: Cents;
    /** Annual cents per patient and validated indicator, by indicator code. */
    readonly prevention: Readonly<Record<string, Cents>>;
  };
  readonly territorial: {
    /** Weight of a patient living in an underserved zone (communes listed below). */
    readonly underservedWeight: Weight;
    /** INSEE codes of the communes in an underserved zone. */
    readonly underservedCommunes: readonly string[];
    /** Ascending by threshold, the first at 0 (usually weight 1.0000). */
    readonly povertyClasses: readonly PovertyClass[];
  };
  /** Unit rates in cents. */
  readonly missionRates: Readonly<Record<MissionLine, Cents>>;
}

/** The band for an age (the last band whose `fromAge` is at most the age). */
export function bandIndexForAge(schedule: RateSchedule, age: number): number {
  const bands = schedule.ageBands;
  let index = 0;
  for (let i = 1; i < bands.length; i++) if (bands[i]!.fromAge <= age) index = i;
  return index;
}

/** The schedule in force on a day: the latest effective on or before it. */
export function scheduleInForce<S extends Pick<RateSchedule, 'effectiveFrom'>>(schedules: readonly S[], date: IsoDate): S | undefined {
  let found: S | undefined;
  for (const s of schedules) if (s.effectiveFrom <= date && (found === undefined || s.effectiveFrom >= found.effectiveFrom)) found = s;
  return found;
}
