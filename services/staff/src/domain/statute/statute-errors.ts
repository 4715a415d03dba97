import { NotFoundError, PreconditionFailedError, ValidationError } from '@pcn/eventsourcing';
import type { GridKind } from './pay-grid';
import type { IsoDate } from '@pcn/time';

/** The grade code is not in the statute (or not in the grid version in force at the date). */
export class UnknownGradeError extends NotFoundError {
  constructor(
    readonly grade: string,
    readonly detail?: string,
  ) {
    super('grade', detail ? `${grade} (${detail})` : grade);
  }
}

/** The échelon does not exist in the grade. */
export class EchelonOutOfRangeError extends ValidationError {
  constructor(
    readonly grade: string,
    readonly echelon: number,
    readonly lastEchelon: number,
    field = 'echelon',
  ) {
    super([{ field, description: `grade ${grade} has échelons 1 to ${lastEchelon}, got ${echelon}` }]);
  }
}

export class InvalidFteError extends ValidationError {
  constructor(
    readonly fte: unknown,
    description: string,
    field = 'fte',
  ) {
    super([{ field, description: `${description}, got ${String(fte)}` }]);
  }
}

export class InvalidDateError extends ValidationError {
  constructor(field: string, value: unknown) {
    super([{ field, description: `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}` }]);
  }
}

/** No published grid version of this kind takes effect on or before the date. */
export class NoGridInForceError extends PreconditionFailedError {
  constructor(
    readonly gridKind: GridKind,
    readonly date: IsoDate,
  ) {
    super(`no ${gridKind.toUpperCase()} pay grid is in force on ${date}`, [
      { type: 'STATUTE', subject: `grid.${gridKind}`, description: `no published ${gridKind} grid version takes effect on or before ${date}` },
    ]);
  }
}

/** No index-point value takes effect on or before the date, so no FPH pay can be computed. */
export class NoIndexPointValueError extends PreconditionFailedError {
  constructor(readonly date: IsoDate) {
    super(`no index-point value is in force on ${date}`, [
      { type: 'STATUTE', subject: 'indexPointValue', description: `no published index-point value takes effect on or before ${date}` },
    ]);
  }
}

/** Promotion would lower pay: the target grade has no échelon paid at least as much. */
export class ReclassificationLowersPayError extends PreconditionFailedError {
  constructor(fromGrade: string, fromEchelon: number, toGrade: string) {
    super(`no échelon of ${toGrade} is paid at least as much as ${fromGrade} échelon ${fromEchelon}`, [
      {
        type: 'RECLASSIFICATION',
        subject: 'toGrade',
        description: `classement à l'indice égal ou immédiatement supérieur is impossible: the top of ${toGrade} is paid less than ${fromGrade} échelon ${fromEchelon}`,
      },
    ]);
  }
}

/** A grid version (or index-point value) that may not be published; `violations` name the fields. */
export class UnpublishableGridError extends ValidationError {}
