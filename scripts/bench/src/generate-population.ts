import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { IMPORT_COLUMNS } from '@pcn/attribution';
import { syntheticPopulation } from './population/synthetic-population';

const USAGE = `usage: npm run -s generate-population -- --patients 100000 [--seed 1] [--as-of 2026-01-01] [--departements 75,93] [--out patients.csv] [--directory directory.json]
  Writes the import file of npm run import-patients (stdout without --out) and, with --directory, the centres and GPs
  the file names (JSON): the attribution service learns those from the registry's and staff's events.`;

/** A synthetic population as an import file: deterministic for a seed (docs/runbook.md, "Onboarding patients in bulk"). */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'as-of': { type: 'string', default: '2026-01-01' },
      departements: { type: 'string', default: '' },
      'panel-norm': { type: 'string', default: '1200' },
      out: { type: 'string' },
      directory: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || values.patients === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  const panelNorm = Number(values['panel-norm']);
  if (!Number.isInteger(patients) || patients < 1) throw new Error(`--patients must be a whole number >= 1, got ${values.patients}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got ${values.seed}`);
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(values['as-of'])) throw new Error(`--as-of must be a date YYYY-MM-DD, got ${values['as-of']}`);
  if (!Number.isInteger(panelNorm) || panelNorm < 100) throw new Error(`--panel-norm must be a whole number >= 100, got ${values['panel-norm']}`);
  const departements = values.departements
    .split(',')
    .map((d) => d.trim().toUpperCase())
    .filter((d) => d !== '');
  const population = syntheticPopulation({ patients, seed, asOf: values['as-of'], panelNorm, departements });
  if (values.directory) await writeFile(values.directory, `${JSON.stringify({ centres: population.centres, gps: population.gps }, null, 1)}\n`);
  await pipeline(
    Readable.from(population.patients()),
    stringify({ header: true, columns: [...IMPORT_COLUMNS] }),
    values.out ? createWriteStream(values.out) : process.stdout,
  );
  if (values.out) process.stderr.write(`${patients} patients, ${population.gps.length} GPs at ${population.centres.length} centres → ${values.out}\n`);
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`generate-population: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
