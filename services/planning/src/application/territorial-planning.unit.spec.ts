import { CommuneDirectory } from '@pcn/referential';
import { NotFoundError, ValidationError } from '@pcn/eventsourcing';
import { computeE2sfca } from '../domain/accessibility';
import { inMemoryComputations } from './computations';
import { allPairsDemandIndex } from './demand-indexes';
import { importOutsideSupply } from './outside-supply-import';
import { inMemoryOutsideSupply, type NetworkSnapshot, type PatientCounts } from './ports';
import { demandPoints, referenceCatalogue, referencePlaces } from './reference-territories';
import { TerritorialPlanning } from './territorial-planning';

// The Ain alone, to keep the tests quick: Bourg-en-Bresse (01053), Ambérieu-en-Bugey (01004), Oyonnax (01283).
const places = referencePlaces(CommuneDirectory.shared()).filter((place) => place.departement === '01');
const catalogue = referenceCatalogue(places);
const ain = { level: 'departement' as const, code: '01' };
const network: NetworkSnapshot = {
  centres: [
    { finess: '010000016', communeCode: '01053', gpFte: 30 },
    { finess: '010000024', communeCode: '01004', latitude: 45.955, longitude: 5.36, gpFte: 8 },
    { finess: '010000032', communeCode: '99999', gpFte: 1 },
  ],
  positions: { 'pcn.registry.v1': 41, 'pcn.staff.v1': 97 },
};

const COUNTS: PatientCounts = { asOf: '2026-12-06', patients: 10, withMedecinTraitant: 7, withoutMedecinTraitant: 3, chronicWithoutMedecinTraitant: 1 };

function planning() {
  const outside = inMemoryOutsideSupply();
  const asked: (readonly string[] | undefined)[] = [];
  let n = 0;
  const service = new TerritorialPlanning({
    catalogue,
    places,
    network: { snapshot: async () => network },
    patients: {
      countsIn: async (codes) => {
        asked.push(codes);
        return COUNTS;
      },
    },
    outside,
    computations: inMemoryComputations(),
    clock: { now: () => new Date('2026-12-06T05:00:00Z') },
    newId: () => `c${++n}`,
  });
  return { service, outside, asked };
}
const outsideCsv = ['commune,gp_fte', '01053,45', '01283,25', '01004,15', '01033,12.2', '01173,6'].join('\n');

describe('territory needs', () => {
  it('gives population, unemployment, the network’s centres and GP FTE, the outside GPs and the patients of its places', async () => {
    const { service, outside, asked } = planning();
    await importOutsideSupply(outsideCsv, catalogue, outside);
    const needs = await service.territoryNeeds(ain);
    expect(needs).toMatchObject({ territory: { level: 'departement', code: '01', name: 'Ain' }, centres: 2, networkGpFte: 38, outsideGpFte: 103.2 });
    expect(needs.population).toBe(CommuneDirectory.shared().departementPopulation('01'));
    expect(needs.unemploymentRate).toBeGreaterThan(0.03);
    expect(needs.positions).toEqual({ 'pcn.registry.v1': 41, 'pcn.staff.v1': 97 });
    expect(needs.patients).toEqual(COUNTS);
    expect(asked).toEqual([catalogue.get(ain).places]);
  });

  it('counts the patients of a commune in that commune alone, and those of the nation without naming 35,000 places', async () => {
    const { service, asked } = planning();
    await service.territoryNeeds({ level: 'commune', code: '01053' });
    await service.territoryNeeds({ level: 'nation', code: 'FR' });
    expect(asked).toEqual([['01053'], undefined]);
  });
});

