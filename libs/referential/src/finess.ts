import { digitsOf, luhnCheckDigit } from './luhn';
import { type Branded, type Validation, describeType, invalid, stripWhitespace, valid } from './validation';

/** A FINESS number (établissement juridique or géographique) that passed {@link validateFiness}. */
export type Finess = Branded<'Finess'>;

const LENGTH = 9;

/**
 * First two characters allowed: a metropolitan département (01–19, 21–95, 2A, 2B), or 97/98 for
 * the overseas departments and collectivities, whose FINESS numbers are all digits (9701… for
 * Guadeloupe to 9704… for La Réunion, 9805… for Mayotte, 9806… for Wallis-et-Futuna).
 */
const PREFIX = /^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|9[78])$/u;

/**
 * Check digit of the first 8 characters of a FINESS number: Luhn over the 8 characters, with the
 * Corsican letters read as A = 1 and B = 2 (2A → 21, 2B → 22). See README for the evidence behind
 * the Corsican reading.
 */
export function finessCheckDigit(first8: string): number {
  const normalised = first8.toUpperCase();
  if (!/^\d[\dAB]\d{6}$/u.test(normalised)) {
    throw new RangeError(`FINESS payload must be 8 characters (digits, A or B second), got '${first8}'`);
  }
  return luhnCheckDigit(digitsOf(normalised.replace('A', '1').replace('B', '2')));
}

/** The 9-character FINESS number made of these first 8 characters and their check digit (test data, synthetic populations). */
export const completeFiness = (first8: string): string => `${first8}${finessCheckDigit(first8)}`;

/**
 * Validates a FINESS number: trims, drops inner spaces (finess.esante.gouv.fr displays
 * "NN NNN NNN N"), uppercases, then checks length, characters, département prefix and Luhn key.
 */
export function validateFiness(input: unknown): Validation<Finess> {
  if (typeof input !== 'string') return invalid(`FINESS must be a string, got ${describeType(input)}`);
  const finess = stripWhitespace(input).toUpperCase();
  if (finess.length === 0) return invalid('FINESS is empty');
  if (finess.length !== LENGTH) return invalid(`FINESS must be ${LENGTH} characters, got ${finess.length}`);

  for (let i = 0; i < LENGTH; i++) {
    const char = finess[i]!;
    const corsicanLetter = i === 1 && finess[0] === '2' && (char === 'A' || char === 'B');
    if (!/\d/u.test(char) && !corsicanLetter) {
      return invalid(`FINESS may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found '${char}' at position ${i + 1}`);
    }
  }

  const prefix = finess.slice(0, 2);
  if (!PREFIX.test(prefix)) {
    return invalid(`FINESS must start with a département code (01–19, 21–95, 2A, 2B) or 97/98 for overseas, got '${prefix}'`);
  }

  const expected = finessCheckDigit(finess.slice(0, 8));
  const actual = Number(finess[8]);
  if (actual !== expected) return invalid(`FINESS check digit is ${actual}, expected ${expected}`);
  return valid(finess as Finess);
}
