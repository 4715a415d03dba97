import type { IsoDate } from '@pcn/time';
import type { IndexPointValue } from './index-point';
import { divideRoundHalfUp, type Cents } from './money';
import { FTE_SCALE, fteToTenThousandths } from './fte';
import { gridMeasure, type AnyEchelon, type Grade, type PayGridVersion } from './pay-grid';
import { gradeInForce, indexPointValueOn, requireDate, type Statute } from './statute';
import { EchelonOutOfRangeError } from './statute-errors';

/*
 * Rounding rule (docs/statute/rounding.md). Every step rounds half up to the cent, in integer
 * arithmetic, in this order:
 * 1. full-time annual pay
 *      PH : the annual emoluments of the échelon, as published (already in cents);
 *      FPH: indice majoré × annual value of IM 100 / 100, rounded — the decree states the value of
 *           100 points, so this is the only exact way to apply it;
 * 2. full-time monthly pay = full-time annual / 12, rounded — the monthly traitement a payslip
 *    shows for a full-time post;
 * 3. at an FTE: annual = full-time annual × FTE, monthly = full-time monthly × FTE, each rounded
 *    once — pay for a part post is the full-time pay of the same grid position, prorated, so two
 *    people at the same position and FTE get the same cents whichever centre pays them.
 * Rounding the monthly amount from the full-time monthly (not from the prorated annual) keeps the
 * monthly line a payslip shows equal to "full-time monthly × FTE", the way payroll prorates it.
 */

export interface ComputePayInput {
  readonly statute: Statute;
  readonly grade: string;
  readonly echelon: number;
  /** Full-time equivalent in (0, 1], at most four decimals. */
  readonly fte: number;
  readonly date: IsoDate;
}

export interface Pay {
  readonly grade: string;
  readonly echelon: number;
  readonly fte: number;
  readonly date: IsoDate;
  readonly annualGrossCents: Cents;
  readonly monthlyGrossCents: Cents;
  readonly fullTimeAnnualGrossCents: Cents;
  readonly fullTimeMonthlyGrossCents: Cents;
  /** The grid version the pay was computed from. */
  readonly gridVersion: { readonly id: string; readonly kind: PayGridVersion['kind']; readonly effectiveFrom: IsoDate };
  /** FPH only: the indice majoré and the index-point value applied. */
  readonly indiceMajore?: number;
  readonly indexPointValue?: IndexPointValue;
}

export function echelonOf(gradeCode: string, grade: Grade<AnyEchelon>, echelon: number, field = 'echelon'): AnyEchelon {
  const last = grade.echelons.length;
  if (!Number.isInteger(echelon) || echelon < 1 || echelon > last) throw new EchelonOutOfRangeError(gradeCode, echelon, last, field);
  return grade.echelons[echelon - 1]!;
}

/** FPH full-time annual traitement: IM × value of 100 points / 100, half up. */
export function fphAnnualCents(indiceMajore: number, annualCentsPer100Points: number): Cents {
  return divideRoundHalfUp(indiceMajore * annualCentsPer100Points, 100);
}

export function monthlyFromAnnual(annualCents: Cents): Cents {
  return divideRoundHalfUp(annualCents, 12);
}

export function prorate(fullTimeCents: Cents, fte: number): Cents {
  return divideRoundHalfUp(fullTimeCents * fteToTenThousandths(fte), FTE_SCALE);
}

/**
 * Pay of a grid position on a date: computed from the statute, never typed in. It depends on the
 * grade, échelon, FTE and date only — there is no centre, no person, no negotiation in the input,
 * which is what makes equal pay for equal grid position hold by construction.
 */
export function computePay(input: ComputePayInput): Pay {
  const { statute, grade, echelon, fte } = input;
  const date = requireDate('date', input.date);
  fteToTenThousandths(fte);
  const inForce = gradeInForce(statute, grade, date);
  const step = echelonOf(grade, inForce.grade, echelon);
  const gridVersion = { id: inForce.version.id, kind: inForce.kind, effectiveFrom: inForce.version.effectiveFrom };

  let fullTimeAnnual: Cents;
  let fph: { indiceMajore: number; indexPointValue: IndexPointValue } | undefined;
  if (inForce.kind === 'ph') {
    fullTimeAnnual = gridMeasure('ph', step);
  } else {
    const indexPointValue = indexPointValueOn(statute, date);
    const indiceMajore = gridMeasure('fph', step);
    fullTimeAnnual = fphAnnualCents(indiceMajore, indexPointValue.annualCentsPer100Points);
    fph = { indiceMajore, indexPointValue };
  }
  const fullTimeMonthly = monthlyFromAnnual(fullTimeAnnual);
  return {
    grade,
    echelon,
    fte,
    date,
    annualGrossCents: prorate(fullTimeAnnual, fte),
    monthlyGrossCents: prorate(fullTimeMonthly, fte),
    fullTimeAnnualGrossCents: fullTimeAnnual,
    fullTimeMonthlyGrossCents: fullTimeMonthly,
    gridVersion,
    ...(fph ?? {}),
  };
}
