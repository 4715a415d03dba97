import { classify, computeE2sfca } from './e2sfca';
import type { DemandIndex, DemandPoint, SupplyPoint } from './inputs';
import { APL_DEFAULTS, decayWeight, parameterViolations, reachKm, type AccessibilityParameters } from './parameters';
import { assembleSupply } from './supply';
import { compareComputations } from './comparison';

/**
 * A hand-written index: the distances from each supply point (known by its latitude) to the
 * demand points, as a table, so that every figure below can be computed by hand.
 */
function tableIndex(table: Record<number, readonly (readonly [number, number])[]>): DemandIndex {
  return {
    forEachWithin(latitude, _longitude, radiusKm, visit) {
      for (const [i, km] of table[latitude] ?? []) if (km <= radiusKm) visit(i, km);
    },
  };
}

// 60 km/h: one kilometre is one minute. Full weight up to 10 minutes, half up to 20.
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
];
const X: SupplyPoint = { id: 'X', latitude: 1, longitude: 0, fte: 1 };
const Y: SupplyPoint = { id: 'Y', latitude: 2, longitude: 0, fte: 2 };
const distances = {
  1: [
    [0, 5],
    [1, 15],
    [2, 25],
  ],
  2: [
    [1, 8],
    [2, 12],
  ],
} as const;

describe('E2SFCA on a hand-computed example', () => {
  // Given X (1 FTE) reaches A at 5 km (weight 1) and B at 15 km (0.5), C at 25 km is out of reach;
  // Y (2 FTE) reaches B at 8 km (1) and C at 12 km (0.5).
  const result = computeE2sfca(demand, [X, Y], params, tableIndex(distances));

  it('step 1: each centre has its FTE over the weighted population within reach', () => {
    // X: 1 / (1000 × 1 + 3000 × 0.5) = 1 / 2500; Y: 2 / (3000 × 1 + 2000 × 0.5) = 2 / 4000.
    expect([...result.weightedDemand]).toEqual([2500, 4000]);
    expect(result.ratios[0]).toBeCloseTo(0.0004, 12);
    expect(result.ratios[1]).toBeCloseTo(0.0005, 12);
  });

  it('step 2: each commune sums the weighted ratios of the centres within reach, per 100,000', () => {
    // A: 0.0004 × 1 → 40; B: 0.0004 × 0.5 + 0.0005 × 1 → 70; C: 0.0005 × 0.5 → 25.
    expect(result.accessibility[0]).toBeCloseTo(40, 9);
    expect(result.accessibility[1]).toBeCloseTo(70, 9);
    expect(result.accessibility[2]).toBeCloseTo(25, 9);
    expect(result.pairs).toBe(4);
  });

  it('classes the communes below the threshold as underserved', () => {
    expect([...result.accessibility].map((a) => classify(a, params))).toEqual(['underserved', 'served', 'underserved']);
  });

  it('gives nothing from a centre nobody lives near, and no division by zero', () => {
    const lonely: SupplyPoint = { id: 'Z', latitude: 3, longitude: 0, fte: 5 };
    const alone = computeE2sfca(demand, [lonely], params, tableIndex({ 3: [[0, 30]] }));
    expect([...alone.ratios]).toEqual([0]);
    expect([...alone.accessibility]).toEqual([0, 0, 0]);
  });

  it('keeps the total: the population-weighted accessibility never exceeds the FTE supplied', () => {
    // Σ_i P_i A_i / 100,000 = Σ_j S_j × (Σ_i P_i W_ij / Σ_k P_k W_kj) = Σ_j S_j when every pair counts in both steps.
    const total = demand.reduce((sum, point, i) => sum + (point.population * result.accessibility[i]!) / 100_000, 0);
    expect(total).toBeCloseTo(3, 9);
  });
});

