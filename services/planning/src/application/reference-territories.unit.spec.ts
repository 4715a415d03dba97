import { CommuneDirectory } from '@pcn/referential';
import { unemploymentRate } from '../domain/territory';
import { referenceCatalogue, referencePlaces } from './reference-territories';

const directory = CommuneDirectory.shared();
const catalogue = referenceCatalogue(referencePlaces(directory));

describe('territories from the reference data', () => {
  it('makes the nation of every place of communes.csv, its population that of the census', () => {
    const nation = catalogue.get({ level: 'nation', code: 'FR' });
    expect(nation.places).toHaveLength(directory.size);
    expect(nation.population).toBe(directory.totalPopulation());
  });

  it('adds up: the régions hold the nation, the départements their région', () => {
    const regions = catalogue.list('region');
    expect(regions).toHaveLength(18);
    expect(regions.reduce((sum, region) => sum + region.population, 0)).toBe(directory.totalPopulation());
    const ara = catalogue.get({ level: 'region', code: '84' });
    expect(ara.name).toBe('Auvergne-Rhône-Alpes');
    const departements = catalogue.children({ level: 'region', code: '84' });
    expect(departements.map((d) => d.code).sort()).toEqual(['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74']);
    expect(departements.reduce((sum, ref) => sum + catalogue.get(ref).population, 0)).toBe(ara.population);
  });

  it('names départements and places them in their région', () => {
    expect(catalogue.get({ level: 'departement', code: '2A' })).toMatchObject({ name: 'Corse-du-Sud', within: [{ level: 'region', code: '94' }] });
    expect(catalogue.get({ level: 'departement', code: '01' }).population).toBe(directory.departementPopulation('01'));
  });

  it('puts a commune in its EPCI and its département', () => {
    // Bonneville is a member of the CC Faucigny - Glières.
    expect(catalogue.get({ level: 'commune', code: '74042' })).toMatchObject({
      name: 'Bonneville',
      within: [
        { level: 'epci', code: '200000172' },
        { level: 'departement', code: '74' },
      ],
    });
    const epci = catalogue.get({ level: 'epci', code: '200000172' });
    expect(epci.places).toContain('74042');
    expect(epci.within).toEqual([{ level: 'departement', code: '74' }]);
  });

  it('puts the arrondissements of Paris, Lyon and Marseille in their commune’s EPCI', () => {
    expect(catalogue.get({ level: 'commune', code: '69381' }).within).toContainEqual({ level: 'epci', code: '200046977' }); // Métropole de Lyon
    expect(catalogue.get({ level: 'commune', code: '75115' }).within).toContainEqual({ level: 'epci', code: '200054781' }); // Métropole du Grand Paris
    expect(catalogue.get({ level: 'commune', code: '13201' }).within).toContainEqual({ level: 'epci', code: '200054807' }); // Aix-Marseille-Provence
    expect(catalogue.get({ level: 'epci', code: '200054781' }).places.filter((code) => code.startsWith('751'))).toHaveLength(20);
  });

  it('gives the unemployment rate of the census', () => {
    const place = directory.get('01001')!;
    expect(unemploymentRate(catalogue.get({ level: 'commune', code: '01001' }))).toBeCloseTo(place.unemployed / place.active, 12);
  });

  it('refuses an unknown territory with its level and code', () => {
    expect(() => catalogue.get({ level: 'departement', code: '00' })).toThrow('territory (departement) 00 not found');
  });
});
