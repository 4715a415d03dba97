import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { departementName, listRegions, regionName } from './administrative-divisions';
import { CommuneDirectory, DEFAULT_COMMUNES_CSV_PATH } from './commune-directory';
import { COMMUNES_CSV_COLUMNS } from './communes-csv';
import type { Coordinates } from './coordinates';
import { haversineKm } from './haversine';

/** Small deterministic generator (mulberry32), so that a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CommuneDirectory over data/communes.csv', () => {
  const directory = CommuneDirectory.shared();

  it('finds the packaged data file next to src/ and dist/', () => {
    expect(DEFAULT_COMMUNES_CSV_PATH.endsWith(join('referential', 'data', 'communes.csv'))).toBe(true);
    expect(directory.loadStats()).toMatchObject({ source: DEFAULT_COMMUNES_CSV_PATH, rows: 34976, positioned: 34973 });
  });

  it('holds 34,976 places: 34,931 communes and 45 arrondissements of Paris, Marseille and Lyon', () => {
    expect(directory.size).toBe(34976);
    expect(directory.all()).toHaveLength(34976);
    const arrondissements = directory.all().filter((place) => place.kind === 'arrondissement');
    expect(arrondissements).toHaveLength(45);
    expect(new Set(arrondissements.map((place) => place.parent))).toEqual(new Set(['75056', '13055', '69123']));
  });

  it('is the same instance for the whole process', () => {
    expect(CommuneDirectory.shared()).toBe(directory);
  });

  it('resolves known communes', () => {
    expect(directory.get('2A004')).toMatchObject({
      name: 'Ajaccio',
      kind: 'commune',
      departement: '2A',
      region: '94',
      coordinates: { latitude: 41.92274, longitude: 8.70583 },
      population: 73822,
    });
    expect(directory.get('2a004')?.name).toBe('Ajaccio');
    expect(directory.get('2B033')?.name).toBe('Bastia');
    expect(directory.get('97105')).toMatchObject({ name: 'Basse-Terre', departement: '971', region: '01' });
    expect(directory.get('75101')).toMatchObject({ kind: 'arrondissement', parent: '75056', name: 'Paris 1er Arrondissement' });
    expect(directory.has('01001')).toBe(true);
    expect(directory.get('99999')).toBeUndefined();
    expect(directory.has('20004')).toBe(false);
  });

  it.each([
    ['75056', 'Paris', 20],
    ['13055', 'Marseille', 16],
    ['69123', 'Lyon', 9],
  ])('resolves %s (%s) as the sum of its %i arrondissements', (insee, name, count) => {
    const commune = directory.get(insee);
    const arrondissements = directory.arrondissementsOf(insee);
    expect(arrondissements).toHaveLength(count);
    expect(commune).toMatchObject({ insee, name, kind: 'commune' });
    expect(commune?.arrondissements).toEqual(arrondissements.map((a) => a.insee));
    expect(commune?.population).toBe(arrondissements.reduce((total, a) => total + a.population, 0));
    expect(commune?.parent).toBeUndefined();
    // The derived centroid lies among its arrondissements, within a few kilometres of each.
    for (const arrondissement of arrondissements) {
      expect(haversineKm(commune!.coordinates!, arrondissement.coordinates!)).toBeLessThan(15);
    }
  });

  it('keeps Paris, Marseille and Lyon out of the places, so nobody is counted twice', () => {
    expect(directory.all().some((place) => ['75056', '13055', '69123'].includes(place.insee))).toBe(false);
    expect(directory.departementPopulation('75')).toBe(directory.get('75056')!.population);
  });

  it('has no coordinates for the 3 places the source does not locate, and never 0, 0', () => {
    const unlocated = directory.all().filter((place) => place.coordinates === undefined);
    expect(unlocated.map((place) => place.insee)).toEqual(['60694', '85165', '85212']);
    for (const place of unlocated) expect(place).not.toHaveProperty('coordinates');
    expect(directory.all().some((place) => place.coordinates?.latitude === 0 && place.coordinates.longitude === 0)).toBe(false);
  });

  it('has no area for the 17 communes of Mayotte, as in the source', () => {
    const withoutArea = directory.all().filter((place) => place.areaKm2 === undefined);
    expect(withoutArea).toHaveLength(17);
    expect(withoutArea.every((place) => place.departement === '976')).toBe(true);
  });

  it('groups places by département and région, with names for every code', () => {
    expect(directory.byDepartement('75')).toHaveLength(20);
    expect(directory.byDepartement('2a').every((place) => place.insee.startsWith('2A'))).toBe(true);
    expect(directory.byDepartement('00')).toEqual([]);
    const corsica = directory.byRegion('94');
    expect(corsica.length).toBe(directory.byDepartement('2A').length + directory.byDepartement('2B').length);
    const departements = new Set(directory.all().map((place) => place.departement));
    const regions = new Set(directory.all().map((place) => place.region));
    expect(departements.size).toBe(101);
    expect(regions.size).toBe(18);
    expect([...departements].filter((code) => departementName(code) === undefined)).toEqual([]);
    expect([...regions].filter((code) => regionName(code) === undefined)).toEqual([]);
  });

  it('totals 67,406,310 inhabitants, consistently by région and by département', () => {
    expect(directory.totalPopulation()).toBe(67406310);
    const byRegion = listRegions().reduce((total, region) => total + directory.regionPopulation(region.code), 0);
    expect(byRegion).toBe(67406310);
    expect(directory.regionPopulation('94')).toBe(directory.departementPopulation('2A') + directory.departementPopulation('2B'));
    expect(directory.regionPopulation('99')).toBe(0);
  });

  it('returns the commune itself, at distance 0, from its own centroid', () => {
    const ajaccio = directory.get('2A004')!;
    const [nearest] = directory.withinRadius(ajaccio.coordinates!, 0);
    expect(nearest).toEqual({ commune: ajaccio, distanceKm: 0 });
  });

  it('agrees with a brute-force scan on random points, metropolitan and overseas', () => {
    const random = seededRandom(1976);
    const located = directory.all().filter((place) => place.coordinates !== undefined);
    const areas: [number, number, number, number][] = [
      [42.3, 51.1, -4.8, 8.2], // metropolitan France
      [41.3, 43.1, 8.5, 9.6], // Corsica
      [15.8, 16.6, -61.9, -61.0], // Guadeloupe
      [-21.4, -20.8, 55.2, 55.9], // La Réunion
    ];
    for (let query = 0; query < 24; query++) {
      const [south, north, west, east] = areas[query % areas.length]!;
      const point: Coordinates = {
        latitude: south + random() * (north - south),
        longitude: west + random() * (east - west),
      };
      const distances = located.map((place) => ({ insee: place.insee, distanceKm: haversineKm(point, place.coordinates!) }));
      for (const radiusKm of [0.5, 5, 12.5, 40]) {
        const expected = distances
          .filter((found) => found.distanceKm <= radiusKm)
          .map((found) => found.insee)
          .sort();
        const found = directory.withinRadius(point, radiusKm);
        expect(found.map((entry) => entry.commune.insee).sort()).toEqual(expected);
        for (let i = 1; i < found.length; i++) expect(found[i]!.distanceKm).toBeGreaterThanOrEqual(found[i - 1]!.distanceKm);
      }
    }
  });

  it('refuses an invalid search', () => {
    expect(() => directory.withinRadius({ latitude: 48.85, longitude: 2.35 }, -1)).toThrow(RangeError);
    expect(() => directory.withinRadius({ latitude: 95, longitude: 2.35 }, 1)).toThrow(RangeError);
  });
});

describe('CommuneDirectory over another file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'referential-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the file given to the constructor', () => {
    const csvPath = join(dir, 'two.csv');
    writeFileSync(
      csvPath,
      [
        COMMUNES_CSV_COLUMNS.join(','),
        '2A004,commune,,Ajaccio,2A,94,41.92274,8.70583,82.03,73822,2735,32950',
        '2B033,commune,,Bastia,2B,94,42.68333,9.43333,19.38,48503,2970,20250',
      ].join('\n'),
    );
    const directory = new CommuneDirectory({ csvPath });
    expect(directory.size).toBe(2);
    expect(directory.totalPopulation()).toBe(73822 + 48503);
    expect(directory.withinRadius({ latitude: 41.92274, longitude: 8.70583 }, 200).map((found) => found.commune.name)).toEqual(['Ajaccio', 'Bastia']);
  });

  it('reads nothing until first asked, then reports a missing file with its path', () => {
    const csvPath = join(dir, 'missing.csv');
    const directory = new CommuneDirectory({ csvPath });
    expect(() => directory.size).toThrow(`Cannot read the communes file ${csvPath}`);
  });

  it('reports a malformed row with its line', () => {
    const csvPath = join(dir, 'bad.csv');
    writeFileSync(csvPath, [COMMUNES_CSV_COLUMNS.join(','), '2A004,commune,,Ajaccio,2B,94,,,1,1,0,0'].join('\n'));
    expect(() => new CommuneDirectory({ csvPath }).get('2A004')).toThrow(`${csvPath} line 2: département "2B" does not match INSEE code 2A004`);
  });
});
