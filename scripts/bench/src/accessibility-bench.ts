import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { CommuneDirectory } from '@pcn/referential';
import {
  allPairsDemandIndex,
  APL_DEFAULTS,
  assembleSupply,
  computeE2sfca,
  demandPoints,
  gridDemandIndex,
  referencePlaces,
  type AccessibilityResult,
  type DemandPoint,
  type NetworkCentre,
  type OutsideSupply,
  type SupplyPoint,
} from '@pcn/planning';
import { summary } from './percentiles';

export interface AccessibilityBenchOptions {
  /** Synthetic centres of the network. */
  readonly centres: number;
  /** Communes with GPs outside the network (at most every positioned commune). */
  readonly outsideCommunes: number;
  /** Rounds of the indexed computation. */
  readonly rounds: number;
  /** Rounds of the all-pairs baseline (each takes tens of seconds). */
  readonly naiveRounds: number;
}

/** Outside GPs per inhabitant: about 70 FTE per 100,000, near the national APL average. */
const OUTSIDE_FTE_PER_INHABITANT = 0.0007;

const unit = (rng: RandomGenerator): number => unsafeUniformIntDistribution(0, 0x3fffffff, rng) / 0x40000000;

/** Centres in communes drawn with a probability proportional to their population, 1 to 8 GP FTE each. */
function syntheticCentres(demand: readonly DemandPoint[], count: number, rng: RandomGenerator): NetworkCentre[] {
  const cumulative = new Float64Array(demand.length);
  let total = 0;
  demand.forEach((point, i) => (cumulative[i] = total += point.population));
  const centres: NetworkCentre[] = [];
  for (let c = 0; c < count; c++) {
    const target = unit(rng) * total;
    let low = 0;
    let high = demand.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    const at = demand[low]!;
    centres.push({
      finess: `bench-${c}`,
      latitude: at.latitude + (unit(rng) - 0.5) * 0.02,
      longitude: at.longitude + (unit(rng) - 0.5) * 0.02,
      gpFte: 1 + Math.round(unit(rng) * 70) / 10,
    });
  }
  return centres;
}

function timeRounds(rounds: number, run: () => AccessibilityResult): { ms: number[]; result: AccessibilityResult } {
  const ms: number[] = [];
  let result: AccessibilityResult | undefined;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    result = run();
    ms.push(performance.now() - started);
  }
  return { ms, result: result! };
}

/**
 * E2SFCA over the whole country: every positioned commune of communes.csv as demand, synthetic
 * centres plus the GPs outside the network as supply, with the APL defaults. The indexed
 * computation (grid built inside each round) beside the all-pairs baseline, in one run, and the
 * largest difference between their accessibilities.
 */
export function accessibilityBench(options: AccessibilityBenchOptions): void {
  const demand = demandPoints(referencePlaces(CommuneDirectory.shared()));
  const rng = xoroshiro128plus(20_260_415);
  const centres = syntheticCentres(demand, options.centres, rng);
  const step = Math.max(1, Math.floor(demand.length / Math.max(1, options.outsideCommunes)));
  const outside: OutsideSupply[] = demand
    .filter((_, i) => i % step === 0)
    .slice(0, options.outsideCommunes)
    .map((point) => ({ communeCode: point.code, gpFte: Math.max(0.1, Math.round(point.population * OUTSIDE_FTE_PER_INHABITANT * 10) / 10) }));
  const byCode = new Map(demand.map((point) => [point.code, point]));
  const supply: SupplyPoint[] = assembleSupply('all', centres, outside, (code) => byCode.get(code)).points;

  const indexed = timeRounds(options.rounds, () => computeE2sfca(demand, supply, APL_DEFAULTS, gridDemandIndex(demand)));
  const naive = timeRounds(options.naiveRounds, () => computeE2sfca(demand, supply, APL_DEFAULTS, allPairsDemandIndex(demand)));

  let largestAbsolute = 0;
  let largestRelative = 0;
  for (let i = 0; i < demand.length; i++) {
    const a = indexed.result.accessibility[i]!;
    const b = naive.result.accessibility[i]!;
    const difference = Math.abs(a - b);
    largestAbsolute = Math.max(largestAbsolute, difference);
    if (b !== 0) largestRelative = Math.max(largestRelative, difference / Math.abs(b));
  }
  const fast = summary(indexed.ms);
  const slow = summary(naive.ms);
  const row = (name: string, rounds: number, s: { p50: number; p99: number }, pairs: number, ratio: string) =>
    [
      name.padEnd(22),
      String(rounds).padStart(6),
      s.p50.toFixed(0).padStart(9),
      s.p99.toFixed(0).padStart(9),
      pairs.toLocaleString('en-US').padStart(12),
      ratio.padStart(8),
    ].join('  ');
  process.stdout.write(
    `\nAccessibility (E2SFCA, APL defaults: ${APL_DEFAULTS.zones.at(-1)!.upToMinutes} min at ${APL_DEFAULTS.speedKmh} km/h): ` +
      `${demand.length.toLocaleString('en-US')} communes, ${supply.length.toLocaleString('en-US')} supply points ` +
      `(${centres.length.toLocaleString('en-US')} centres, outside GPs in ${outside.length.toLocaleString('en-US')} communes)\n` +
      `${['computation'.padEnd(22), 'rounds', '   p50 ms', '   p99 ms', '       pairs', ' speed-up'].join('  ')}\n` +
      `${row('grid index', options.rounds, fast, indexed.result.pairs, `${(slow.p50 / fast.p50).toFixed(0)}x`)}\n` +
      `${row('all pairs (baseline)', options.naiveRounds, slow, naive.result.pairs, '1x')}\n` +
      `largest difference between the two: ${largestAbsolute.toExponential(2)} FTE per 100,000 (relative ${largestRelative.toExponential(2)})\n`,
  );
}
