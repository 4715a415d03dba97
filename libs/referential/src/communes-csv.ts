import { parse } from 'csv-parse/sync';

import type { Commune, CommuneKind } from './commune';
import type { Coordinates } from './coordinates';
import { type InseeCode, departementOf, validateInseeCode } from './insee-code';

/** Columns of data/communes.csv, in order. */
export const COMMUNES_CSV_COLUMNS = [
  'insee',
  'kind',
  'parent',
  'name',
  'departement',
  'region',
  'lat',
  'lon',
  'area_km2',
  'population_2021',
  'unemployed_15_64_2021',
  'active_15_64_2021',
] as const;

const KINDS: ReadonlySet<string> = new Set<CommuneKind>(['commune', 'arrondissement']);
const REGION_CODE = /^\d{2}$/u;

/**
 * Parses the communes CSV into frozen {@link Commune} records, checking every field. Any
 * malformed row fails the whole parse with its line number: the file is reference data, and a
 * silently skipped commune would leave its inhabitants out of every count.
 */
export function parseCommunesCsv(text: string, source = 'communes.csv'): Commune[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new Error(`${source} is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  const header = rows[0];
  if (header === undefined) throw new Error(`${source} is empty`);
  if (header.join(',') !== COMMUNES_CSV_COLUMNS.join(',')) {
    throw new Error(`${source} header must be "${COMMUNES_CSV_COLUMNS.join(',')}", got "${header.join(',')}"`);
  }

  const communes: Commune[] = [];
  const seen = new Set<string>();
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const fail: (message: string) => never = (message) => {
      throw new Error(`${source} line ${line}: ${message}`);
    };
    const [insee, kind, parent, name, departement, region, lat, lon, area, population, unemployed, active] = rows[r]!;

    const code = validateInseeCode(insee);
    if (!code.ok) return fail(code.reason);
    if (seen.has(code.value)) fail(`duplicate INSEE code ${code.value}`);
    seen.add(code.value);
    if (kind === undefined || !KINDS.has(kind)) fail(`kind must be "commune" or "arrondissement", got "${kind}"`);
    if (departement !== departementOf(code.value)) {
      fail(`département "${departement}" does not match INSEE code ${code.value}`);
    }
    if (region === undefined || !REGION_CODE.test(region)) fail(`région must be 2 digits, got "${region}"`);
    if (!name) fail('name is empty');

    let parentCode: InseeCode | undefined;
    if (kind === 'arrondissement') {
      const checked = validateInseeCode(parent);
      if (!checked.ok) return fail(`arrondissement parent: ${checked.reason}`);
      parentCode = checked.value;
    } else if (parent) {
      fail(`a commune has no parent, got "${parent}"`);
    }

    const commune: Commune = {
      insee: code.value,
      kind: kind as CommuneKind,
      ...(parentCode === undefined ? {} : { parent: parentCode }),
      name,
      departement,
      region,
      ...optionalCoordinates(lat, lon, fail),
      ...(area ? { areaKm2: nonNegative(area, 'area_km2', false, fail) } : {}),
      population: nonNegative(population, 'population_2021', true, fail),
      unemployed: nonNegative(unemployed, 'unemployed_15_64_2021', true, fail),
      active: nonNegative(active, 'active_15_64_2021', true, fail),
    };
    communes.push(Object.freeze(commune));
  }
  return communes;
}

/**
 * `{ coordinates }` when both fields hold a valid position, `{}` when both are empty. A 0, 0
 * position (in the Gulf of Guinea) stands for "unknown" in many exports and is read as
 * unknown too.
 */
function optionalCoordinates(lat: string | undefined, lon: string | undefined, fail: (message: string) => never): { coordinates?: Coordinates } {
  if (!lat && !lon) return {};
  if (!lat || !lon) return fail(`lat and lon must both be present or both empty, got "${lat}", "${lon}"`);
  const latitude = Number(lat);
  const longitude = Number(lon);
  if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) return fail(`lat must be a latitude, got "${lat}"`);
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) return fail(`lon must be a longitude, got "${lon}"`);
  if (latitude === 0 && longitude === 0) return {};
  return { coordinates: Object.freeze({ latitude, longitude }) };
}

function nonNegative(text: string | undefined, column: string, integer: boolean, fail: (message: string) => never): number {
  const value = text === undefined || text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    return fail(`${column} must be a ${integer ? 'whole ' : ''}number ≥ 0, got "${text}"`);
  }
  return value;
}
