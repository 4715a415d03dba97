import { type Branded, type Validation, describeType, invalid, stripWhitespace, valid } from './validation';

/** An INSEE code of a commune or municipal arrondissement (Code officiel géographique) that passed {@link validateInseeCode}. */
export type InseeCode = Branded<'InseeCode'>;

const LENGTH = 5;
/** Metropolitan département (01–19, 21–95), Corsica (2A, 2B), each followed by 3 digits. */
const METROPOLITAN = /^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}$/u;
/** Overseas: DROM 971–974, 976; COM 975, 977, 978, 984, 986–989; each followed by 2 digits. */
const OVERSEAS = /^(?:97[1-8]|98[46-9])\d{2}$/u;

/**
 * Validates the format of an INSEE commune code: 5 characters, a known département or overseas
 * prefix. It does not say whether the commune exists today: use `CommuneDirectory.has` for that.
 */
export function validateInseeCode(input: unknown): Validation<InseeCode> {
  if (typeof input !== 'string') return invalid(`INSEE commune code must be a string, got ${describeType(input)}`);
  const code = stripWhitespace(input).toUpperCase();
  if (code.length === 0) return invalid('INSEE commune code is empty');
  if (code.length !== LENGTH) return invalid(`INSEE commune code must be ${LENGTH} characters, got ${code.length}`);

  for (let i = 0; i < LENGTH; i++) {
    const char = code[i]!;
    const corsica = i === 1 && code[0] === '2' && (char === 'A' || char === 'B');
    if (!/\d/u.test(char) && !corsica) {
      return invalid(`INSEE commune code may contain only digits, and A or B after a leading 2 for Corsica (2A, 2B); found '${char}' at position ${i + 1}`);
    }
  }
  if (!METROPOLITAN.test(code) && !OVERSEAS.test(code)) {
    const prefix = code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
    return invalid(`INSEE commune code must start with a département (01–19, 21–95, 2A, 2B) or an overseas code (971–978, 984, 986–989), got '${prefix}'`);
  }
  return valid(code as InseeCode);
}

/** True when the code is overseas (97x, 98x): its département is 3 characters long. */
export function isOverseasCode(code: string): boolean {
  return code.startsWith('97') || code.startsWith('98');
}

/** Département (or overseas collectivity) of a commune: '2A' for 2A004, '75' for 75056, '971' for 97105. */
export function departementOf(insee: InseeCode): string {
  return insee.slice(0, isOverseasCode(insee) ? 3 : 2);
}
