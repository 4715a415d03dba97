import { type Branded, type Validation, describeType, invalid, stripWhitespace, valid } from './validation';

/** A 15-character NIR (13 characters + 2-digit key) that passed {@link validateNir}. */
export type Nir = Branded<'Nir'>;

/** `definitive`: sex digit 1 or 2. `temporary`: 3/4 or 7/8 (numéro provisoire, NIA). */
export type NirKind = 'definitive' | 'temporary';
export type NirSex = 'male' | 'female';

export interface NirParts {
  /** The normalised number: 15 characters, no spaces, Corsican letters uppercase. */
  readonly nir: Nir;
  readonly kind: NirKind;
  /** Odd sex digit (1, 3, 7) is male, even (2, 4, 8) is female. */
  readonly sex: NirSex;
  /** Last two digits of the birth year; the century is not encoded. */
  readonly birthYear: string;
  /** The month field as written: 01–12, or 20–42 / 50–99 when the month was unknown. */
  readonly birthMonthCode: string;
  /** 1–12, or null when the month field says the month is unknown. */
  readonly birthMonth: number | null;
  /**
   * Département of birth as coded when the person was registered: 01–96, 20 (Corsica before
   * 1976), 2A, 2B, 971–978 / 984–988 (overseas, 3 digits), or 99 (born abroad).
   */
  readonly departement: string;
  /** Commune of birth within the département (3 digits, 2 overseas); INSEE country code when born abroad. */
  readonly commune: string;
  /** departement + commune: the 5-character place-of-birth code (99xxx is an INSEE country code). */
  readonly birthPlace: string;
  readonly bornAbroad: boolean;
  /** Order number distinguishing people born in the same place and period. */
  readonly order: string;
  /** The 2-digit control key (01–97). */
  readonly key: string;
}

const LENGTH = 15;
const KIND_BY_SEX_DIGIT: Readonly<Record<string, NirKind>> = {
  '1': 'definitive',
  '2': 'definitive',
  '3': 'temporary',
  '4': 'temporary',
  '7': 'temporary',
  '8': 'temporary',
};
/** Last year a person could be born in undivided Corsica (département 20), split on 1 January 1976. */
const LAST_YEAR_OF_DEPARTEMENT_20 = 75;

/**
 * Control key of the first 13 characters of a NIR: 97 − (N mod 97), where N is the 13-digit
 * number with 2A read as 19 and 2B as 18. The remainder is taken digit by digit so no float or
 * BigInt is needed and the result is exact.
 */
export function nirKey(first13: string): number {
  const normalised = first13.toUpperCase();
  if (!/^\d{5}(?:\d{2}|2A|2B)\d{6}$/u.test(normalised)) {
    throw new RangeError(`NIR payload must be 13 characters (digits, or 2A/2B at positions 6–7), got '${first13}'`);
  }
  const place = normalised.slice(5, 7);
  const numeric = normalised.slice(0, 5) + (place === '2A' ? '19' : place === '2B' ? '18' : place) + normalised.slice(7);
  let remainder = 0;
  for (let i = 0; i < numeric.length; i++) remainder = (remainder * 10 + (numeric.charCodeAt(i) - 48)) % 97;
  return 97 - remainder;
}

/**
 * Validates a NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale") or a NIA
 * built like one, and returns its parts. Whitespace is ignored and 2a/2b are uppercased.
 */
export function validateNir(input: unknown): Validation<NirParts> {
  if (typeof input !== 'string') return invalid(`NIR must be a string, got ${describeType(input)}`);
  const nir = stripWhitespace(input).toUpperCase();
  if (nir.length === 0) return invalid('NIR is empty');
  if (nir.length !== LENGTH) return invalid(`NIR must be ${LENGTH} characters (13 + a 2-digit key), got ${nir.length}`);

  for (let i = 0; i < LENGTH; i++) {
    const char = nir[i]!;
    const corsica = i === 6 && nir[5] === '2' && (char === 'A' || char === 'B');
    if (!/\d/u.test(char) && !corsica) {
      return invalid(`NIR may contain only digits, and A or B at position 7 for Corsica (2A, 2B); found '${char}' at position ${i + 1}`);
    }
  }

  const sexDigit = nir[0]!;
  const kind = KIND_BY_SEX_DIGIT[sexDigit];
  if (kind === undefined) {
    return invalid(`NIR sex digit must be 1 or 2 (3, 4, 7 or 8 for a temporary number), got ${sexDigit}`);
  }

  const birthYear = nir.slice(1, 3);
  const birthMonthCode = nir.slice(3, 5);
  const monthNumber = Number(birthMonthCode);
  const monthKnown = monthNumber >= 1 && monthNumber <= 12;
  const monthUnknown = (monthNumber >= 20 && monthNumber <= 42) || monthNumber >= 50;
  if (!monthKnown && !monthUnknown) {
    return invalid(`NIR birth month must be 01–12, or 20–42 or 50–99 when the month is unknown, got ${birthMonthCode}`);
  }

  const place = parseBirthPlace(nir.slice(5, 10), Number(birthYear));
  if (typeof place === 'string') return invalid(place);

  const key = nir.slice(13, 15);
  const keyNumber = Number(key);
  if (keyNumber < 1 || keyNumber > 97) return invalid(`NIR key must be between 01 and 97, got ${key}`);
  const expected = nirKey(nir.slice(0, 13));
  if (keyNumber !== expected) return invalid(`NIR key is ${key}, expected ${String(expected).padStart(2, '0')}`);

  return valid({
    nir: nir as Nir,
    kind,
    sex: Number(sexDigit) % 2 === 1 ? 'male' : 'female',
    birthYear,
    birthMonthCode,
    birthMonth: monthKnown ? monthNumber : null,
    departement: place.departement,
    commune: place.commune,
    birthPlace: place.departement + place.commune,
    bornAbroad: place.departement === '99',
    order: nir.slice(10, 13),
    key,
  });
}

/** Splits the 5-character place of birth, or returns the reason it is not one. */
function parseBirthPlace(code: string, birthYear: number): { departement: string; commune: string } | string {
  const two = code.slice(0, 2);
  if (two === '97' || two === '98') {
    const departement = code.slice(0, 3);
    if (!/^(?:97[1-8]|98[4-8])$/u.test(departement)) {
      return `NIR overseas birth département must be 971–978 or 984–988, got ${departement}`;
    }
    return { departement, commune: code.slice(3) };
  }
  if (two === '00') return 'NIR birth département must be 01–96, 2A, 2B, 20 (before 1976), 971–988 or 99 (abroad), got 00';
  if (two === '20' && birthYear > LAST_YEAR_OF_DEPARTEMENT_20) {
    return `NIR birth département 20 (undivided Corsica) is used only for births before 1976, but the birth year is ${String(birthYear).padStart(2, '0')}; people born in Corsica since 1976 have 2A or 2B`;
  }
  return { departement: two, commune: code.slice(2) };
}
