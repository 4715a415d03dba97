import { WEIGHT_ONE, type Weight } from '../schedule/money';
import type { RateSchedule } from '../schedule/rate-schedule';
import type { CommuneProfiles } from './patient-facts';

export interface TerritorialWeights {
  readonly underserved: Weight;
  readonly povertyClass: string;
  readonly poverty: Weight;
  /** underserved × poverty, in hundred-millionths (10^8 = 1.0): exact, no rounding. */
  readonly product: number;
}

/**
 * Weights of a commune under a schedule. A commune missing from the reference data has no known
 * unemployment rate: it gets the first poverty class (the one from 0), never a guessed one.
 */
export function territorialWeights(schedule: RateSchedule, underserved: ReadonlySet<string>, profiles: CommuneProfiles, insee: string): TerritorialWeights {
  const zone = underserved.has(insee) ? schedule.territorial.underservedWeight : WEIGHT_ONE;
  const rate = profiles(insee)?.unemploymentBasisPoints ?? 0;
  let cls = schedule.territorial.povertyClasses[0]!;
  for (const c of schedule.territorial.povertyClasses) if (c.fromUnemploymentBasisPoints <= rate) cls = c;
  return { underserved: zone, povertyClass: cls.code, poverty: cls.weight, product: zone * cls.weight };
}
