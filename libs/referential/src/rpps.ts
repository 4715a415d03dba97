import { digitsOf, luhnCheckDigit } from './luhn';
import { type Branded, type Validation, describeType, invalid, stripWhitespace, valid } from './validation';

/** An RPPS number (11 digits) that passed {@link validateRpps}. */
export type Rpps = Branded<'Rpps'>;

const RPPS_LENGTH = 11;
/** Type prefix of the national health-professional identifier (IDNPS) built on an RPPS number. */
const IDNPS_RPPS_PREFIX = '8';
/** Type prefix of the IDNPS built on an ADELI number (0 + 9-character ADELI). */
const IDNPS_ADELI_PREFIX = '0';

/** Luhn check digit of the first 10 digits of an RPPS number. */
export function rppsCheckDigit(first10: string): number {
  if (!/^\d{10}$/u.test(first10)) throw new RangeError(`RPPS payload must be 10 digits, got '${first10}'`);
  return luhnCheckDigit(digitsOf(first10));
}

/** The 11-digit RPPS number made of these first 10 digits and their check digit (test data, synthetic populations). */
export const completeRpps = (first10: string): string => `${first10}${rppsCheckDigit(first10)}`;

/**
 * Validates an RPPS number. Accepts the 11-digit RPPS number and its 12-character national
 * identifier form "8" + RPPS (IDNPS, as read from a CPS card or the Annuaire Santé); both yield
 * the 11-digit RPPS number. Spaces anywhere are ignored.
 */
export function validateRpps(input: unknown): Validation<Rpps> {
  if (typeof input !== 'string') return invalid(`RPPS must be a string, got ${describeType(input)}`);
  let rpps = stripWhitespace(input);
  if (rpps.length === 0) return invalid('RPPS is empty');

  let offset = 0;
  if (rpps.length === RPPS_LENGTH + 1) {
    if (rpps[0] !== IDNPS_RPPS_PREFIX) {
      return invalid(`A 12-character national identifier must be 8 followed by the RPPS number, got first character '${rpps[0]}'`);
    }
    rpps = rpps.slice(1);
    offset = 1;
  } else if (rpps.length === RPPS_LENGTH - 1 && rpps[0] === IDNPS_ADELI_PREFIX) {
    return invalid(`RPPS must be ${RPPS_LENGTH} digits, got ${rpps.length}; a 10-character identifier starting with 0 is ADELI-based (0 + ADELI), not an RPPS`);
  } else if (rpps.length !== RPPS_LENGTH) {
    return invalid(`RPPS must be ${RPPS_LENGTH} digits (or 12 characters as 8 + RPPS), got ${rpps.length}`);
  }

  const offending = rpps.search(/\D/u);
  if (offending >= 0) {
    return invalid(`RPPS must contain only digits, found '${rpps[offending]}' at position ${offending + 1 + offset}`);
  }

  const expected = rppsCheckDigit(rpps.slice(0, 10));
  const actual = Number(rpps[10]);
  if (actual !== expected) return invalid(`RPPS check digit is ${actual}, expected ${expected}`);
  return valid(rpps as Rpps);
}

/** The 12-character national identifier (IDNPS) of an RPPS number: "8" + RPPS. */
export function rppsToIdNatPs(rpps: Rpps): string {
  return IDNPS_RPPS_PREFIX + rpps;
}
