import { ageOn, anyCovers, type IsoDate, type Period } from '../iso-date';

/** What the waitlist order looks at. */
export interface WaitingPatient {
  readonly patientId: string;
  readonly birthDate: IsoDate;
  readonly communeInsee: string;
  readonly ald: readonly Period[];
  readonly c2s: readonly Period[];
  readonly waitingSince: IsoDate;
  /** The doctor or centre went away: before everyone else. */
  readonly topPriority: boolean;
  /** GPs a centre already declined for this patient: not proposed again. */
  readonly declinedRpps?: readonly string[];
}

export const SENIOR_AGE = 70;

export interface PriorityKey {
  readonly topPriority: boolean;
  readonly ald: boolean;
  readonly senior: boolean;
  readonly c2s: boolean;
  readonly waitingSince: IsoDate;
}

export function priorityOf(p: WaitingPatient, day: IsoDate): PriorityKey {
  return {
    topPriority: p.topPriority,
    ald: anyCovers(p.ald, day),
    senior: ageOn(p.birthDate, day) >= SENIOR_AGE,
    c2s: anyCovers(p.c2s, day),
    waitingSince: p.waitingSince,
  };
}

/**
 * Waitlist order: displaced patients first, then chronic (ALD), then 70 and over, then C2S, then
 * the longest wait; the patient id breaks the last ties so the order is total and repeatable.
 */
export function byPriority(day: IsoDate): (a: WaitingPatient, b: WaitingPatient) => number {
  return (a, b) => {
    const ka = priorityOf(a, day);
    const kb = priorityOf(b, day);
    for (const flag of ['topPriority', 'ald', 'senior', 'c2s'] as const) {
      if (ka[flag] !== kb[flag]) return ka[flag] ? -1 : 1;
    }
    if (ka.waitingSince !== kb.waitingSince) return ka.waitingSince < kb.waitingSince ? -1 : 1;
    return a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0;
  };
}
