import { COMMUNES_CSV_COLUMNS, parseCommunesCsv } from './communes-csv';

const HEADER = COMMUNES_CSV_COLUMNS.join(',');

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

describe('parseCommunesCsv', () => {
  it('reads communes and arrondissements with every field', () => {
    const [ajaccio, paris1] = parseCommunesCsv(
      csv(
        '2A004,commune,,Ajaccio,2A,94,41.92274,8.70583,82.03,73822,2735,32950',
        '75101,arrondissement,75056,Paris 1er Arrondissement,75,11,48.862,2.33594,1.83,15919,846,9252',
      ),
    );
    expect(ajaccio).toEqual({
      insee: '2A004',
      kind: 'commune',
      name: 'Ajaccio',
      departement: '2A',
      region: '94',
      coordinates: { latitude: 41.92274, longitude: 8.70583 },
      areaKm2: 82.03,
      population: 73822,
      unemployed: 2735,
      active: 32950,
    });
    expect(ajaccio).not.toHaveProperty('parent');
    expect(paris1).toMatchObject({ insee: '75101', kind: 'arrondissement', parent: '75056' });
    expect(Object.isFrozen(ajaccio)).toBe(true);
  });

  it('reads quoted names with commas', () => {
    const [commune] = parseCommunesCsv(csv('01001,commune,,"Ville, la",01,84,46.1,4.9,15.95,832,27,417'));
    expect(commune?.name).toBe('Ville, la');
  });

  it('leaves coordinates out when unknown, and reads 0,0 as unknown', () => {
    const [unknown, nullIsland] = parseCommunesCsv(
      csv('60694,commune,,Les Hauts-Talican,60,32,,,13.03,543,0,0', '60695,commune,,Null-Island,60,32,0,0,1,1,0,0'),
    );
    expect(unknown).not.toHaveProperty('coordinates');
    expect(nullIsland).not.toHaveProperty('coordinates');
  });

  it('leaves the area out when the file gives none', () => {
    const [acoua] = parseCommunesCsv(csv('97601,commune,,Acoua,976,06,-12.72492,45.06782,,0,0,0'));
    expect(acoua).not.toHaveProperty('areaKm2');
    expect(acoua?.departement).toBe('976');
  });

  it.each([
    ['75056,commune,,Paris,75,11,48.85,2.35,105.4,1,0', 'communes.csv is not valid CSV: Invalid Record Length: expect 12, got 11 on line 2'],
    ['7505,commune,,Paris,75,11,48.85,2.35,105.4,1,0,0', 'line 2: INSEE commune code must be 5 characters, got 4'],
    ['75056,city,,Paris,75,11,48.85,2.35,105.4,1,0,0', 'line 2: kind must be "commune" or "arrondissement", got "city"'],
    ['75056,commune,,Paris,92,11,48.85,2.35,105.4,1,0,0', 'line 2: département "92" does not match INSEE code 75056'],
    ['75056,commune,,Paris,75,1,48.85,2.35,105.4,1,0,0', 'line 2: région must be 2 digits, got "1"'],
    ['75056,commune,,,75,11,48.85,2.35,105.4,1,0,0', 'line 2: name is empty'],
    ['75101,arrondissement,,Paris 1er,75,11,48.85,2.35,1,1,0,0', 'line 2: arrondissement parent: INSEE commune code is empty'],
    ['75056,commune,75000,Paris,75,11,48.85,2.35,105.4,1,0,0', 'line 2: a commune has no parent, got "75000"'],
    ['75056,commune,,Paris,75,11,48.85,,105.4,1,0,0', 'line 2: lat and lon must both be present or both empty, got "48.85", ""'],
    ['75056,commune,,Paris,75,11,95,2.35,105.4,1,0,0', 'line 2: lat must be a latitude, got "95"'],
    ['75056,commune,,Paris,75,11,48.85,east,105.4,1,0,0', 'line 2: lon must be a longitude, got "east"'],
    ['75056,commune,,Paris,75,11,48.85,2.35,-1,1,0,0', 'line 2: area_km2 must be a number ≥ 0, got "-1"'],
    ['75056,commune,,Paris,75,11,48.85,2.35,105.4,1.5,0,0', 'line 2: population_2021 must be a whole number ≥ 0, got "1.5"'],
    ['75056,commune,,Paris,75,11,48.85,2.35,105.4,,0,0', 'line 2: population_2021 must be a whole number ≥ 0, got ""'],
  ])('refuses the row %p', (row, message) => {
    expect(() => parseCommunesCsv(csv(row), 'communes.csv')).toThrow(message);
  });

  it('refuses a duplicate code, naming the line', () => {
    const row = '01001,commune,,A,01,84,46.1,4.9,15.95,832,27,417';
    expect(() => parseCommunesCsv(csv(row, row))).toThrow('communes.csv line 3: duplicate INSEE code 01001');
  });

  it('refuses an empty file and an unexpected header', () => {
    expect(() => parseCommunesCsv('', 'x.csv')).toThrow('x.csv is empty');
    expect(() => parseCommunesCsv('code,name\n75056,Paris\n', 'x.csv')).toThrow('x.csv header must be');
  });
});
