import { compareDates, isIsoDate, type IsoDate } from '@pcn/time';
import type { IndexPointValue } from './index-point';
import { gradeOf, GRID_KINDS, type AnyEchelon, type Grade, type GridKind, type PayGridVersion } from './pay-grid';
import { InvalidDateError, NoGridInForceError, NoIndexPointValueError, UnknownGradeError } from './statute-errors';

/**
 * The statute: every published grid version and index-point value. Nothing is ever replaced: a
 * new decree is a new version effective from its date, and "as of" questions pick the version in
 * force on the date asked, so pay on a past date is always reproducible.
 */
export interface Statute {
  readonly gridVersions: readonly PayGridVersion[];
  readonly indexPointValues: readonly IndexPointValue[];
}

export const EMPTY_STATUTE: Statute = { gridVersions: [], indexPointValues: [] };

export function requireDate(field: string, date: unknown): IsoDate {
  if (!isIsoDate(date)) throw new InvalidDateError(field, date);
  return date;
}

/** The latest item whose `effectiveFrom` is on or before `date`, whatever the input order. */
function latestOnOrBefore<T extends { readonly effectiveFrom: IsoDate }>(items: readonly T[], date: IsoDate): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (compareDates(item.effectiveFrom, date) <= 0 && (!best || compareDates(item.effectiveFrom, best.effectiveFrom) > 0)) best = item;
  }
  return best;
}

/** The grid version of this kind in force on `date`: the latest one effective on or before it. */
export function versionInForce(statute: Statute, kind: GridKind, date: IsoDate): PayGridVersion {
  requireDate('date', date);
  const version = latestOnOrBefore(
    statute.gridVersions.filter((v) => v.kind === kind),
    date,
  );
  if (!version) throw new NoGridInForceError(kind, date);
  return version;
}

export function indexPointValueOn(statute: Statute, date: IsoDate): IndexPointValue {
  requireDate('date', date);
  const value = latestOnOrBefore(statute.indexPointValues, date);
  if (!value) throw new NoIndexPointValueError(date);
  return value;
}

/** Which kind of grid a grade code belongs to; grade codes are unique across kinds. */
export function kindOfGrade(statute: Statute, grade: string): GridKind {
  for (const kind of GRID_KINDS) {
    if (statute.gridVersions.some((v) => v.kind === kind && gradeOf(v, grade))) return kind;
  }
  throw new UnknownGradeError(grade);
}

export interface GradeInForce {
  readonly kind: GridKind;
  readonly version: PayGridVersion;
  readonly grade: Grade<AnyEchelon>;
}

/** The grade as the grid version in force on `date` defines it. */
export function gradeInForce(statute: Statute, grade: string, date: IsoDate): GradeInForce {
  const kind = kindOfGrade(statute, grade);
  const version = versionInForce(statute, kind, date);
  const found = gradeOf(version, grade);
  if (!found) throw new UnknownGradeError(grade, `not in grid ${version.id} in force on ${date}`);
  return { kind, version, grade: found };
}
