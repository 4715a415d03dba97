import { findDepartement } from '@pcn/referential';

/**
 * The région of a FINESS géographique, from its département prefix: two characters (01–95, 2A,
 * 2B), three overseas (971–976). Undefined when the prefix names no département.
 */
export function regionOfFiness(finess: string): string | undefined {
  const departement = /^9[78]/.test(finess) ? finess.slice(0, 3) : finess.slice(0, 2);
  return findDepartement(departement.toUpperCase())?.region;
}
