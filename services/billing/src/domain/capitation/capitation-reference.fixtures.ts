import { epochDayOf, periodDays, type DayRange, type PeriodId } from '../schedule/calendar';
import { divideRoundHalfAwayFromZeroBig, WEIGHT_SCALE } from '../schedule/money';
import { bandIndexForAge, type RateSchedule } from '../schedule/rate-schedule';
import type { CommuneProfiles, PatientFacts } from './patient-facts';

const covers = (ranges: readonly DayRange[], day: number): boolean => ranges.some((r) => r.start <= day && day < r.end);

/**
 * The computation as the issue words it, day by day in BigInt, sharing no code with the fast
 * path but the calendar: each day earns (table + supplements) × weights / days in the year, the
 * exact sum is rounded once. Tests compare the fast path with it.
 */
export function referenceLineCents(
  schedule: RateSchedule,
  profiles: CommuneProfiles,
  period: PeriodId,
  membership: readonly DayRange[],
  p: PatientFacts,
): bigint | undefined {
  const { start, end, year } = periodDays(period);
  const yearDays = BigInt(epochDayOf(year + 1, 1, 1) - epochDayOf(year, 1, 1));
  let sum = 0n;
  let any = false;
  for (let day = start; day < end; day++) {
    if (!covers(p.attributed, day) || !covers(membership, day)) continue;
    any = true;
    const date = new Date(day * 86_400_000);
    const [y, m] = [date.getUTCFullYear(), date.getUTCMonth() + 1];
    const age = Math.max(0, y - p.birthYear - (m < p.birthMonth ? 1 : 0));
    const band = schedule.ageBands[bandIndexForAge(schedule, age)]!;
    let annual = BigInt(covers(p.ald, day) ? band.withAld : band.withoutAld);
    if (covers(p.c2s, day)) annual += BigInt(schedule.supplements.c2s);
    const counted = new Set<string>();
    for (const v of p.prevention) {
      if (v.validatedOn <= day && new Date(v.validatedOn * 86_400_000).getUTCFullYear() === y && !counted.has(v.indicator)) {
        counted.add(v.indicator);
        annual += BigInt(schedule.supplements.prevention[v.indicator] ?? 0);
      }
    }
    const commune = [...p.communes].reverse().find((c, i, all) => c.from <= day || i === all.length - 1)!.insee;
    const zone = BigInt(schedule.territorial.underservedCommunes.includes(commune) ? schedule.territorial.underservedWeight : WEIGHT_SCALE);
    const rate = profiles(commune)?.unemploymentBasisPoints ?? 0;
    const poverty = BigInt([...schedule.territorial.povertyClasses].reverse().find((c) => c.fromUnemploymentBasisPoints <= rate)!.weight);
    sum += annual * zone * poverty;
  }
  return any ? divideRoundHalfAwayFromZeroBig(sum, 100_000_000n * yearDays) : undefined;
}