describe('accessibility computations', () => {
  it('stores each computation with its parameters, its inputs’ positions and the supply it used', async () => {
    const { service, outside } = planning();
    await importOutsideSupply(outsideCsv, catalogue, outside);
    const record = await service.computeAccessibility({ speedKmh: 50 });
    expect(record).toMatchObject({
      computationId: 'c1',
      computedAt: '2026-12-06T05:00:00.000Z',
      parameters: { speedKmh: 50, underservedBelow: 46.3, supplyScope: 'all', zones: [{ upToMinutes: 10, weight: 1 }, { weight: 0.66 }, { weight: 0.33 }] },
      inputs: {
        positions: network.positions,
        outsideSupplyVersion: 1,
        centres: 2,
        outsideCommunes: 5,
        unplaced: ['centre 010000032 (commune 99999 has no position)'],
      },
    });
    expect(record.supply.map((point) => point.id)).toEqual([
      '010000016',
      '010000024',
      'outside:01053',
      'outside:01283',
      'outside:01004',
      'outside:01033',
      'outside:01173',
    ]);
    expect(record.communes).toHaveLength(places.length);
    expect(await service.computation('c1')).toBe(record);
  });

  it('can be recomputed independently from what it returns', async () => {
    const { service } = planning();
    const record = await service.computeAccessibility();
    const demand = demandPoints(places);
    const again = computeE2sfca(demand, record.supply, record.parameters, allPairsDemandIndex(demand));
    record.communes.forEach((commune, i) => expect(commune.accessibility).toBeCloseTo(again.accessibility[i]!, 9));
  });

  it('lists a territory’s underserved communes, least accessible first', async () => {
    const { service } = planning();
    const record = await service.computeAccessibility({ supplyScope: 'network' });
    const underserved = await service.underserved(record.computationId, ain);
    expect(underserved.length).toBe(record.underservedCommunes);
    expect(underserved[0]).toMatchObject({ class: 'underserved', accessibility: 0 });
    expect(underserved.every((c, i) => i === 0 || c.accessibility >= underserved[i - 1]!.accessibility)).toBe(true);
    expect(underserved.every((c) => c.class === 'underserved' && c.accessibility < 46.3)).toBe(true);
    expect(underserved.find((c) => c.code === '01053')).toMatchObject({ name: 'Bourg-en-Bresse', population: 41525 });
  });

  it('compares the network alone with all GPs: communes that changed class', async () => {
    const { service, outside } = planning();
    await importOutsideSupply(outsideCsv, catalogue, outside);
    const networkOnly = await service.computeAccessibility({ supplyScope: 'network' });
    const all = await service.computeAccessibility({ supplyScope: 'all' });
    const comparison = await service.compare(networkOnly.computationId, all.computationId, ain);
    expect(comparison.becameServed).toBeGreaterThan(0);
    expect(comparison.becameUnderserved).toBe(0);
    expect(comparison.changed.map((change) => change.code)).toContain('01283'); // Oyonnax, with its 25 outside FTE
  });

  it('refuses wrong parameters on their fields, and an unknown computation', async () => {
    const { service } = planning();
    await expect(service.computeAccessibility({ speedKmh: -3, underservedBelow: Number.NaN })).rejects.toMatchObject({
      violations: [{ field: 'parameters.speedKmh' }, { field: 'parameters.underservedBelow' }],
    });
    await expect(service.computation('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('suggests sites in the territory, honouring forced and excluded communes', async () => {
    const { service } = planning();
    const { computationId } = await service.computeAccessibility({ supplyScope: 'network' });
    const free = await service.suggestSites(computationId, { territory: ain, sites: 3, fte: 10 });
    expect(free.sites).toHaveLength(3);
    expect(free.sites.every((site) => site.code.startsWith('01') && site.gain > 0)).toBe(true);
    const first = free.sites[0]!.code;
    const constrained = await service.suggestSites(computationId, { territory: ain, sites: 3, fte: 10, exclude: [first], force: ['01283'] });
    expect(constrained.sites[0]).toMatchObject({ code: '01283', forced: true });
    expect(constrained.sites.map((site) => site.code)).not.toContain(first);
    await expect(service.suggestSites(computationId, { territory: ain, sites: 2, fte: 10, exclude: ['01283', 'zz'], force: ['01283'] })).rejects.toMatchObject({
      violations: [{ field: 'exclude[1]' }, { field: 'force[0]', description: '01283 is also excluded' }],
    });
  });
});

describe('importing the GPs outside the network', () => {
  it('imports good lines, reports each bad one with its line and field, and changes nothing the second time', async () => {
    const outside = inMemoryOutsideSupply();
    const file = ['commune,gp_fte', '01053,20', '99999,3', '01283,-1', '01053,4', '01004,abc', '01004,4,x', '01033,0'].join('\n');
    const first = await importOutsideSupply(file, catalogue, outside);
    expect(first).toEqual({
      lines: 7,
      accepted: 2,
      changed: 1,
      version: 1,
      errors: [
        { line: 3, field: 'commune', description: 'is not a commune or arrondissement of the reference data: "99999"' },
        { line: 4, field: 'gp_fte', description: 'must be a number of FTE from 0 to 5000, got "-1"' },
        { line: 5, field: 'commune', description: '01053 is already on line 2' },
        { line: 6, field: 'gp_fte', description: 'must be a number of FTE from 0 to 5000, got "abc"' },
        { line: 7, field: 'line', description: 'has 3 fields, expected 2' },
      ],
    });
    expect(outside.size).toBe(1);
    const second = await importOutsideSupply(file, catalogue, outside);
    expect(second).toMatchObject({ changed: 0, version: 1 });
  });

  it('refuses a file with another header, whole', async () => {
    await expect(importOutsideSupply('insee,fte\n01053,2', catalogue, inMemoryOutsideSupply())).rejects.toBeInstanceOf(ValidationError);
  });
});
