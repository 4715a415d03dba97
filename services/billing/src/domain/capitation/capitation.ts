import { OPEN_END, epochDayOf, periodDays, type DayRange, type EpochDay, type PeriodDays, type PeriodId } from '../schedule/calendar';
import { divideRoundHalfAwayFromZero, type Cents } from '../schedule/money';
import { bandIndexForAge, type RateSchedule } from '../schedule/rate-schedule';
import { assertValidSchedule } from '../schedule/schedule-validation';
import type { CentreRoster, CommuneProfiles, PatientFacts } from './patient-facts';
import { territorialWeights, type TerritorialWeights } from './territorial-weights';

/** Weights are in ten-thousandths and two of them multiply: a day term carries 10^8 per unit. */
export const WEIGHT_PRODUCT_SCALE = 100_000_000;

/**
 * Days of a line that earn the same amount: one age band, chronic status, set of supplements and
 * commune weights. `numerator / denominator` of the run is the segment's exact amount in cents.
 */
export interface DaySegment {
  readonly start: EpochDay;
  /** First day after the segment. */
  readonly end: EpochDay;
  readonly ageBand: string;
  readonly chronic: boolean;
  readonly c2s: boolean;
  /** Indicator codes whose supplement applies, in the schedule's order. */
  readonly prevention: readonly string[];
  readonly commune: string;
  readonly weights: TerritorialWeights;
  /** Table amount + supplements, annual cents. */
  readonly annualCents: Cents;
  /** annualCents × weights.product × days: the exact amount is numerator / (10^8 × days in the year). */
  readonly numerator: number;
}

export interface CapitationLine {
  readonly patientId: string;
  /** Σ segment numerators, rounded once: cents = round(numerator / denominator). */
  readonly numerator: number;
  readonly cents: Cents;
  readonly segments: readonly DaySegment[];
}

export interface CentreCapitation {
  readonly finess: string;
  readonly period: PeriodId;
  readonly scheduleVersion: string;
  /** 10^8 × days in the period's year: the common denominator of every numerator. */
  readonly denominator: number;
  readonly lines: readonly CapitationLine[];
  readonly totalCents: Cents;
}

/**
 * A schedule prepared for one period: table cells in flat arrays, indicator amounts by code and
 * the weights of each commune met, computed once. Building it validates the schedule, so every
 * numerator below is a safe integer (see `maxDailyNumerator`) and Number arithmetic is exact.
 */
export class PeriodRates {
  readonly days: PeriodDays;
  readonly denominator: number;
  private readonly bandCodes: string[];
  private readonly withoutAld: number[];
  private readonly withAld: number[];
  private readonly prevention: ReadonlyMap<string, Cents>;
  private readonly underserved: ReadonlySet<string>;
  private readonly weights = new Map<string, TerritorialWeights>();

  constructor(
    readonly schedule: RateSchedule,
    period: PeriodId,
    private readonly profiles: CommuneProfiles,
  ) {
    assertValidSchedule(schedule);
    this.days = periodDays(period);
    this.denominator = WEIGHT_PRODUCT_SCALE * this.days.daysInYear;
    this.bandCodes = schedule.ageBands.map((b) => b.code);
    this.withoutAld = schedule.ageBands.map((b) => b.withoutAld);
    this.withAld = schedule.ageBands.map((b) => b.withAld);
    this.prevention = new Map(Object.entries(schedule.supplements.prevention));
    this.underserved = new Set(schedule.territorial.underservedCommunes);
  }

  weightsOf(insee: string): TerritorialWeights {
    let w = this.weights.get(insee);
    if (w === undefined) {
      w = territorialWeights(this.schedule, this.underserved, this.profiles, insee);
      this.weights.set(insee, w);
    }
    return w;
  }

  /**
   * Age in whole years on the period's first day, counted from the first day of the birth month.
   * Birthdays fall on a first of the month, so the age is the same on every day of the period.
   */
  ageInPeriod(patient: Pick<PatientFacts, 'birthYear' | 'birthMonth'>): number {
    const age = this.days.year - patient.birthYear - (this.days.month < patient.birthMonth ? 1 : 0);
    return Math.max(0, age);
  }

  bandIndex(age: number): number {
    return bandIndexForAge(this.schedule, age);
  }

  bandCode(index: number): string {
    return this.bandCodes[index]!;
  }

  tableCents(band: number, chronic: boolean): Cents {
    return chronic ? this.withAld[band]! : this.withoutAld[band]!;
  }

  preventionCents(indicator: string): Cents {
    return this.prevention.get(indicator) ?? 0;
  }

  c2sCents(): Cents {
    return this.schedule.supplements.c2s;
  }
}

export function covers(ranges: readonly DayRange[], day: EpochDay): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.start <= day && day < r.end) return true;
  }
  return false;
}

function communeOn(patient: PatientFacts, day: EpochDay): string {
  const communes = patient.communes;
  let insee = communes[0]?.insee ?? '';
  for (let i = 1; i < communes.length; i++) if (communes[i]!.from <= day) insee = communes[i]!.insee;
  return insee;
}

