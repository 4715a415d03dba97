import { staffV1 as pb } from '@pcn/contracts';
import { fromProtoEnum, toProtoEnum } from '@pcn/grpc';
import type { AssignmentView, MobilityView, PayView, ProfessionalView, TeamPage, VacancyView } from '../../application/views';
import type { OpinionRecord } from '../../domain/mobility/mobility-events';
import { compact, positive, text } from '@pcn/grpc';

const profession = (v: number | undefined) => fromProtoEnum(pb.Profession, 'PROFESSION_', v);
const specialty = (v: number | undefined) => fromProtoEnum(pb.Specialty, 'SPECIALTY_', v);
const exitReason = (v: number | undefined) => fromProtoEnum(pb.ExitReason, 'EXIT_REASON_', v);
const vacancyStatus = (v: number | undefined) => fromProtoEnum(pb.VacancyStatus, 'VACANCY_STATUS_', v);
const mobilityKind = (v: number | undefined) => fromProtoEnum(pb.MobilityKind, 'MOBILITY_KIND_', v);
const opinionSide = (v: number | undefined) => fromProtoEnum(pb.OpinionSide, 'OPINION_SIDE_', v);
const opinion = (v: number | undefined) => fromProtoEnum(pb.Opinion, 'OPINION_', v);
const decision = (v: number | undefined) => fromProtoEnum(pb.MobilityDecision, 'MOBILITY_DECISION_', v);

/* Requests → the same plain inputs the REST API gives the application, which validates them. */

export function hireInput(req: pb.HireProfessionalRequest): Record<string, unknown> {
  return compact({
    lastName: text(req.lastName),
    firstName: text(req.firstName),
    rpps: text(req.rpps),
    profession: profession(req.profession),
    specialty: specialty(req.specialty),
    grade: text(req.grade),
    echelon: positive(req.echelon),
    retainedSeniorityMonths: req.retainedSeniorityMonths,
    hiredOn: text(req.hiredOn),
  });
}

export const assignInput = (req: pb.AssignToCentreRequest): Record<string, unknown> =>
  compact({ centreFiness: text(req.centreFiness), fte: text(req.fte), startOn: text(req.startOn), endOn: text(req.endOn) });

export const endAssignmentInput = (req: pb.EndAssignmentRequest): Record<string, unknown> =>
  compact({ assignmentId: text(req.assignmentId), endOn: text(req.endOn) });

export const promoteInput = (req: pb.PromoteProfessionalRequest): Record<string, unknown> =>
  compact({ toGrade: text(req.toGrade), effectiveOn: text(req.effectiveOn) });

export const recordExitInput = (req: pb.RecordExitRequest): Record<string, unknown> => compact({ exitOn: text(req.exitOn), reason: exitReason(req.reason) });

export const postVacancyInput = (req: pb.PostVacancyRequest): Record<string, unknown> =>
  compact({ centreFiness: text(req.centreFiness), profession: profession(req.profession), fte: text(req.fte), startOn: text(req.startOn) });

export const cancelVacancyInput = (req: pb.CancelVacancyRequest): Record<string, unknown> =>
  compact({ reason: text(req.reason), cancelledOn: text(req.cancelledOn) });

export function listVacanciesInput(req: pb.ListVacanciesRequest): Record<string, unknown> {
  return compact({
    departement: text(req.departement),
    region: text(req.region),
    profession: profession(req.profession),
    status: vacancyStatus(req.status),
    pageSize: positive(req.pageSize),
    pageToken: text(req.pageToken),
  });
}

export function requestMobilityInput(req: pb.RequestMobilityRequest): Record<string, unknown> {
  return compact({
    professionalId: text(req.professionalId),
    vacancyId: text(req.vacancyId),
    kind: mobilityKind(req.kind),
    originAssignmentId: text(req.originAssignmentId),
    endOn: text(req.endOn),
    originFte: text(req.originFte),
    requestedOn: text(req.requestedOn),
  });
}

export const giveOpinionInput = (req: pb.GiveMobilityOpinionRequest): Record<string, unknown> =>
  compact({ side: opinionSide(req.side), opinion: opinion(req.opinion), comment: text(req.comment) });

export const decideMobilityInput = (req: pb.DecideMobilityRequest): Record<string, unknown> =>
  compact({ decision: decision(req.decision), effectiveOn: text(req.effectiveOn), reason: text(req.reason) });

export const withdrawMobilityInput = (req: pb.WithdrawMobilityRequest): Record<string, unknown> => compact({ on: text(req.on) });

export const teamInput = (req: pb.ListCentreTeamRequest): Record<string, unknown> =>
  compact({ on: text(req.on), pageSize: positive(req.pageSize), pageToken: text(req.pageToken) });

/* Views → messages: absent optional values become proto3 defaults ('' and UNSPECIFIED). */

const professionEnum = (p: string) => toProtoEnum(pb.Profession, 'PROFESSION_', p);
const specialtyEnum = (s: string | undefined) => (s === undefined ? pb.Specialty.SPECIALTY_UNSPECIFIED : toProtoEnum(pb.Specialty, 'SPECIALTY_', s));
const assignmentKindEnum = (k: string) => toProtoEnum(pb.AssignmentKind, 'ASSIGNMENT_KIND_', k);

