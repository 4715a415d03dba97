import type { Cents } from './money';
import type { IsoDate } from '@pcn/time';

/**
 * A pay grid version, as a decree or arrêté publishes it and a coordinator records it. Two kinds:
 * - `ph`: modelled on the praticien hospitalier statute (doctors, dentists, midwives of the
 *   network): each échelon carries annual gross emoluments;
 * - `fph`: modelled on the fonction publique hospitalière (every other profession): each échelon
 *   carries an indice majoré, paid at the index-point value in force.
 * Every échelon but the last carries the time to serve in it before the next one.
 */
export type GridKind = 'ph' | 'fph';
export const GRID_KINDS: readonly GridKind[] = ['ph', 'fph'];

/** Where a figure comes from: the text, its reference (NOR, JORF, article), date and address. */
export interface SourceRef {
  readonly title: string;
  readonly reference: string;
  /** Date of the text or of the page consulted, YYYY-MM-DD. */
  readonly date?: IsoDate;
  readonly url: string;
  /** What this source gives (e.g. "IM and durations", "IB cross-check"). */
  readonly covers?: string;
}

export interface PhEchelon {
  readonly echelon: number;
  readonly annualGrossCents: Cents;
  /** Months to serve before the next échelon; absent on the last échelon. */
  readonly durationMonths?: number;
}

export interface FphEchelon {
  readonly echelon: number;
  readonly indiceMajore: number;
  /** Indice brut, kept for reference and cross-checks; pay uses the indice majoré only. */
  readonly indiceBrut?: number;
  /** Months to serve before the next échelon; absent on the last échelon. */
  readonly durationMonths?: number;
}

export interface Grade<E> {
  readonly label: string;
  /** Échelons 1..n in order. */
  readonly echelons: readonly E[];
  readonly sources?: readonly SourceRef[];
  readonly notes?: string;
}

export type PhGrade = Grade<PhEchelon>;
export type FphGrade = Grade<FphEchelon>;

interface GridVersionBase {
  /** Stable identifier, e.g. `fph-2024-01-01`. */
  readonly id: string;
  readonly effectiveFrom: IsoDate;
  readonly sources: readonly SourceRef[];
  /**
   * The earlier version of the same kind whose grades this one repeats unchanged (a coordinator
   * who adds or changes a few grades publishes only those; see carry-forward.ts).
   */
  readonly carriedForwardFrom?: string;
}

export interface PhGridVersion extends GridVersionBase {
  readonly kind: 'ph';
  readonly grades: Readonly<Record<string, PhGrade>>;
}

export interface FphGridVersion extends GridVersionBase {
  readonly kind: 'fph';
  readonly grades: Readonly<Record<string, FphGrade>>;
}

export type PayGridVersion = PhGridVersion | FphGridVersion;

export type AnyEchelon = PhEchelon | FphEchelon;

export function gradeOf(version: PayGridVersion, grade: string): Grade<AnyEchelon> | undefined {
  return Object.prototype.hasOwnProperty.call(version.grades, grade) ? (version.grades as Record<string, Grade<AnyEchelon>>)[grade] : undefined;
}

/** The quantity that orders échelons within a grid: emoluments (PH) or indice majoré (FPH). */
export function gridMeasure(kind: GridKind, echelon: AnyEchelon): number {
  return kind === 'ph' ? (echelon as PhEchelon).annualGrossCents : (echelon as FphEchelon).indiceMajore;
}
