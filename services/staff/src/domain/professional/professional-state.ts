import type { IsoDate } from '../statute/iso-date';
import type { Profession } from './profession';
import type { AssignmentTerms, Identity } from './professional-events';

export type Assignment = AssignmentTerms;

export type ProfessionalState =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly professionalId: string;
      readonly identity: Identity;
      readonly profession: Profession;
      readonly grade: string;
      readonly echelon: number;
      readonly echelonSince: IsoDate;
      readonly retainedSeniorityMonths: number;
      readonly hiredOn: IsoDate;
      readonly assignments: Readonly<Record<string, Assignment>>;
      readonly exitOn?: IsoDate;
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
  const days = [from, ...Object.values(professional.assignments).map((a) => a.startOn).filter(inPeriod)];
  return days.reduce<{ fte: number; on: IsoDate }>(
    (peak, day) => {
      const total = fteOn(professional, day) + extra;
      return total > peak.fte ? { fte: total, on: day } : peak;
    },
    { fte: -1, on: from },
  );
}
