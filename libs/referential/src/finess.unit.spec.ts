import { finessCheckDigit, validateFiness } from './finess';

describe('validateFiness', () => {
  it.each([
    // Real numbers from the official FINESS extracts (ansforge/finess sample flux, etalab
    // stock file): one per kind of prefix.
    ['010000016', 'EJ in Ain (01)'],
    ['010780195', 'ET in Ain (01)'],
    ['970100012', 'Polyclinique de la Guadeloupe: overseas numbers are all digits, 9701…'],
    ['970210126', 'Martinique, 9702…'],
    ['970300026', 'CH de Cayenne, Guyane, 9703…'],
    ['970400024', 'CHU Félix Guyon, La Réunion, 9704…'],
    ['980501506', 'Mayotte, 9805…'],
    ['980600027', 'Hôpital de Sia, Wallis-et-Futuna, 9806…'],
    ['2B0000020', 'CH de Bastia (Haute-Corse)'],
  ])('accepts %s (%s)', (finess) => {
    expect(validateFiness(finess)).toEqual({ ok: true, value: finess });
  });

  it('accepts a number built by hand: 7501000 1 + key 8', () => {
    // Payload 75010001; from the right, doubled: 1→2, 0→0, 1→2, 5→10→1; kept: 0, 0, 0, 7.
    // Sum 12, so the key is 8.
    expect(validateFiness('750100018')).toEqual({ ok: true, value: '750100018' });
  });

  it('reads the Corsican letters as A = 1 and B = 2 for the key', () => {
    // 2A000001 read as 21000001; doubled from the right: 1→2, 0, 0, 1→2; kept: 0, 0, 0, 2.
    // Sum 6, key 4.
    expect(validateFiness('2A0000014')).toEqual({ ok: true, value: '2A0000014' });
    // 2B000002 read as 22000002: doubled 2→4, 0, 0, 2→4; kept 0, 0, 0, 2: sum 10, key 0.
    expect(finessCheckDigit('2B000002')).toBe(0);
    // Reading 2B as the pre-1976 "20" would give key 4: refused, and the reason says why.
    expect(validateFiness('2B0000024')).toEqual({ ok: false, reason: 'FINESS check digit is 4, expected 0' });
  });

  it('normalises: trims, drops inner spaces, uppercases', () => {
    expect(validateFiness(' 01 000 001 6 ')).toEqual({ ok: true, value: '010000016' });
    expect(validateFiness('2b0000020')).toEqual({ ok: true, value: '2B0000020' });
    expect(validateFiness('01\u00a0000\u00a00016')).toEqual({ ok: true, value: '010000016' });
  });

  it.each([
    [undefined, 'FINESS must be a string, got undefined'],
    [10000016, 'FINESS must be a string, got number'],
    ['', 'FINESS is empty'],
    ['   ', 'FINESS is empty'],
    ['01000001', 'FINESS must be 9 characters, got 8'],
    ['0100000160', 'FINESS must be 9 characters, got 10'],
    ['010000017', 'FINESS check digit is 7, expected 6'],
    ['970100013', 'FINESS check digit is 3, expected 2'],
    ['2C0000020', "FINESS may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found 'C' at position 2"],
    ['3A0000020', "FINESS may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found 'A' at position 2"],
    ['01000A016', "FINESS may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found 'A' at position 6"],
    ['01-000016', "FINESS may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found '-' at position 3"],
    ['200000011', "FINESS must start with a département code (01–19, 21–95, 2A, 2B) or 97/98 for overseas, got '20'"],
    ['000000018', "FINESS must start with a département code (01–19, 21–95, 2A, 2B) or 97/98 for overseas, got '00'"],
    ['960000016', "FINESS must start with a département code (01–19, 21–95, 2A, 2B) or 97/98 for overseas, got '96'"],
    ['990000014', "FINESS must start with a département code (01–19, 21–95, 2A, 2B) or 97/98 for overseas, got '99'"],
  ])('refuses %p: %s', (input, reason) => {
    expect(validateFiness(input)).toEqual({ ok: false, reason });
  });
});

describe('finessCheckDigit', () => {
  it('computes the key of a payload', () => {
    expect(finessCheckDigit('01000001')).toBe(6);
    expect(finessCheckDigit('2a000001')).toBe(4);
  });

  it('refuses a payload that is not 8 FINESS characters', () => {
    expect(() => finessCheckDigit('0100000')).toThrow(RangeError);
    expect(() => finessCheckDigit('0C000001')).toThrow(RangeError);
  });
});
