import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import { isIsoDate } from './calendar';
import { WEIGHT_SCALE } from './money';
import { MISSION_LINE_CODES, type RateSchedule } from './rate-schedule';

/** Largest weight accepted (×10): a bound that keeps every numerator of the computation exact. */
export const MAX_WEIGHT = 10 * WEIGHT_SCALE;
/** Largest annual amount of one table cell or supplement (€100,000), for the same reason. */
export const MAX_ANNUAL_CENTS = 10_000_000;
const INSEE = /^(\d{5}|2[AB]\d{3})$/;
const CODE = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

function cents(field: string, value: unknown, max = MAX_ANNUAL_CENTS): FieldViolation[] {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max
    ? []
    : [{ field, description: `must be a whole number of cents from 0 to ${max}, got ${JSON.stringify(value)}` }];
}

function weight(field: string, value: unknown): FieldViolation[] {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WEIGHT
    ? []
    : [{ field, description: `must be a weight in ten-thousandths from 1 to ${MAX_WEIGHT} (0.0001 to 10.0000), got ${JSON.stringify(value)}` }];
}

function code(field: string, value: unknown): FieldViolation[] {
  return typeof value === 'string' && CODE.test(value)
    ? []
    : [{ field, description: `must be a code of lower-case letters, digits, _ . - (1 to 40), got ${JSON.stringify(value)}` }];
}

/** Every violation of a schedule at once, each on its field (dotted path). */
export function scheduleViolations(s: RateSchedule): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (typeof s.version !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(s.version))
    v.push({ field: 'version', description: `must be 1 to 40 letters, digits, . _ - , got ${JSON.stringify(s.version)}` });
  if (!isIsoDate(s.effectiveFrom))
    v.push({ field: 'effectiveFrom', description: `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(s.effectiveFrom)}` });
  if (!Array.isArray(s.ageBands) || s.ageBands.length === 0) v.push({ field: 'ageBands', description: 'must list at least one age band' });
  else {
    s.ageBands.forEach((band, i) => {
      v.push(
        ...code(`ageBands[${i}].code`, band.code),
        ...cents(`ageBands[${i}].withoutAld`, band.withoutAld),
        ...cents(`ageBands[${i}].withAld`, band.withAld),
      );
      const previous = i === 0 ? undefined : s.ageBands[i - 1]!.fromAge;
      if (i === 0 && band.fromAge !== 0)
        v.push({ field: 'ageBands[0].fromAge', description: `the first band must start at age 0, got ${JSON.stringify(band.fromAge)}` });
      if (i > 0 && !(Number.isInteger(band.fromAge) && band.fromAge > previous! && band.fromAge <= 130))
        v.push({
          field: `ageBands[${i}].fromAge`,
          description: `must be a whole age above the previous band's (${previous}) and at most 130, got ${JSON.stringify(band.fromAge)}`,
        });
    });
    const codes = s.ageBands.map((b) => b.code);
    codes.forEach((c, i) => {
      if (codes.indexOf(c) !== i) v.push({ field: `ageBands[${i}].code`, description: `duplicates band ${c}` });
    });
  }
  v.push(...cents('supplements.c2s', s.supplements?.c2s));
  for (const [indicator, amount] of Object.entries(s.supplements?.prevention ?? {})) {
    v.push(...code(`supplements.prevention.${indicator}`, indicator), ...cents(`supplements.prevention.${indicator}`, amount));
  }
  const t = s.territorial;
  v.push(...weight('territorial.underservedWeight', t?.underservedWeight));
  (t?.underservedCommunes ?? []).forEach((insee, i) => {
    if (typeof insee !== 'string' || !INSEE.test(insee))
      v.push({ field: `territorial.underservedCommunes[${i}]`, description: `must be an INSEE commune code, got ${JSON.stringify(insee)}` });
  });
  const classes = t?.povertyClasses ?? [];
  if (classes.length === 0) v.push({ field: 'territorial.povertyClasses', description: 'must list at least one class, the first from 0 basis points' });
  classes.forEach((c, i) => {
    v.push(...code(`territorial.povertyClasses[${i}].code`, c.code), ...weight(`territorial.povertyClasses[${i}].weight`, c.weight));
    const previous = i === 0 ? -1 : classes[i - 1]!.fromUnemploymentBasisPoints;
    const valid =
      Number.isInteger(c.fromUnemploymentBasisPoints) &&
      c.fromUnemploymentBasisPoints <= 10_000 &&
      (i === 0 ? c.fromUnemploymentBasisPoints === 0 : c.fromUnemploymentBasisPoints > previous);
    if (!valid)
      v.push({
        field: `territorial.povertyClasses[${i}].fromUnemploymentBasisPoints`,
        description:
          i === 0
            ? `the first class must start at 0, got ${JSON.stringify(c.fromUnemploymentBasisPoints)}`
            : `must be above the previous threshold (${previous}) and at most 10000, got ${JSON.stringify(c.fromUnemploymentBasisPoints)}`,
      });
  });
  for (const line of MISSION_LINE_CODES) v.push(...cents(`missionRates.${line}`, s.missionRates?.[line]));
  for (const line of Object.keys(s.missionRates ?? {})) {
    if (!(MISSION_LINE_CODES as string[]).includes(line))
      v.push({ field: `missionRates.${line}`, description: `is not a mission line; expected one of ${MISSION_LINE_CODES.join(', ')}` });
  }
  if (v.length === 0 && maxDailyNumerator(s) * 366 > Number.MAX_SAFE_INTEGER)
    v.push({
      field: 'territorial',
      description: `the largest annual amount (${maxAnnualCents(s)} cents) times the largest product of weights (${maxWeightProduct(s)} hundred-millionths) over 366 days exceeds exact integer arithmetic (2^53); lower the amounts or the weights`,
    });
  return v;
}

/** The most a patient can earn in a year before weights: the largest table cell plus every supplement. */
export function maxAnnualCents(s: RateSchedule): number {
  const cell = Math.max(...s.ageBands.map((b) => Math.max(b.withoutAld, b.withAld)));
  return cell + s.supplements.c2s + Object.values(s.supplements.prevention).reduce((a, b) => a + b, 0);
}

/** The largest product of the two territorial weights, in hundred-millionths (10^8 = 1.0). */
export function maxWeightProduct(s: RateSchedule): number {
  return Math.max(WEIGHT_SCALE, s.territorial.underservedWeight) * Math.max(...s.territorial.povertyClasses.map((c) => c.weight));
}

/**
 * The largest day term of a line numerator. A valid schedule keeps 366 of them under 2^53, which
 * is what makes the Number arithmetic of the computation exact (see docs/billing.md).
 */
export function maxDailyNumerator(s: RateSchedule): number {
  return maxAnnualCents(s) * maxWeightProduct(s);
}

export function assertValidSchedule(schedule: RateSchedule): void {
  const violations = scheduleViolations(schedule);
  if (violations.length > 0) throw new ValidationError(violations);
}
