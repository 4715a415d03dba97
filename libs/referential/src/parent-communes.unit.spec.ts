import { parseCommunesCsv, COMMUNES_CSV_COLUMNS } from './communes-csv';
import { deriveParentCommunes } from './parent-communes';

function places(...rows: string[]) {
  return parseCommunesCsv([COMMUNES_CSV_COLUMNS.join(','), ...rows].join('\n'));
}

describe('deriveParentCommunes', () => {
  it('sums the arrondissements of a commune missing from the file', () => {
    const [lyon] = deriveParentCommunes(
      places(
        '69381,arrondissement,69123,Lyon 1er Arrondissement,69,84,45.0,4.0,1,100,10,50',
        '69382,arrondissement,69123,Lyon 2e Arrondissement,69,84,46.0,5.0,3,300,30,150',
        '69001,commune,,Affoux,69,84,45.8,4.4,8.6,371,7,182',
      ),
    );
    expect(lyon).toEqual({
      insee: '69123',
      kind: 'commune',
      name: 'Lyon',
      departement: '69',
      region: '84',
      // Area-weighted: (45 × 1 + 46 × 3) / 4 = 45.75; (4 × 1 + 5 × 3) / 4 = 4.75.
      coordinates: { latitude: 45.75, longitude: 4.75 },
      areaKm2: 4,
      population: 400,
      unemployed: 40,
      active: 200,
      arrondissements: ['69381', '69382'],
    });
  });

  it('leaves alone a parent that the file already has', () => {
    expect(
      deriveParentCommunes(
        places(
          '69123,commune,,Lyon,69,84,45.75,4.83,47.87,522250,31136,271380',
          '69381,arrondissement,69123,Lyon 1er Arrondissement,69,84,45.0,4.0,1,100,10,50',
        ),
      ),
    ).toEqual([]);
  });

  it('refuses arrondissements whose names disagree on the commune', () => {
    expect(() =>
      deriveParentCommunes(
        places(
          '69381,arrondissement,69123,Lyon 1er Arrondissement,69,84,45.0,4.0,1,100,10,50',
          '69382,arrondissement,69123,Lugdunum 2e Arrondissement,69,84,46.0,5.0,3,300,30,150',
        ),
      ),
    ).toThrow('Cannot name commune 69123');
  });
});
