import { nirKey, validateNir } from './nir';

/** Each valid example states N (the 13 digits, 2A → 19, 2B → 18), N = 97 × q + r, key = 97 − r. */
describe('validateNir', () => {
  it('accepts the worked example 1 37 04 76 243 484 15 and returns its parts', () => {
    // N = 1370476243484 = 97 × 14128621066 + 82, key = 97 − 82 = 15.
    expect(validateNir('1 37 04 76 243 484 15')).toEqual({
      ok: true,
      value: {
        nir: '137047624348415',
        kind: 'definitive',
        sex: 'male',
        birthYear: '37',
        birthMonthCode: '04',
        birthMonth: 4,
        departement: '76',
        commune: '243',
        birthPlace: '76243',
        bornAbroad: false,
        order: '484',
        key: '15',
      },
    });
  });

  it('accepts a woman born in Ajaccio (2A): the key is computed with 19 in place of 2A', () => {
    // 2 69 02 2A 004 001 → N = 2690219004001 = 97 × 27734216536 + 9, key = 88.
    const result = validateNir('2690 22A0 0400 188');
    expect(result).toMatchObject({
      ok: true,
      value: { nir: '269022A00400188', sex: 'female', departement: '2A', commune: '004', birthPlace: '2A004' },
    });
  });

  it('accepts a man born in Haute-Corse (2B): the key is computed with 18 in place of 2B', () => {
    // 1 80 07 2B 033 012 → N = 1800718033012 = 97 × 18564103433 + 11, key = 86.
    expect(validateNir('180072b03301286')).toMatchObject({
      ok: true,
      value: { nir: '180072B03301286', departement: '2B', birthPlace: '2B033' },
    });
    // The same digits with 2A give another key: the letter matters.
    expect(validateNir('180072A03301286')).toEqual({ ok: false, reason: 'NIR key is 86, expected 59' });
  });

  it('accepts département 20 (undivided Corsica) for births before 1976, and refuses it after', () => {
    // 1 60 07 20 004 005 → N = 1600720004005 = 97 × 16502268082 + 51, key = 46.
    expect(validateNir('160072000400546')).toMatchObject({ ok: true, value: { departement: '20', commune: '004' } });
    expect(validateNir('186072000400546')).toEqual({
      ok: false,
      reason:
        'NIR birth département 20 (undivided Corsica) is used only for births before 1976, but the birth year is 86; people born in Corsica since 1976 have 2A or 2B',
    });
  });

  it('splits an overseas birth place into a 3-digit département and a 2-digit commune', () => {
    // 2 92 11 971 05 123 → N = 2921197105123 = 97 × 30115434073 + 42, key = 55.
    expect(validateNir('292119710512355')).toMatchObject({
      ok: true,
      value: { birthMonth: 11, departement: '971', commune: '05', birthPlace: '97105', bornAbroad: false },
    });
    // 1 20 07 987 35 011 (Papeete, Polynésie française) → N = 1200798735011, r = 17, key = 80.
    expect(validateNir('120079873501180')).toMatchObject({ ok: true, value: { departement: '987', commune: '35' } });
  });

  it('reads département 99 as born abroad, with the INSEE country code in place of the commune', () => {
    // 1 75 03 99 350 042 (99350: Morocco) → N = 1750399350042 = 97 × 18045354124 + 14, key = 83.
    expect(validateNir('175039935004283')).toMatchObject({
      ok: true,
      value: { departement: '99', commune: '350', birthPlace: '99350', bornAbroad: true },
    });
  });

  it('accepts temporary numbers (7/8, NIA) and tells the sex by parity', () => {
    // 7 89 10 99 350 017 → N = 7891099350017 = 97 × 81351539690 + 87, key = 10.
    expect(validateNir('789109935001710')).toMatchObject({ ok: true, value: { kind: 'temporary', sex: 'male' } });
    // 8 02 02 99 131 008 → N = 8020299131008 = 97 × 82683496195 + 93, key = 04.
    expect(validateNir('802029913100804')).toMatchObject({
      ok: true,
      value: { kind: 'temporary', sex: 'female', key: '04' },
    });
  });

  it('accepts the "month unknown" codes 20–42 and 50–99 and returns no month', () => {
    // 1 50 20 78 006 084 → N = 1502078006084 = 97 × 15485340268 + 88, key = 09.
    expect(validateNir('150207800608409')).toMatchObject({
      ok: true,
      value: { birthMonthCode: '20', birthMonth: null },
    });
    // 1 50 62 13 055 123 → N = 1506213055123 = 97 × 15527969640 + 43, key = 54.
    expect(validateNir('150621305512354')).toMatchObject({
      ok: true,
      value: { birthMonthCode: '62', birthMonth: null },
    });
  });

  it.each([
    [185057800608491, 'NIR must be a string, got number'],
    ['', 'NIR is empty'],
    ['1850578006084', 'NIR must be 15 characters (13 + a 2-digit key), got 13'],
    ['18505780060849100', 'NIR must be 15 characters (13 + a 2-digit key), got 17'],
    ['185057800608492', 'NIR key is 92, expected 91'],
    ['185057800608498', 'NIR key must be between 01 and 97, got 98'],
    ['185057800608400', 'NIR key must be between 01 and 97, got 00'],
    ['585057800608491', 'NIR sex digit must be 1 or 2 (3, 4, 7 or 8 for a temporary number), got 5'],
    ['085057800608491', 'NIR sex digit must be 1 or 2 (3, 4, 7 or 8 for a temporary number), got 0'],
    ['185007800608491', 'NIR birth month must be 01–12, or 20–42 or 50–99 when the month is unknown, got 00'],
    ['185137800608491', 'NIR birth month must be 01–12, or 20–42 or 50–99 when the month is unknown, got 13'],
    ['185457800608491', 'NIR birth month must be 01–12, or 20–42 or 50–99 when the month is unknown, got 45'],
    ['185050000608491', 'NIR birth département must be 01–96, 2A, 2B, 20 (before 1976), 971–988 or 99 (abroad), got 00'],
    ['185059790608491', 'NIR overseas birth département must be 971–978 or 984–988, got 979'],
    ['185059830608491', 'NIR overseas birth département must be 971–978 or 984–988, got 983'],
    ['185052C00608491', "NIR may contain only digits, and A or B at position 7 for Corsica (2A, 2B); found 'C' at position 7"],
    ['18505A800608491', "NIR may contain only digits, and A or B at position 7 for Corsica (2A, 2B); found 'A' at position 6"],
    ['1850578006084-1', "NIR may contain only digits, and A or B at position 7 for Corsica (2A, 2B); found '-' at position 14"],
  ])('refuses %p: %s', (input, reason) => {
    expect(validateNir(input)).toEqual({ ok: false, reason });
  });

  it('ignores every kind of whitespace', () => {
    // 1 85 05 78 006 084 → N = 1850578006084 = 97 × 19078123774 + 6, key = 91.
    expect(validateNir('1\u00a085 05\t78 006\n084 91')).toMatchObject({ ok: true, value: { nir: '185057800608491' } });
  });
});

describe('nirKey', () => {
  it('is exact on the largest 13-digit number', () => {
    // 9999999999999 = 97 × 103092783505 + 14 (9999999999999 − 97 × 103092783505 = 14): key 83.
    expect(nirKey('9999999999999')).toBe(83);
  });

  it('gives 97 when the number is a multiple of 97', () => {
    // 97 × 10309278350 = 999999999950.
    expect(nirKey('0999999999950')).toBe(97);
  });

  it('refuses a payload that is not 13 NIR characters', () => {
    expect(() => nirKey('185057800608')).toThrow(RangeError);
    expect(() => nirKey('18505780060A4')).toThrow(RangeError);
  });
});
