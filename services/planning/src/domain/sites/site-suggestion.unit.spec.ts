import { ValidationError } from '@pcn/eventsourcing';
import type { DemandIndex, DemandPoint } from '../accessibility/inputs';
import type { AccessibilityParameters } from '../accessibility/parameters';
import { suggestSites, type SiteRequest } from './site-suggestion';

// 60 km/h: one kilometre is one minute; full weight up to 10 minutes, half up to 20; underserved below 50.
const params: AccessibilityParameters = {
  speedKmh: 60,
  zones: [
    { upToMinutes: 10, weight: 1 },
    { upToMinutes: 20, weight: 0.5 },
  ],
  underservedBelow: 50,
  supplyScope: 'network',
};
const demand: DemandPoint[] = [
  { code: 'A', latitude: 10, longitude: 0, population: 1000 },
  { code: 'B', latitude: 11, longitude: 0, population: 3000 },
  { code: 'C', latitude: 12, longitude: 0, population: 2000 },
  { code: 'D', latitude: 13, longitude: 0, population: 500 },
];
// Accessibility today: A and C and D are underserved, B is served.
const accessibility = Float64Array.from([40, 70, 25, 0]);
// Distances from each commune (known by its latitude) to the communes within reach.
const table: Record<number, [number, number][]> = {
  10: [
    [0, 0],
    [1, 15],
    [3, 5],
  ],
  11: [
    [1, 0],
    [0, 15],
    [2, 8],
  ],
  12: [
    [2, 0],
    [1, 8],
  ],
  13: [
    [3, 0],
    [0, 5],
  ],
};
const index: DemandIndex = {
  forEachWithin(latitude, _longitude, radiusKm, visit) {
    for (const [i, km] of table[latitude] ?? []) if (km <= radiusKm) visit(i, km);
  },
};
const request = (overrides: Partial<SiteRequest> = {}): SiteRequest => ({ sites: 2, fte: 1, candidates: [0, 1, 2, 3], forced: [], ...overrides });

describe('suggesting sites (maximal covering, lazy greedy)', () => {
  // A new 1-FTE centre at A: 1 / (1000 + 3000 × 0.5 + 500) → +33.3 at A (→ 73.3, served), +33.3 at D (→ 33.3, not yet).
  // At B: 1 / 5500 → A 49.1 and C 43.2, still below 50: gains nobody. At C: 1 / 5000 → C 45: nobody.
  // At D: 1 / 1500 → +66.7 at D and at A: both served, 1500 inhabitants.

  it('takes the site that brings the most underserved inhabitants to the threshold, and stops when no site gains anyone', () => {
    const result = suggestSites(demand, accessibility, params, index, request());
    expect(result.sites).toEqual([{ demandIndex: 3, code: 'D', forced: false, gain: 1500, newlyServed: ['D', 'A'], ratio: expect.closeTo(66.667, 3) }]);
    expect(result.underservedPopulation).toBe(3500);
    expect(result.gained).toBe(1500);
  });

  it('takes the forced communes first, then counts only what the others add', () => {
    const result = suggestSites(demand, accessibility, params, index, request({ forced: [0] }));
    expect(result.sites.map(({ code, forced, gain, newlyServed }) => ({ code, forced, gain, newlyServed }))).toEqual([
      { code: 'A', forced: true, gain: 1000, newlyServed: ['A'] },
      { code: 'D', forced: false, gain: 500, newlyServed: ['D'] },
    ]);
  });

  it('never suggests an excluded commune', () => {
    const result = suggestSites(demand, accessibility, params, index, request({ candidates: [0, 1, 2] }));
    expect(result.sites.map((site) => [site.code, site.gain])).toEqual([['A', 1000]]);
  });

  it('counts more FTE: a 2-FTE centre at C lifts C (25 + 40) and nobody else needs it', () => {
    const result = suggestSites(demand, accessibility, params, index, request({ fte: 2, sites: 3, candidates: [2] }));
    expect(result.sites.map((site) => [site.code, site.gain])).toEqual([['C', 2000]]);
  });

  it('names each wrong field of the request', () => {
    let thrown: unknown;
    try {
      suggestSites(demand, accessibility, params, index, request({ sites: 0, fte: -1, forced: [0, 0] }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).violations.map((v) => v.field)).toEqual(['sites', 'fte', 'forced', 'forced']);
  });
});
