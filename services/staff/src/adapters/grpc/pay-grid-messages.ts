import { staffV1 as pb } from '@pcn/contracts';
import { toProtoEnum } from '@pcn/grpc';
import { ValidationError } from '@pcn/eventsourcing';
import type { AnyEchelon, Grade, PayGridVersion, SourceRef } from '../../domain/statute/pay-grid';
import type { IndexPointValue } from '../../domain/statute/index-point';
import { compact, positive, text } from '@pcn/grpc';
import { gridKind } from './proto-mapping';

const sourceInput = (s: pb.Source) =>
  compact({ title: text(s.title), reference: text(s.reference), date: text(s.date), url: text(s.url), covers: text(s.covers) });

const echelonInput = (e: pb.Echelon) =>
  compact({
    echelon: positive(e.echelon),
    annualGrossCents: e.annualGrossCents,
    indiceMajore: e.indiceMajore,
    indiceBrut: e.indiceBrut,
    durationMonths: e.durationMonths,
  });

/** A grade's own sources are optional: none given is none recorded, not an empty list. */
const gradeInput = (g: pb.Grade) =>
  compact({
    label: text(g.label),
    echelons: g.echelons.map(echelonInput),
    sources: g.sources.length > 0 ? g.sources.map(sourceInput) : undefined,
    notes: text(g.notes),
  });

/**
 * A PayGrid message becomes the application's publish input: grades keyed by code. Two grades
 * with one code would silently lose one in the record, so that is refused here. `index_point`
 * is what GetPayGrid adds to an FPH grid; it is not part of the version and is ignored.
 */
export function payGridInput(grid: pb.PayGrid | undefined): Record<string, unknown> {
  if (!grid) return {};
  const seen = new Set<string>();
  grid.grades.forEach((g, i) => {
    if (seen.has(g.code)) throw ValidationError.field(`grades[${i}].code`, `grade ${g.code} appears more than once`);
    seen.add(g.code);
  });
  return compact({
    id: text(grid.id),
    kind: gridKind(grid.kind),
    effectiveFrom: text(grid.effectiveFrom),
    sources: grid.sources.map(sourceInput),
    carriedForwardFrom: text(grid.carriedForwardFrom),
    // fromEntries defines own properties, so no code (say `__proto__`) can reach a prototype.
    grades: Object.fromEntries(grid.grades.map((g) => [g.code, gradeInput(g)])),
  });
}

/**
 * The contract spells the value `annual_cents_per_hundred_points` (REST and the data files say
 * `annualCentsPer100Points`): a violation of it names the field the gRPC caller sent.
 */
export async function asIndexPointCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ValidationError && error.violations.some((v) => v.field === 'annualCentsPer100Points')) {
      throw new ValidationError(error.violations.map((v) => (v.field === 'annualCentsPer100Points' ? { ...v, field: 'annualCentsPerHundredPoints' } : v)));
    }
    throw error;
  }
}

export function indexPointInput(value: pb.IndexPointValue | undefined): Record<string, unknown> {
  if (!value) return {};
  return compact({
    effectiveFrom: text(value.effectiveFrom),
    annualCentsPer100Points: positive(value.annualCentsPerHundredPoints),
    source: value.source && sourceInput(value.source),
  });
}

/** Every field of a source: what GetPayGrid answers can be published again unchanged. */
const toSource = (s: SourceRef): pb.Source => ({ title: s.title, reference: s.reference, url: s.url, date: s.date ?? '', covers: s.covers ?? '' });

function toEchelon(e: AnyEchelon): pb.Echelon {
  return {
    echelon: e.echelon,
    ...('annualGrossCents' in e && { annualGrossCents: e.annualGrossCents }),
    ...('indiceMajore' in e && { indiceMajore: e.indiceMajore }),
    ...('indiceBrut' in e && e.indiceBrut !== undefined && { indiceBrut: e.indiceBrut }),
    ...(e.durationMonths !== undefined && { durationMonths: e.durationMonths }),
  };
}

const toGrade = (code: string, g: Grade<AnyEchelon>): pb.Grade => ({
  code,
  label: g.label,
  echelons: g.echelons.map(toEchelon),
  notes: g.notes ?? '',
  sources: (g.sources ?? []).map(toSource),
});

export function toIndexPointMessage(value: IndexPointValue): pb.IndexPointValue {
  return pb.IndexPointValue.fromPartial({
    effectiveFrom: value.effectiveFrom,
    annualCentsPerHundredPoints: value.annualCentsPer100Points,
    source: toSource(value.source),
  });
}

/** `indexPoint`: for an FPH grid read on a date, the value of the point in force then. */
export function toPayGridMessage(version: PayGridVersion, indexPoint?: IndexPointValue): pb.PayGrid {
  // Sorted by code: the order of a record's keys depends on the store (jsonb reorders them).
  const grades = Object.entries(version.grades as Readonly<Record<string, Grade<AnyEchelon>>>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pb.PayGrid.fromPartial({
    id: version.id,
    kind: toProtoEnum(pb.GridKind, 'GRID_KIND_', version.kind),
    effectiveFrom: version.effectiveFrom,
    grades: grades.map(([code, g]) => toGrade(code, g)),
    sources: version.sources.map(toSource),
    carriedForwardFrom: version.carriedForwardFrom ?? '',
    ...(indexPoint && { indexPoint: toIndexPointMessage(indexPoint) }),
  });
}
