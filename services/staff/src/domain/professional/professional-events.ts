import type { IsoDate } from '@pcn/time';
import type { Profession, Specialty } from './profession';

export interface Identity {
  readonly lastName: string;
  readonly firstName: string;
  /** RPPS number (11 digits), for the professions registered in RPPS. */
  readonly rpps?: string;
}

export const ASSIGNMENT_KINDS = ['regular', 'secondment', 'temporary'] as const;
/** `secondment`: détachement; `temporary`: mise à disposition. Both have an end date. */
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

export const END_REASONS = ['request', 'centre_closed', 'transfer', 'end_of_term', 'exit'] as const;
export type AssignmentEndReason = (typeof END_REASONS)[number];

export const EXIT_REASONS = ['resignation', 'retirement', 'dismissal', 'death', 'end_of_contract'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** What an assignment is: the same terms in the command, the event and the state. */
export interface AssignmentTerms {
  readonly assignmentId: string;
  readonly centreFiness: string;
  /** Ten-thousandths of a full-time post. */
  readonly fte: number;
  readonly startOn: IsoDate;
  /** First day no longer worked; absent while open-ended. */
  readonly endOn?: IsoDate;
  readonly kind: AssignmentKind;
  readonly mobilityId?: string;
}

/**
 * A professional's career under the statute. Dates are days (YYYY-MM-DD). An assignment covers
 * [startOn, endOn): `endOn` is the first day not worked there, as a centre's closure date is the
 * first day it is closed. FTE is in ten-thousandths (0.8 → 8000), as in the statute.
 */
export type ProfessionalEvent =
  | {
      readonly type: 'ProfessionalHired';
      readonly data: {
        readonly professionalId: string;
        readonly identity: Identity;
        readonly profession: Profession;
        readonly specialty?: Specialty;
        readonly grade: string;
        readonly echelon: number;
        readonly echelonSince: IsoDate;
        readonly retainedSeniorityMonths: number;
        readonly hiredOn: IsoDate;
      };
    }
  | { readonly type: 'EchelonAdvanced'; readonly data: { readonly professionalId: string; readonly echelon: number; readonly effectiveOn: IsoDate } }
  | {
      readonly type: 'ProfessionalPromoted';
      readonly data: {
        readonly professionalId: string;
        readonly fromGrade: string;
        readonly fromEchelon: number;
        readonly toGrade: string;
        readonly toEchelon: number;
        readonly effectiveOn: IsoDate;
        /** Where time in the new échelon counts from (seniority kept by the reclassification). */
        readonly seniorityFrom: IsoDate;
      };
    }
  | { readonly type: 'AssignmentStarted'; readonly data: { readonly professionalId: string } & AssignmentTerms }
  | {
      readonly type: 'AssignmentEnded';
      readonly data: { readonly professionalId: string; readonly assignmentId: string; readonly endOn: IsoDate; readonly reason: AssignmentEndReason };
    }
  | { readonly type: 'ProfessionalExited'; readonly data: { readonly professionalId: string; readonly exitOn: IsoDate; readonly reason: ExitReason } };
