import { FTE_SCALE } from '../domain/statute/fte';
import type { IsoDate } from '@pcn/time';
import type { AssignmentKind, ExitReason } from '../domain/professional/professional-events';
import type { Profession, Specialty } from '../domain/professional/profession';
import type { Assignment, Professional } from '../domain/professional/professional-state';
import type { VacancyStatus } from '../domain/vacancy/vacancy-state';
import type { MobilityKind, OpinionRecord } from '../domain/mobility/mobility-events';
import type { MobilityStatus } from '../domain/mobility/mobility-state';

/** FTE as the contract writes it: ten-thousandths back to a decimal string ("0.8", "1"). */
export const fteText = (tenThousandths: number): string => String(tenThousandths / FTE_SCALE);

export interface AssignmentView {
  readonly assignmentId: string;
  readonly centreFiness: string;
  readonly fte: string;
  readonly startOn: IsoDate;
  readonly endOn?: IsoDate;
  readonly kind: AssignmentKind;
  readonly mobilityId?: string;
}

export function toAssignmentView(a: Assignment): AssignmentView {
  return {
    assignmentId: a.assignmentId,
    centreFiness: a.centreFiness,
    fte: fteText(a.fte),
    startOn: a.startOn,
    ...(a.endOn && { endOn: a.endOn }),
    kind: a.kind,
    ...(a.mobilityId && { mobilityId: a.mobilityId }),
  };
}

/** Who the professional is, as every view of one starts. */
export function identityView(p: Professional): Pick<ProfessionalView, 'professionalId' | 'lastName' | 'firstName' | 'rpps' | 'profession' | 'specialty'> {
  return {
    professionalId: p.professionalId,
    lastName: p.identity.lastName,
    firstName: p.identity.firstName,
    ...(p.identity.rpps && { rpps: p.identity.rpps }),
    profession: p.profession,
    ...(p.specialty && { specialty: p.specialty }),
  };
}

/** A professional as of a day: the grid position the statute gives then, the posts worked then. */
export interface ProfessionalView {
  readonly professionalId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly rpps?: string;
  readonly profession: Profession;
  readonly specialty?: Specialty;
  readonly grade: string;
  readonly echelon: number;
  /** When the échelon was reached. */
  readonly echelonSince: IsoDate;
  readonly nextAdvancementOn?: IsoDate;
  readonly hiredOn: IsoDate;
  readonly exitOn?: IsoDate;
  readonly exitReason?: ExitReason;
  /** Assignments worked on `asOf`. */
  readonly assignments: readonly AssignmentView[];
  /** Every assignment, past and future, for the record. */
  readonly allAssignments: readonly AssignmentView[];
  readonly totalFte: string;
  readonly asOf: IsoDate;
  readonly version: number;
}

export interface PayView {
  readonly professionalId: string;
  readonly on: IsoDate;
  readonly grade: string;
  readonly echelon: number;
  readonly fte: string;
  readonly annualGrossCents: number;
  readonly monthlyGrossCents: number;
  readonly fullTimeAnnualGrossCents: number;
  readonly fullTimeMonthlyGrossCents: number;
  readonly gridVersion: string;
  readonly indiceMajore?: number;
  /** Pay of each assignment worked that day: the same grid position at each post's FTE. */
  readonly byAssignment: readonly {
    readonly assignmentId: string;
    readonly centreFiness: string;
    readonly fte: string;
    readonly annualGrossCents: number;
    readonly monthlyGrossCents: number;
  }[];
}

export interface VacancyView {
  readonly vacancyId: string;
  readonly centreFiness: string;
  readonly departement?: string;
  readonly region?: string;
  readonly profession: Profession;
  readonly fte: string;
  readonly startOn: IsoDate;
  readonly status: VacancyStatus;
  readonly postedBy: string;
  readonly filledBy?: string;
  readonly filledOn?: IsoDate;
  readonly mobilityId?: string;
  readonly cancellation?: { readonly reason: string; readonly cancelledOn: IsoDate };
  readonly version: number;
}

export interface VacancyPage {
  readonly vacancies: readonly VacancyView[];
  readonly totalSize: number;
  readonly nextPageToken?: string;
}

/** Outcome of the movement an approved mobility commands (applied by a process, shortly after). */
export type MovementOutcome = { readonly status: 'pending' } | { readonly status: 'applied' } | { readonly status: 'failed'; readonly error: string };

export interface MobilityView {
  readonly mobilityId: string;
  readonly professionalId: string;
  readonly vacancyId: string;
  readonly kind: MobilityKind;
  readonly originCentreFiness: string;
  readonly originAssignmentId: string;
  readonly destinationCentreFiness: string;
  readonly fte: string;
  readonly originFte: string;
  readonly requestedOn: IsoDate;
  readonly endOn?: IsoDate;
  readonly status: MobilityStatus;
  readonly originOpinion?: OpinionRecord;
  readonly destinationOpinion?: OpinionRecord;
  readonly effectiveOn?: IsoDate;
  readonly decision?: { readonly by: string; readonly reason?: string };
  readonly withdrawnOn?: IsoDate;
  /** Once approved: whether the assignments have moved yet. */
  readonly movement?: MovementOutcome;
  readonly version: number;
}

export interface TeamMemberView {
  readonly professionalId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly rpps?: string;
  readonly profession: Profession;
  readonly specialty?: Specialty;
  readonly grade: string;
  readonly echelon: number;
  readonly assignmentId: string;
  readonly fte: string;
  readonly kind: AssignmentKind;
  readonly startOn: IsoDate;
  readonly endOn?: IsoDate;
}

export interface TeamPage {
  readonly centreFiness: string;
  readonly on: IsoDate;
  readonly members: readonly TeamMemberView[];
  readonly totalSize: number;
  /** Sum of the FTE of the whole team that day (every page). */
  readonly totalFte: string;
  readonly nextPageToken?: string;
}