describe('distance decay', () => {
  it('weighs by the first zone whose limit the travel time does not exceed', () => {
    expect(decayWeight(params, 0)).toBe(1);
    expect(decayWeight(params, 10)).toBe(1);
    expect(decayWeight(params, 10.01)).toBe(0.5);
    expect(decayWeight(params, 20)).toBe(0.5);
    expect(decayWeight(params, 20.01)).toBe(0);
  });

  it('converts minutes to kilometres at the speed: 20 minutes at 45 km/h is 15 km', () => {
    expect(reachKm(APL_DEFAULTS)).toBe(15);
    expect(decayWeight(APL_DEFAULTS, 7.5)).toBe(1);
    expect(decayWeight(APL_DEFAULTS, 9)).toBe(0.66);
    expect(decayWeight(APL_DEFAULTS, 12)).toBe(0.33);
  });

  it('accepts the APL defaults', () => expect(parameterViolations(APL_DEFAULTS)).toEqual([]));

  it('names each wrong parameter', () => {
    const violations = parameterViolations({
      speedKmh: 0,
      zones: [
        { upToMinutes: 15, weight: 0.5 },
        { upToMinutes: 10, weight: 0.8 },
      ],
      underservedBelow: -1,
      supplyScope: 'everyone' as 'all',
    });
    expect(violations.map((v) => v.field)).toEqual(['speedKmh', 'zones[1].upToMinutes', 'zones[1].weight', 'underservedBelow', 'supplyScope']);
  });

  it('refuses no zone at all', () => expect(parameterViolations({ ...params, zones: [] }).map((v) => v.field)).toEqual(['zones']));
});

describe('supply scope', () => {
  const centres = [{ finess: '750000001', latitude: 48.85, longitude: 2.35, gpFte: 2.5 }];
  const outside = [
    { communeCode: '01001', gpFte: 1.2 },
    { communeCode: '99999', gpFte: 3 },
  ];
  const positions: Record<string, { latitude: number; longitude: number }> = { '01001': { latitude: 46.15, longitude: 4.93 } };

  it('counts the network only when asked', () => {
    expect(assembleSupply('network', centres, outside, (code) => positions[code])).toEqual({
      points: [{ id: '750000001', latitude: 48.85, longitude: 2.35, fte: 2.5 }],
      unplaced: [],
    });
  });

  it('places the GPs outside the network at their commune, and reports those it cannot place', () => {
    const { points, unplaced } = assembleSupply('all', centres, outside, (code) => positions[code]);
    expect(points).toEqual([
      { id: '750000001', latitude: 48.85, longitude: 2.35, fte: 2.5 },
      { id: 'outside:01001', latitude: 46.15, longitude: 4.93, fte: 1.2 },
    ]);
    expect(unplaced).toEqual([{ communeCode: '99999', gpFte: 3 }]);
  });

  it('leaves out centres without GP time', () => {
    expect(assembleSupply('network', [{ ...centres[0]!, gpFte: 0 }], [], () => undefined).points).toEqual([]);
  });
});

describe('comparing two computations', () => {
  it('lists the communes that changed class, and those present in one only', () => {
    const before = [
      { code: 'A', accessibility: 40, class: 'underserved' as const },
      { code: 'B', accessibility: 70, class: 'served' as const },
      { code: 'C', accessibility: 25, class: 'underserved' as const },
      { code: 'D', accessibility: 90, class: 'served' as const },
    ];
    const after = [
      { code: 'A', accessibility: 55, class: 'served' as const },
      { code: 'B', accessibility: 45, class: 'underserved' as const },
      { code: 'C', accessibility: 30, class: 'underserved' as const },
      { code: 'E', accessibility: 10, class: 'underserved' as const },
    ];
    const comparison = compareComputations(before, after);
    expect(comparison.changed.map((c) => [c.code, c.before.class, c.after.class])).toEqual([
      ['A', 'underserved', 'served'],
      ['B', 'served', 'underserved'],
    ]);
    expect(comparison).toMatchObject({ becameServed: 1, becameUnderserved: 1, onlyBefore: ['D'], onlyAfter: ['E'] });
  });
});
