import { Heap } from 'heap-js';
import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import { PER_INHABITANTS, reachKm, weightWithin, zoneLimitsKm, type AccessibilityParameters } from '../accessibility/parameters';
import type { DemandIndex, DemandPoint } from '../accessibility/inputs';

export interface SiteRequest {
  /** How many sites to suggest, forced ones included. */
  readonly sites: number;
  /** GP FTE of each new centre. */
  readonly fte: number;
  /** Demand indexes where a centre may open (the territory, less the excluded communes). */
  readonly candidates: readonly number[];
  /** Demand indexes chosen by the coordinators: taken first, in this order. */
  readonly forced: readonly number[];
}

export interface SuggestedSite {
  readonly demandIndex: number;
  readonly code: string;
  readonly forced: boolean;
  /** Underserved inhabitants this site brings to the threshold, beyond those of the sites before it. */
  readonly gain: number;
  /** Codes of the communes it brings to the threshold first. */
  readonly newlyServed: string[];
  /** Its step-1 ratio, in FTE per 100,000 weighted inhabitants within reach. */
  readonly ratio: number;
}

export interface SiteSuggestion {
  readonly sites: SuggestedSite[];
  /** Inhabitants of underserved communes before any new site. */
  readonly underservedPopulation: number;
  /** Sum of the gains. */
  readonly gained: number;
  /** Gains recomputed because sites were chosen since (the plain greedy recomputes every candidate each round). */
  readonly evaluations: number;
}

export const MAX_SITES = 100;

/**
 * Maximal covering location, greedy with lazy evaluation (Minoux's accelerated greedy).
 *
 * A new centre of `fte` FTE at candidate s gets the step-1 ratio R_s = fte / Σ_k P_k·W(d_ks) and
 * adds R_s·W(d_is) to the accessibility of every commune i within reach: in E2SFCA a new centre
 * changes no other centre's ratio, so this is exact. The site *covers* the underserved communes
 * it alone lifts to the threshold. Coverage sets are fixed, so the gain (population covered and
 * not yet covered) only shrinks as sites are chosen: a gain computed in an earlier round is an
 * upper bound, and a candidate whose fresh gain still tops the queue is the greedy choice. Two
 * new sites that lift a commune together are not counted, so the gains are a floor.
 *
 * Ties go to the lower demand index, which makes the result that of the plain greedy. Stops early
 * when no candidate gains anyone.
 */
export function suggestSites(
  demand: readonly DemandPoint[],
  accessibility: Float64Array,
  parameters: AccessibilityParameters,
  index: DemandIndex,
  request: SiteRequest,
): SiteSuggestion {
  refuseInvalid(request, demand.length);
  const threshold = parameters.underservedBelow;
  const limitsKm = zoneLimitsKm(parameters);
  const radius = reachKm(parameters);
  let underservedPopulation = 0;
  demand.forEach((point, i) => {
    if (accessibility[i]! < threshold) underservedPopulation += point.population;
  });

  const coverage = (s: number): { covers: number[]; ratio: number } => {
    const near: number[] = [];
    const weights: number[] = [];
    let weighted = 0;
    const site = demand[s]!;
    index.forEachWithin(site.latitude, site.longitude, radius, (i, km) => {
      const weight = weightWithin(limitsKm, parameters.zones, km);
      if (weight === 0) return;
      near.push(i);
      weights.push(weight);
      weighted += demand[i]!.population * weight;
    });
    if (weighted === 0) return { covers: [], ratio: 0 };
    const ratio = (request.fte / weighted) * PER_INHABITANTS;
    const covers = near.filter((i, k) => accessibility[i]! < threshold && accessibility[i]! + ratio * weights[k]! >= threshold);
    return { covers, ratio };
  };
  const coverages = new Map<number, { covers: number[]; ratio: number }>();
  const coverageOf = (s: number) => {
    let found = coverages.get(s);
    if (found === undefined) coverages.set(s, (found = coverage(s)));
    return found;
  };

  const covered = new Uint8Array(demand.length);
  const chosen = new Set<number>();
  const sites: SuggestedSite[] = [];
  const take = (s: number, forced: boolean) => {
    const { covers, ratio } = coverageOf(s);
    const newly = covers.filter((i) => covered[i] === 0);
    for (const i of newly) covered[i] = 1;
    chosen.add(s);
    const gain = newly.reduce((sum, i) => sum + demand[i]!.population, 0);
    sites.push({ demandIndex: s, code: demand[s]!.code, forced, gain, newlyServed: newly.map((i) => demand[i]!.code), ratio });
  };
  for (const s of request.forced) take(s, true);

  const gainOf = (s: number): number => coverageOf(s).covers.reduce((sum, i) => sum + (covered[i] === 0 ? demand[i]!.population : 0), 0);
  interface Entry {
    readonly site: number;
    readonly gain: number;
    /** Number of sites chosen when the gain was computed. */
    readonly round: number;
  }
  const queue = new Heap<Entry>((a, b) => b.gain - a.gain || a.site - b.site);
  queue.init(request.candidates.filter((s) => !chosen.has(s)).map((site) => ({ site, gain: gainOf(site), round: sites.length })));
  let evaluations = 0;
  while (sites.length < request.sites) {
    const top = queue.pop();
    if (top === undefined || top.gain === 0) break;
    if (top.round === sites.length) {
      take(top.site, false);
      continue;
    }
    evaluations++;
    queue.push({ site: top.site, gain: gainOf(top.site), round: sites.length });
  }
  return { sites, underservedPopulation, gained: sites.reduce((sum, site) => sum + site.gain, 0), evaluations };
}

function refuseInvalid(request: SiteRequest, size: number): void {
  const violations: FieldViolation[] = [];
  if (!(Number.isInteger(request.sites) && request.sites >= 1 && request.sites <= MAX_SITES)) {
    violations.push({ field: 'sites', description: `must be a whole number from 1 to ${MAX_SITES}, got ${request.sites}` });
  }
  if (!(Number.isFinite(request.fte) && request.fte > 0 && request.fte <= 1000)) {
    violations.push({ field: 'fte', description: `must be a number of GP FTE above 0 and at most 1000, got ${request.fte}` });
  }
  if (request.forced.length > request.sites) {
    violations.push({ field: 'forced', description: `holds ${request.forced.length} communes, more than the ${request.sites} sites asked for` });
  }
  if (new Set(request.forced).size !== request.forced.length) violations.push({ field: 'forced', description: 'names a commune twice' });
  for (const s of [...request.candidates, ...request.forced]) {
    if (!(Number.isInteger(s) && s >= 0 && s < size)) throw new RangeError(`site ${s} is not a demand point (0 to ${size - 1})`);
  }
  if (violations.length > 0) throw new ValidationError(violations);
}
