import { CommuneDirectory } from '@pcn/referential';
import { APL_DEFAULTS, computeE2sfca, type SupplyPoint } from '../domain/accessibility';
import { suggestSites } from '../domain/sites';
import { gridDemandIndex } from './demand-indexes';
import { demandPoints, referencePlaces } from './reference-territories';

// The Ain, with a thin supply: GPs in one commune out of twelve, so that many communes are underserved.
const demand = demandPoints(referencePlaces(CommuneDirectory.shared()).filter((place) => place.departement === '01'));
const supply: SupplyPoint[] = demand.filter((_, i) => i % 12 === 0).map((point, j) => ({ id: `s${j}`, ...point, fte: 1 + (j % 3) }));
const index = gridDemandIndex(demand);
const { accessibility } = computeE2sfca(demand, supply, APL_DEFAULTS, index);
const candidates = demand.map((_, i) => i);

describe('lazy greedy on a real département', () => {
  it('chooses what the plain greedy chooses, evaluating far fewer gains', () => {
    const K = 8;
    const lazy = suggestSites(demand, accessibility, APL_DEFAULTS, index, { sites: K, fte: 3, candidates, forced: [] });
    expect(lazy.sites).toHaveLength(K);
    expect(lazy.underservedPopulation).toBeGreaterThan(0);

    // The plain greedy: every round, every candidate's gain computed afresh, given the sites chosen so far.
    const plain: number[] = [];
    for (let round = 0; round < K; round++) {
      const next = suggestSites(demand, accessibility, APL_DEFAULTS, index, { sites: round + 1, fte: 3, candidates, forced: plain });
      plain.push(next.sites.at(-1)!.demandIndex);
    }
    expect(lazy.sites.map((site) => site.demandIndex)).toEqual(plain);
    expect(lazy.evaluations).toBeLessThan(K * demand.length);
    // Gains never grow: each site is chosen on what it adds to the ones before.
    lazy.sites.forEach((site, k) => k > 0 && expect(site.gain).toBeLessThanOrEqual(lazy.sites[k - 1]!.gain));
  });
});
