import { parse } from 'csv-parse/sync';
import { ValidationError } from '@pcn/eventsourcing';
import type { TerritoryCatalogue } from '../domain/territory';
import type { OutsideSupply } from '../domain/accessibility';
import type { OutsideSupplyStore } from './ports';

/** Columns of the import file: INSEE code of the commune (or arrondissement), GP FTE practising there outside the network. */
export const OUTSIDE_SUPPLY_COLUMNS = ['commune', 'gp_fte'] as const;
const MAX_FTE_PER_COMMUNE = 5000;
const MAX_LINES = 100_000;

export interface LineError {
  /** Line of the file, the header being line 1. */
  readonly line: number;
  readonly field: string;
  readonly description: string;
}

export interface OutsideSupplyImport {
  readonly lines: number;
  readonly accepted: number;
  /** Communes whose FTE changed; 0 when the same file is imported again. */
  readonly changed: number;
  readonly version: number;
  readonly errors: LineError[];
}

/**
 * Imports the GPs practising outside the network, one commune a line. Each good line sets its
 * commune's FTE (0 removes it), so importing a file twice changes nothing; each bad line is
 * reported with its number and field and left out, and the others are kept. A file that is not
 * CSV, or has the wrong header, is refused whole.
 */
export async function importOutsideSupply(text: string, catalogue: TerritoryCatalogue, store: OutsideSupplyStore): Promise<OutsideSupplyImport> {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw ValidationError.field('file', `is not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0];
  if (header === undefined || header.join(',') !== OUTSIDE_SUPPLY_COLUMNS.join(',')) {
    throw ValidationError.field('file', `header must be "${OUTSIDE_SUPPLY_COLUMNS.join(',')}", got "${header?.join(',') ?? ''}"`);
  }
  if (rows.length - 1 > MAX_LINES) throw ValidationError.field('file', `holds ${rows.length - 1} lines, at most ${MAX_LINES} are accepted`);

  const errors: LineError[] = [];
  const accepted = new Map<string, OutsideSupply>();
  const lineOf = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const line = r + 1;
    const [commune = '', fteText = '', ...extra] = rows[r]!;
    if (extra.length > 0) {
      errors.push({ line, field: 'line', description: `has ${2 + extra.length} fields, expected 2` });
      continue;
    }
    const code = commune.toUpperCase();
    const fte = fteText === '' ? Number.NaN : Number(fteText);
    let bad = false;
    if (catalogue.find({ level: 'commune', code }) === undefined) {
      errors.push({ line, field: 'commune', description: `is not a commune or arrondissement of the reference data: "${commune}"` });
      bad = true;
    } else if (lineOf.has(code)) {
      errors.push({ line, field: 'commune', description: `${code} is already on line ${lineOf.get(code)}` });
      bad = true;
    }
    if (!(Number.isFinite(fte) && fte >= 0 && fte <= MAX_FTE_PER_COMMUNE)) {
      errors.push({ line, field: 'gp_fte', description: `must be a number of FTE from 0 to ${MAX_FTE_PER_COMMUNE}, got "${fteText}"` });
      bad = true;
    }
    if (bad) continue;
    lineOf.set(code, line);
    accepted.set(code, { communeCode: code, gpFte: fte });
  }
  const { changed, version } = await store.set([...accepted.values()]);
  return { lines: rows.length - 1, accepted: accepted.size, changed, version, errors };
}
