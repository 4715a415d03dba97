import { CommuneDirectory, haversineKm } from '@pcn/referential';
import { APL_DEFAULTS, computeE2sfca, type SupplyPoint } from '../domain/accessibility';
import { allPairsDemandIndex, gridDemandIndex } from './demand-indexes';
import { demandPoints, referencePlaces } from './reference-territories';

// The Ain: 393 communes, from the plain of the Saône to the Jura.
const demand = demandPoints(referencePlaces(CommuneDirectory.shared()).filter((place) => place.departement === '01'));

function pairsOf(index: ReturnType<typeof gridDemandIndex>, latitude: number, longitude: number, radiusKm: number): [number, number][] {
  const found: [number, number][] = [];
  index.forEachWithin(latitude, longitude, radiusKm, (i, km) => found.push([i, km]));
  return found.sort((a, b) => a[0] - b[0]);
}

describe('the grid index against all pairs, on a real département', () => {
  // One centre in every seventh commune, with 1 to 4 FTE, and the outside GPs of every tenth.
  const supply: SupplyPoint[] = demand
    .filter((_, i) => i % 7 === 0 || i % 10 === 0)
    .map((point, j) => ({ id: `s${j}`, latitude: point.latitude + 0.01, longitude: point.longitude - 0.01, fte: 1 + (j % 4) }));

  it('finds the same communes at the same distances', () => {
    const grid = gridDemandIndex(demand);
    const naive = allPairsDemandIndex(demand);
    for (const point of supply.slice(0, 20)) {
      expect(pairsOf(grid, point.latitude, point.longitude, 15)).toEqual(pairsOf(naive, point.latitude, point.longitude, 15));
    }
  });

  it('reports great-circle distances, as the referential haversine gives them', () => {
    const from = supply[3]!;
    const found = pairsOf(gridDemandIndex(demand), from.latitude, from.longitude, 15);
    expect(found.length).toBeGreaterThan(5);
    for (const [i, km] of found) {
      expect(km).toBeCloseTo(haversineKm(from, demand[i]!), 9);
      expect(km).toBeLessThanOrEqual(15);
    }
  });

  it('computes the same accessibility, to rounding', () => {
    const indexed = computeE2sfca(demand, supply, APL_DEFAULTS, gridDemandIndex(demand));
    const naive = computeE2sfca(demand, supply, APL_DEFAULTS, allPairsDemandIndex(demand));
    expect(indexed.pairs).toBe(naive.pairs);
    expect(indexed.pairs).toBeGreaterThan(supply.length);
    for (let i = 0; i < demand.length; i++) expect(indexed.accessibility[i]).toBeCloseTo(naive.accessibility[i]!, 9);
    expect(Math.max(...indexed.accessibility)).toBeGreaterThan(0);
  });
});