const NO_INDICATORS: readonly string[] = [];

/** Validated indicators applying on a day of the period's year: validated that year, on or before it; each code once. */
function indicatorsOn(patient: PatientFacts, day: EpochDay, yearStart: EpochDay): readonly string[] {
  const validations = patient.prevention;
  if (validations.length === 0) return NO_INDICATORS;
  let codes: string[] | undefined;
  for (let i = 0; i < validations.length; i++) {
    const v = validations[i]!;
    if (v.validatedOn >= yearStart && v.validatedOn <= day && !(codes?.includes(v.indicator) ?? false)) (codes ??= []).push(v.indicator);
  }
  return codes === undefined ? NO_INDICATORS : codes.sort();
}

// Boundaries of one patient's period, reused from patient to patient (no allocation per patient).
let scratch = new Float64Array(64);

function addBoundary(count: number, day: EpochDay, start: EpochDay, end: EpochDay): number {
  if (day <= start || day >= end) return count;
  if (count === scratch.length) {
    const grown = new Float64Array(count * 2);
    grown.set(scratch);
    scratch = grown;
  }
  scratch[count] = day;
  return count + 1;
}

function addRanges(count: number, ranges: readonly DayRange[], start: EpochDay, end: EpochDay): number {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    count = addBoundary(count, r.start, start, end);
    if (r.end !== OPEN_END) count = addBoundary(count, r.end, start, end);
  }
  return count;
}

function sameEarning(a: DaySegment, b: Omit<DaySegment, 'start' | 'end' | 'numerator'>): boolean {
  return (
    a.ageBand === b.ageBand &&
    a.chronic === b.chronic &&
    a.c2s === b.c2s &&
    a.commune === b.commune &&
    a.annualCents === b.annualCents &&
    a.prevention.length === b.prevention.length &&
    a.prevention.every((code, i) => code === b.prevention[i])
  );
}

/**
 * One patient's line for the period (undefined when no day earns): the days on which the patient
 * is attributed to the centre and the centre is a member, cut into segments at every change of
 * what a day earns, each worth annualCents × weights × days / (10^8 × days in the year); the
 * line is the exact sum rounded once, half away from zero.
 */
export function capitationLine(rates: PeriodRates, membership: readonly DayRange[], patient: PatientFacts): CapitationLine | undefined {
  const { start, end, year } = rates.days;
  let count = 0;
  scratch[count++] = start;
  count = addRanges(count, patient.attributed, start, end);
  count = addRanges(count, membership, start, end);
  count = addRanges(count, patient.ald, start, end);
  count = addRanges(count, patient.c2s, start, end);
  for (const v of patient.prevention) count = addBoundary(count, v.validatedOn, start, end);
  for (const c of patient.communes) count = addBoundary(count, c.from, start, end);
  // Insertion sort: a patient has a handful of boundaries.
  for (let i = 2; i < count; i++) {
    const day = scratch[i]!;
    let j = i - 1;
    while (j >= 1 && scratch[j]! > day) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = day;
  }
  const band = rates.bandIndex(rates.ageInPeriod(patient));
  const ageBand = rates.bandCode(band);
  const yearStart = epochDayOf(year, 1, 1);
  const segments: DaySegment[] = [];
  let numerator = 0;
  for (let i = 0; i < count; i++) {
    const from = scratch[i]!;
    const to = i + 1 < count ? scratch[i + 1]! : end;
    if (to === from || !covers(patient.attributed, from) || !covers(membership, from)) continue;
    const chronic = covers(patient.ald, from);
    const c2s = covers(patient.c2s, from);
    const prevention = indicatorsOn(patient, from, yearStart);
    let annualCents = rates.tableCents(band, chronic) + (c2s ? rates.c2sCents() : 0);
    for (let k = 0; k < prevention.length; k++) annualCents += rates.preventionCents(prevention[k]!);
    const commune = communeOn(patient, from);
    const weights = rates.weightsOf(commune);
    const term = annualCents * weights.product * (to - from);
    numerator += term;
    const earning = { ageBand, chronic, c2s, prevention, commune, weights, annualCents };
    const last = segments[segments.length - 1];
    if (last !== undefined && last.end === from && sameEarning(last, earning))
      segments[segments.length - 1] = { ...last, end: to, numerator: last.numerator + term };
    else segments.push({ start: from, end: to, ...earning, numerator: term });
  }
  if (segments.length === 0) return undefined;
  return { patientId: patient.patientId, numerator, cents: divideRoundHalfAwayFromZero(numerator, rates.denominator), segments };
}

/** Every line of a centre for the period; the capitation total is the sum of the rounded lines. */
export function centreCapitation(rates: PeriodRates, roster: CentreRoster): CentreCapitation {
  const lines: CapitationLine[] = [];
  let totalCents = 0;
  for (const patient of roster.patients) {
    const line = capitationLine(rates, roster.membership, patient);
    if (line === undefined) continue;
    lines.push(line);
    totalCents += line.cents;
  }
  return { finess: roster.finess, period: rates.days.period, scheduleVersion: rates.schedule.version, denominator: rates.denominator, lines, totalCents };
}
