import { ValidationError } from '@pcn/eventsourcing';
import type { IsoDate } from '@pcn/time';
import type { Cents } from './money';
import { computePay, echelonOf } from './compute-pay';
import { gridMeasure } from './pay-grid';
import { gradeInForce, requireDate, type Statute } from './statute';
import { ReclassificationLowersPayError } from './statute-errors';

/*
 * Promotion to another grade (avancement de grade, or a move to another corps) under the network
 * statute: one rule for every grade, in place of the per-corps correspondence tables of the FPH.
 *
 * 1. Classement à l'indice égal ou immédiatement supérieur: the professional is placed in the
 *    lowest échelon of the new grade paid at least as much as the current one. "Paid" is compared
 *    on the grid's own measure when both grades are of the same kind (indice majoré for FPH,
 *    annual emoluments for PH) and on full-time annual gross pay on the date when the kinds differ.
 *    When no échelon of the new grade is paid as much, the promotion is refused
 *    (ReclassificationLowersPayError): pay never goes down.
 * 2. Seniority in the échelon is kept only when the promotion gains less than an échelon
 *    advancement in the old grade would have (the next échelon's gain, or the last advancement's
 *    gain for a professional at the top): the professional then keeps the months already served,
 *    within the duration of the new échelon. Otherwise seniority restarts at zero on the date.
 */

export interface ReclassifyInput {
  readonly statute: Statute;
  readonly fromGrade: string;
  readonly fromEchelon: number;
  readonly toGrade: string;
  readonly date: IsoDate;
  /** Months served in `fromEchelon` on `date` (0 when not given). */
  readonly monthsInEchelon?: number;
}

export interface Reclassification {
  readonly fromGrade: string;
  readonly fromEchelon: number;
  readonly toGrade: string;
  readonly toEchelon: number;
  readonly date: IsoDate;
  /** What "paid at least as much" compared. */
  readonly comparedOn: 'indiceMajore' | 'annualGrossCents' | 'fullTimeAnnualGrossCents';
  readonly before: number;
  readonly after: number;
  /** Months of seniority carried into `toEchelon`. */
  readonly keptSeniorityMonths: number;
  readonly previousFullTimeAnnualGrossCents: Cents;
  readonly newFullTimeAnnualGrossCents: Cents;
}

/** What one échelon advancement in the old grade gains: the next one, or the last one at the top. */
function gainOfAnAdvancement(echelonCount: number, echelon: number, measure: (e: number) => number): number {
  const count = echelonCount;
  if (echelon < count) return measure(echelon + 1) - measure(echelon);
  if (echelon > 1) return measure(echelon) - measure(echelon - 1);
  return 0;
}

export function reclassify(input: ReclassifyInput): Reclassification {
  const { statute, fromGrade, fromEchelon, toGrade } = input;
  const date = requireDate('date', input.date);
  const monthsInEchelon = input.monthsInEchelon ?? 0;
  if (!Number.isInteger(monthsInEchelon) || monthsInEchelon < 0) {
    throw ValidationError.field('monthsInEchelon', `must be a whole number of months, 0 or more, got ${monthsInEchelon}`);
  }
  if (fromGrade === toGrade) throw ValidationError.field('toGrade', `must differ from fromGrade (${fromGrade})`);

  const from = gradeInForce(statute, fromGrade, date);
  const to = gradeInForce(statute, toGrade, date);
  echelonOf(fromGrade, from.grade, fromEchelon, 'fromEchelon');

  const sameKind = from.kind === to.kind;
  const fullTime = (grade: string, echelon: number): Cents => computePay({ statute, grade, echelon, fte: 1, date }).fullTimeAnnualGrossCents;
  const measureFrom = (e: number): number => (sameKind ? gridMeasure(from.kind, from.grade.echelons[e - 1]!) : fullTime(fromGrade, e));
  const measureTo = (e: number): number => (sameKind ? gridMeasure(to.kind, to.grade.echelons[e - 1]!) : fullTime(toGrade, e));

  const before = measureFrom(fromEchelon);
  let toEchelon = 0;
  for (let e = 1; e <= to.grade.echelons.length; e += 1) {
    if (measureTo(e) >= before) {
      toEchelon = e;
      break;
    }
  }
  if (toEchelon === 0) throw new ReclassificationLowersPayError(fromGrade, fromEchelon, toGrade);
  const after = measureTo(toEchelon);

  const keepsSeniority = after - before < gainOfAnAdvancement(from.grade.echelons.length, fromEchelon, measureFrom);
  const newDuration = to.grade.echelons[toEchelon - 1]!.durationMonths;
  const keptSeniorityMonths = keepsSeniority ? Math.min(monthsInEchelon, newDuration ?? monthsInEchelon) : 0;

  return {
    fromGrade,
    fromEchelon,
    toGrade,
    toEchelon,
    date,
    comparedOn: sameKind ? (from.kind === 'fph' ? 'indiceMajore' : 'annualGrossCents') : 'fullTimeAnnualGrossCents',
    before,
    after,
    keptSeniorityMonths,
    previousFullTimeAnnualGrossCents: fullTime(fromGrade, fromEchelon),
    newFullTimeAnnualGrossCents: fullTime(toGrade, toEchelon),
  };
}
