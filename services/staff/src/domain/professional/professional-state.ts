import type { IsoDate } from '@pcn/time';
import type { Profession } from './profession';
import type { AssignmentTerms, ExitReason, Identity } from './professional-events';
import type { Specialty } from './profession';

export type Assignment = AssignmentTerms;

/**
 * One position on the grid and where its échelon progression counts from. A professional's
 * career is the list of these, in order: the hire, each advancement, each promotion. "As of a
 * date" questions start from the last step in effect on that day and let the statute's
 * progression run forward, so they never wait for the scheduled advancement process.
 */
export interface CareerStep {
  readonly grade: string;
  readonly echelon: number;
  /** The day this position takes effect. */
  readonly effectiveOn: IsoDate;
  /** The day time in this échelon counts from (earlier than `effectiveOn` after a reclassification that keeps seniority). */
  readonly progressionFrom: IsoDate;
  /** Months already served in the échelon on `progressionFrom` (seniority retained at hiring). */
  readonly retainedSeniorityMonths: number;
}

export type ProfessionalState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly professionalId: string;
      readonly identity: Identity;
      readonly profession: Profession;
      /** Doctors only: what `general_practice` means to attribution (a médecin traitant). */
      readonly specialty?: Specialty;
      readonly grade: string;
      readonly echelon: number;
      readonly echelonSince: IsoDate;
      readonly retainedSeniorityMonths: number;
      readonly hiredOn: IsoDate;
      readonly career: readonly CareerStep[];
      readonly assignments: Readonly<Record<string, Assignment>>;
      readonly exitOn?: IsoDate;
      readonly exitReason?: ExitReason;
    };

export type Professional = Extract<ProfessionalState, { exists: true }>;

/** Whether the assignment is worked on `day`. */
export function activeOn(assignment: Assignment, day: IsoDate): boolean {
  return assignment.startOn <= day && (assignment.endOn === undefined || day < assignment.endOn);
}

export function assignmentsOn(professional: Professional, day: IsoDate): Assignment[] {
  return Object.values(professional.assignments).filter((a) => activeOn(a, day));
}

/** Total FTE worked on `day`, in ten-thousandths. */
export function fteOn(professional: Professional, day: IsoDate): number {
  return assignmentsOn(professional, day).reduce((sum, a) => sum + a.fte, 0);
}

/**
 * The highest total FTE over [from, to) if `extra` were added: the total only changes where an
 * assignment starts, so it is enough to look at `from` and at every start inside the period.
 */
export function peakFte(professional: Professional, from: IsoDate, to: IsoDate | undefined, extra: number): { fte: number; on: IsoDate } {
  const inPeriod = (day: IsoDate): boolean => day >= from && (to === undefined || day < to);
  const days = [
    from,
    ...Object.values(professional.assignments)
      .map((a) => a.startOn)
      .filter(inPeriod),
  ];
  return days.reduce<{ fte: number; on: IsoDate }>(
    (peak, day) => {
      const total = fteOn(professional, day) + extra;
      return total > peak.fte ? { fte: total, on: day } : peak;
    },
    { fte: -1, on: from },
  );
}

/** The career step in effect on `day`, undefined before the hire. */
export function careerStepOn(professional: Professional, day: IsoDate): CareerStep | undefined {
  let found: CareerStep | undefined;
  for (const step of professional.career) if (step.effectiveOn <= day) found = step;
  return found;
}
