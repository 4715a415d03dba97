import { type InseeCode, departementOf, isOverseasCode, validateInseeCode } from './insee-code';

describe('validateInseeCode', () => {
  it.each([
    ['75056', 'Paris'],
    ['75101', 'Paris 1er arrondissement'],
    ['01001', 'first metropolitan commune'],
    ['2A004', 'Ajaccio'],
    ['2B033', 'Bastia'],
    ['97105', 'Basse-Terre, Guadeloupe'],
    ['97611', 'Mamoudzou, Mayotte'],
    ['97502', 'Saint-Pierre, Saint-Pierre-et-Miquelon'],
    ['98735', 'Papeete, Polynésie française'],
    ['98901', 'Île de Clipperton'],
  ])('accepts %s (%s)', (code) => {
    expect(validateInseeCode(code)).toEqual({ ok: true, value: code });
  });

  it('normalises case and whitespace', () => {
    expect(validateInseeCode(' 2a004 ')).toEqual({ ok: true, value: '2A004' });
    expect(validateInseeCode('75 056')).toEqual({ ok: true, value: '75056' });
  });

  it.each([
    [75056, 'INSEE commune code must be a string, got number'],
    ['', 'INSEE commune code is empty'],
    ['7505', 'INSEE commune code must be 5 characters, got 4'],
    ['750560', 'INSEE commune code must be 5 characters, got 6'],
    ['2C004', "INSEE commune code may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found 'C' at position 2"],
    ['7505A', "INSEE commune code may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found 'A' at position 5"],
    ['20004', "INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '20'"],
    ['00001', "INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '00'"],
    ['96001', "INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '96'"],
    ['97901', "INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '979'"],
    ['98501', "INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '985'"],
  ])('refuses %p: %s', (input, reason) => {
    expect(validateInseeCode(input)).toEqual({ ok: false, reason });
  });
});

describe('departementOf', () => {
  it.each([
    ['2A004', '2A'],
    ['75101', '75'],
    ['01001', '01'],
    ['97105', '971'],
    ['98735', '987'],
  ])('%s is in %s', (code, departement) => {
    expect(departementOf(code as InseeCode)).toBe(departement);
  });
});

describe('isOverseasCode', () => {
  it('is true for 97x and 98x only', () => {
    expect(isOverseasCode('97105')).toBe(true);
    expect(isOverseasCode('98735')).toBe(true);
    expect(isOverseasCode('95001')).toBe(false);
    expect(isOverseasCode('2A004')).toBe(false);
  });
});
