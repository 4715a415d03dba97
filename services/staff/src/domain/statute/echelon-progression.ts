import { ValidationError } from '@pcn/eventsourcing';
import { addMonths, compareDates, type IsoDate } from '@pcn/time';
import { echelonOf } from './compute-pay';
import { gradeInForce, requireDate, type Statute } from './statute';

/*
 * Échelon advancement under the network statute:
 * - an échelon is left when its duration has been served; advancement is automatic (no quota, no
 *   "au choix"), on the day the duration is complete;
 * - time in échelon counts in full whatever the FTE: a half-time professional advances on the
 *   same dates as a full-time one (which is why no FTE appears below);
 * - seniority retained from earlier service counts towards the first advancement only: it is time
 *   already served in the start échelon, and must be less than that échelon's duration (a longer
 *   service means the professional should have been placed in a higher échelon);
 * - the duration of an échelon is the one of the grid version in force on the day the échelon was
 *   reached (for the start échelon: the start date), so a decree changing durations applies to
 *   échelons reached after it takes effect;
 * - dates: every advancement is computed from the start date by whole months
 *   (start + served durations − retained seniority), the day of month kept, or the month's last
 *   day when shorter; computing each step from the start date keeps a 31st from drifting.
 */

export interface ProgressionInput {
  readonly statute: Statute;
  readonly grade: string;
  readonly startEchelon: number;
  /** The day the professional is placed in `startEchelon` under the statute. */
  readonly startDate: IsoDate;
  /** Months already served in `startEchelon` through earlier service (ancienneté conservée). */
  readonly retainedSeniorityMonths?: number;
}

export interface Advancement {
  readonly grade: string;
  /** The échelon reached. */
  readonly echelon: number;
  readonly effectiveOn: IsoDate;
  /** The grid version whose duration for the previous échelon was applied. */
  readonly gridVersionId: string;
}

export interface EchelonPosition {
  readonly grade: string;
  readonly echelon: number;
  /** The day the échelon was reached: the start date for the start échelon, else the advancement date. */
  readonly reachedOn: IsoDate;
  /** The day seniority in this échelon counts from (earlier than `reachedOn` when seniority was retained). */
  readonly seniorityFrom: IsoDate;
  /** The next advancement, absent on the last échelon. */
  readonly nextAdvancementOn?: IsoDate;
}

interface Validated {
  readonly statute: Statute;
  readonly grade: string;
  readonly startEchelon: number;
  readonly startDate: IsoDate;
  readonly retained: number;
}

function validate(input: ProgressionInput): Validated {
  const startDate = requireDate('startDate', input.startDate);
  const retained = input.retainedSeniorityMonths ?? 0;
  if (!Number.isInteger(retained) || retained < 0) {
    throw ValidationError.field('retainedSeniorityMonths', `must be a whole number of months, 0 or more, got ${retained}`);
  }
  const { grade } = gradeInForce(input.statute, input.grade, startDate);
  const start = echelonOf(input.grade, grade, input.startEchelon, 'startEchelon');
  if (start.durationMonths !== undefined && retained >= start.durationMonths) {
    throw ValidationError.field(
      'retainedSeniorityMonths',
      `échelon ${input.startEchelon} of ${input.grade} lasts ${start.durationMonths} months; ${retained} months retained means a higher échelon`,
    );
  }
  return { statute: input.statute, grade: input.grade, startEchelon: input.startEchelon, startDate, retained };
}

/** Every advancement from the start, in order, lazily (a career ends at the grade's last échelon). */
function* advancements(v: Validated): Generator<Advancement> {
  let echelon = v.startEchelon;
  let reachedOn = v.startDate;
  let offsetMonths = -v.retained;
  for (;;) {
    const inForce = gradeInForce(v.statute, v.grade, reachedOn);
    const current = echelonOf(v.grade, inForce.grade, echelon);
    if (current.durationMonths === undefined) return;
    offsetMonths += current.durationMonths;
    echelon += 1;
    reachedOn = addMonths(v.startDate, offsetMonths);
    yield { grade: v.grade, echelon, effectiveOn: reachedOn, gridVersionId: inForce.version.id };
  }
}

/** The échelon held on `date` (on an advancement day, the new échelon). */
export function echelonOn(input: ProgressionInput & { readonly date: IsoDate }): EchelonPosition {
  const v = validate(input);
  const date = requireDate('date', input.date);
  if (compareDates(date, v.startDate) < 0) throw ValidationError.field('date', `must be on or after the start date ${v.startDate}, got ${date}`);
  let position: EchelonPosition = {
    grade: v.grade,
    echelon: v.startEchelon,
    reachedOn: v.startDate,
    seniorityFrom: addMonths(v.startDate, -v.retained),
  };
  for (const step of advancements(v)) {
    if (compareDates(step.effectiveOn, date) > 0) return { ...position, nextAdvancementOn: step.effectiveOn };
    position = { grade: v.grade, echelon: step.echelon, reachedOn: step.effectiveOn, seniorityFrom: step.effectiveOn };
  }
  return position;
}

/** The advancements taking effect between `from` and `to`, both included, in date order. */
export function advancementsDue(input: ProgressionInput & { readonly from: IsoDate; readonly to: IsoDate }): Advancement[] {
  const v = validate(input);
  const from = requireDate('from', input.from);
  const to = requireDate('to', input.to);
  if (compareDates(from, to) > 0) throw ValidationError.field('to', `must be on or after from (${from}), got ${to}`);
  const due: Advancement[] = [];
  for (const step of advancements(v)) {
    if (compareDates(step.effectiveOn, to) > 0) break;
    if (compareDates(step.effectiveOn, from) >= 0) due.push(step);
  }
  return due;
}
