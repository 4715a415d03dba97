import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  assertPublishable,
  indexPointValueValidation,
  UnpublishableGridError,
  withCarriedGrades,
  type IndexPointValue,
  type PayGridVersion,
  type Statute,
} from '../domain/statute';

/*
 * The published statute shipped with the service: one JSON file per grid version
 * (`data/ph/<effectiveFrom>.json`, `data/fph/<effectiveFrom>.json`) and one per index-point value
 * (`data/index-point/<effectiveFrom>.json`). Sources of every figure: docs/statute/sources.md.
 * A version file may name `carriedForwardFrom` and give only the grades it adds or changes: the
 * version loaded, and published, is the whole grid.
 * Files are checked twice: their shape here (unknown fields refused, so a typo cannot hide a
 * figure), then the publication rules of the domain, against the versions already loaded.
 */

export const DEFAULT_STATUTE_DIRECTORY = resolve(__dirname, '..', '..', 'data');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const source = z.strictObject({
  title: z.string(),
  reference: z.string(),
  date: isoDate.optional(),
  url: z.string(),
  covers: z.string().optional(),
});
const phEchelon = z.strictObject({ echelon: z.number(), annualGrossCents: z.number(), durationMonths: z.number().optional() });
const fphEchelon = z.strictObject({
  echelon: z.number(),
  indiceMajore: z.number(),
  indiceBrut: z.number().optional(),
  durationMonths: z.number().optional(),
});
const grade = <E extends z.ZodType>(echelon: E) =>
  z.strictObject({ label: z.string(), echelons: z.array(echelon), sources: z.array(source).optional(), notes: z.string().optional() });
const base = { id: z.string(), effectiveFrom: isoDate, sources: z.array(source), carriedForwardFrom: z.string().optional() };
const gridVersion = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('ph'), grades: z.record(z.string(), grade(phEchelon)) }),
  z.strictObject({ ...base, kind: z.literal('fph'), grades: z.record(z.string(), grade(fphEchelon)) }),
]);
const indexPointValue = z.strictObject({ effectiveFrom: isoDate, annualCentsPer100Points: z.number(), source });

export class StatuteFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'StatuteFileError';
  }
}

function jsonFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(directory, f));
}

function parse<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StatuteFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new StatuteFileError(file, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return result.data;
}

function requireNamedByDate(file: string, effectiveFrom: string): void {
  if (basename(file, '.json') !== effectiveFrom) throw new StatuteFileError(file, `file name must be its effectiveFrom (${effectiveFrom}.json)`);
}

/** Reads, checks and returns the statute published under `directory` (the shipped data by default). */
export function loadPublishedStatute(directory: string = DEFAULT_STATUTE_DIRECTORY): Statute {
  const gridVersions: PayGridVersion[] = [];
  const indexPointValues: IndexPointValue[] = [];
  for (const kind of ['ph', 'fph'] as const) {
    for (const file of jsonFiles(join(directory, kind))) {
      const written = parse(file, gridVersion) as PayGridVersion;
      if (written.kind !== kind) throw new StatuteFileError(file, `a ${written.kind} version in the ${kind} directory`);
      requireNamedByDate(file, written.effectiveFrom);
      let version: PayGridVersion;
      try {
        // A file may give only the grades it adds or changes and carry the others forward.
        version = withCarriedGrades(written, { gridVersions, indexPointValues });
        assertPublishable(version, { gridVersions, indexPointValues });
      } catch (error) {
        if (error instanceof UnpublishableGridError) {
          throw new StatuteFileError(file, error.violations.map((v) => `${v.field}: ${v.description}`).join('; '));
        }
        throw error;
      }
      gridVersions.push(version);
    }
  }
  for (const file of jsonFiles(join(directory, 'index-point'))) {
    const value = parse(file, indexPointValue) as IndexPointValue;
    requireNamedByDate(file, value.effectiveFrom);
    const violations = indexPointValueValidation(value, { gridVersions, indexPointValues });
    if (violations.length > 0) throw new StatuteFileError(file, violations.map((v) => `${v.field}: ${v.description}`).join('; '));
    indexPointValues.push(value);
  }
  return { gridVersions, indexPointValues };
}