function toAssignment(a: AssignmentView): pb.Assignment {
  return pb.Assignment.fromPartial({
    assignmentId: a.assignmentId,
    centreFiness: a.centreFiness,
    fte: a.fte,
    startOn: a.startOn,
    endOn: a.endOn ?? '',
    kind: assignmentKindEnum(a.kind),
    mobilityId: a.mobilityId ?? '',
  });
}

export function toProfessionalMessage(v: ProfessionalView): pb.Professional {
  return pb.Professional.fromPartial({
    professionalId: v.professionalId,
    lastName: v.lastName,
    firstName: v.firstName,
    rpps: v.rpps ?? '',
    profession: professionEnum(v.profession),
    specialty: specialtyEnum(v.specialty),
    grade: v.grade,
    echelon: v.echelon,
    echelonSince: v.echelonSince,
    nextAdvancementOn: v.nextAdvancementOn ?? '',
    hiredOn: v.hiredOn,
    assignments: v.assignments.map(toAssignment),
    allAssignments: v.allAssignments.map(toAssignment),
    totalFte: v.totalFte,
    exitOn: v.exitOn ?? '',
    asOf: v.asOf,
    version: v.version,
  });
}

export function toPayMessage(v: PayView): pb.Pay {
  return pb.Pay.fromPartial({
    professionalId: v.professionalId,
    on: v.on,
    grade: v.grade,
    echelon: v.echelon,
    fte: v.fte,
    annualGrossCents: v.annualGrossCents,
    monthlyGrossCents: v.monthlyGrossCents,
    gridVersion: v.gridVersion,
    fullTimeAnnualGrossCents: v.fullTimeAnnualGrossCents,
    fullTimeMonthlyGrossCents: v.fullTimeMonthlyGrossCents,
    ...(v.indiceMajore !== undefined && { indiceMajore: v.indiceMajore }),
    byAssignment: v.byAssignment.map((a) => ({ ...a })),
  });
}

export function toVacancyMessage(v: VacancyView): pb.Vacancy {
  return pb.Vacancy.fromPartial({
    vacancyId: v.vacancyId,
    centreFiness: v.centreFiness,
    profession: professionEnum(v.profession),
    fte: v.fte,
    startOn: v.startOn,
    status: toProtoEnum(pb.VacancyStatus, 'VACANCY_STATUS_', v.status),
    filledBy: v.filledBy ?? '',
    version: v.version,
    departement: v.departement ?? '',
    region: v.region ?? '',
    filledOn: v.filledOn ?? '',
    cancellationReason: v.cancellation?.reason ?? '',
  });
}

const toOpinion = (o: OpinionRecord | undefined): pb.MobilityOpinion | undefined =>
  o && { opinion: toProtoEnum(pb.Opinion, 'OPINION_', o.opinion), comment: o.comment ?? '', by: o.by };

// The domain calls a request awaiting its decision `pending`; the contract says REQUESTED.
const mobilityStatusEnum = (s: MobilityView['status']) =>
  s === 'pending' ? pb.MobilityStatus.MOBILITY_STATUS_REQUESTED : toProtoEnum(pb.MobilityStatus, 'MOBILITY_STATUS_', s);

export function toMobilityMessage(v: MobilityView): pb.Mobility {
  return pb.Mobility.fromPartial({
    mobilityId: v.mobilityId,
    professionalId: v.professionalId,
    vacancyId: v.vacancyId,
    kind: toProtoEnum(pb.MobilityKind, 'MOBILITY_KIND_', v.kind),
    originCentreFiness: v.originCentreFiness,
    destinationCentreFiness: v.destinationCentreFiness,
    status: mobilityStatusEnum(v.status),
    originOpinion: toOpinion(v.originOpinion),
    destinationOpinion: toOpinion(v.destinationOpinion),
    effectiveOn: v.effectiveOn ?? '',
    endOn: v.endOn ?? '',
    version: v.version,
    originAssignmentId: v.originAssignmentId,
    fte: v.fte,
    originFte: v.originFte,
    requestedOn: v.requestedOn,
    movementStatus: v.movement ? toProtoEnum(pb.MovementStatus, 'MOVEMENT_STATUS_', v.movement.status) : pb.MovementStatus.MOVEMENT_STATUS_UNSPECIFIED,
    movementError: v.movement?.status === 'failed' ? v.movement.error : '',
    decidedBy: v.decision?.by ?? '',
    decisionReason: v.decision?.reason ?? '',
    withdrawnOn: v.withdrawnOn ?? '',
  });
}

export function toTeamResponse(page: TeamPage): pb.ListCentreTeamResponse {
  return pb.ListCentreTeamResponse.fromPartial({
    members: page.members.map((m) => ({
      professionalId: m.professionalId,
      lastName: m.lastName,
      firstName: m.firstName,
      profession: professionEnum(m.profession),
      grade: m.grade,
      echelon: m.echelon,
      fte: m.fte,
      kind: assignmentKindEnum(m.kind),
      rpps: m.rpps ?? '',
      specialty: specialtyEnum(m.specialty),
      assignmentId: m.assignmentId,
      startOn: m.startOn,
      endOn: m.endOn ?? '',
    })),
    nextPageToken: page.nextPageToken ?? '',
    totalSize: page.totalSize,
    totalFte: page.totalFte,
  });
}
