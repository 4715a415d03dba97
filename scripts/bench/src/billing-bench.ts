import {
  bandIndexForAge,
  centreCapitation,
  DEFAULT_RATE_SCHEDULE,
  divideRoundHalfAwayFromZero,
  epochDayOf,
  OPEN_END,
  PeriodRates,
  type CentreRoster,
  type DayRange,
  type RateSchedule,
} from '@pcn/billing';
import { summary } from './percentiles';
import { generateBillingRoster } from './population/billing-roster';
import { printTable } from './report';

export interface BillingBenchOptions {
  readonly patients: number;
  readonly centres: number;
  readonly rounds: number;
}

const PERIOD = '2026-03';

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

const coversDay = (ranges: readonly DayRange[], day: number): boolean => {
  for (const r of ranges) if (r.start <= day && day < r.end) return true;
  return false;
};

/**
 * The baseline: a plain scan of the same roster computing the same per-patient sums with the same
 * exact arithmetic (integer numerators, one rounding per patient), and nothing else: no segments,
 * no explanation, no line objects, lookups prepared in flat tables.
 */
function plainScan(schedule: RateSchedule, roster: CentreRoster, weightOf: (insee: string) => number): number {
  const start = epochDayOf(2026, 3, 1);
  const end = epochDayOf(2026, 4, 1);
  const yearStart = epochDayOf(2026, 1, 1);
  const denominator = 100_000_000 * 365;
  const without = schedule.ageBands.map((b) => b.withoutAld);
  const withAld = schedule.ageBands.map((b) => b.withAld);
  const bandOfAge = Array.from({ length: 131 }, (_, age) => bandIndexForAge(schedule, age));
  const c2sCents = schedule.supplements.c2s;
  const prevention = schedule.supplements.prevention;
  const cuts: number[] = [];
  let total = 0;
  for (const p of roster.patients) {
    cuts.length = 0;
    cuts.push(start, end);
    const add = (day: number): void => {
      if (day > start && day < end) cuts.push(day);
    };
    for (const list of [p.attributed, roster.membership, p.ald, p.c2s])
      for (const r of list) {
        add(r.start);
        if (r.end !== OPEN_END) add(r.end);
      }
    for (const v of p.prevention) add(v.validatedOn);
    for (const c of p.communes) add(c.from);
    cuts.sort((a, b) => a - b);
    const band = bandOfAge[Math.max(0, 2026 - p.birthYear - (3 < p.birthMonth ? 1 : 0))]!;
    let numerator = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const from = cuts[i]!;
      const days = cuts[i + 1]! - from;
      if (days === 0 || !coversDay(p.attributed, from) || !coversDay(roster.membership, from)) continue;
      let annual = coversDay(p.ald, from) ? withAld[band]! : without[band]!;
      if (coversDay(p.c2s, from)) annual += c2sCents;
      const seen: string[] = [];
      for (const v of p.prevention)
        if (v.validatedOn >= yearStart && v.validatedOn <= from && !seen.includes(v.indicator)) {
          seen.push(v.indicator);
          annual += prevention[v.indicator] ?? 0;
        }
      let insee = p.communes[0]!.insee;
      for (const c of p.communes) if (c.from <= from) insee = c.insee;
      numerator += annual * weightOf(insee) * days;
    }
    if (numerator > 0) total += divideRoundHalfAwayFromZero(numerator, denominator);
  }
  return total;
}

/**
 * A full monthly capitation run over a generated roster: every centre computed with its lines and
 * day segments (`centreCapitation`, what RunPeriod runs), timed per centre, beside the plain scan.
 */
export async function billingBench(options: BillingBenchOptions): Promise<void> {
  const generation = process.hrtime.bigint();
  const roster = generateBillingRoster({ patients: options.patients, centres: options.centres, period: PERIOD });
  const generated = seconds(generation);
  const schedule: RateSchedule = {
    ...DEFAULT_RATE_SCHEDULE,
    territorial: { ...DEFAULT_RATE_SCHEDULE.territorial, underservedCommunes: [...roster.underservedCommunes] },
  };
  const profiles = (insee: string) => roster.communes.get(insee);
  const patients = roster.centres.reduce((n, c) => n + c.patients.length, 0);
  const drawn = Object.entries(roster.drawn)
    .map(([k, v]) => `${k} ${((100 * v) / patients).toFixed(1)} %`)
    .join(', ');
  process.stdout.write(
    `\nBilling: ${patients.toLocaleString('en-US')} patients in ${roster.centres.length} centres, ${PERIOD}, schedule ${schedule.version} (generated in ${generated.toFixed(1)} s)\n  ${drawn}\n`,
  );

  const runs: { seconds: number; lines: number; total: number; perCentre: number[] }[] = [];
  const scans: { seconds: number; total: number }[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // The run: rates prepared once per period (weights cached per commune), then every centre.
    const runStart = process.hrtime.bigint();
    const rates = new PeriodRates(schedule, PERIOD, profiles);
    const perCentre: number[] = [];
    let lines = 0;
    let total = 0;
    for (const centre of roster.centres) {
      const t = process.hrtime.bigint();
      const result = centreCapitation(rates, centre);
      perCentre.push(seconds(t) * 1000);
      lines += result.lines.length;
      total += result.totalCents;
    }
    runs.push({ seconds: seconds(runStart), lines, total, perCentre });

    const scanStart = process.hrtime.bigint();
    const weights = new PeriodRates(schedule, PERIOD, profiles);
    let scanTotal = 0;
    for (const centre of roster.centres) scanTotal += plainScan(schedule, centre, (insee) => weights.weightsOf(insee).product);
    scans.push({ seconds: seconds(scanStart), total: scanTotal });
  }
  const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
  const run = median(runs, (r) => r.seconds);
  const scan = median(scans, (s) => s.seconds);
  if (run.total !== scan.total) throw new Error(`the run (${run.total} cents) and the plain scan (${scan.total} cents) disagree`);
  const centreMs = summary(run.perCentre);
  printTable(`Billing monthly run (median of ${options.rounds} rounds; count = patient lines)`, [
    { target: 'billing', operation: 'capitation run (lines + segments)', count: run.lines, seconds: run.seconds, baselinePerSecond: run.lines / scan.seconds },
    { target: 'baseline', operation: 'plain scan, same sums', count: run.lines, seconds: scan.seconds },
  ]);
  const linesPerSecond = run.lines / run.seconds;
  process.stdout.write(
    `  per centre (${Math.round(patients / roster.centres.length).toLocaleString('en-US')} patients): p50 ${centreMs.p50.toFixed(1)} ms, p99 ${centreMs.p99.toFixed(1)} ms, max ${centreMs.max.toFixed(1)} ms\n` +
      `  capitation total ${(run.total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} € (run and scan agree to the cent)\n` +
      `  60 million patients at this rate: ${(60_000_000 / linesPerSecond).toFixed(0)} s on one core (computation only; partitioned by centre across instances)\n`,
  );
}
