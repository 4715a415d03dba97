import {
  assignToCentreInput,
  cancelVacancyInput,
  decideMobilityInput,
  endAssignmentInput,
  giveOpinionInput,
  hireProfessionalInput,
  onDateInput,
  postVacancyInput,
  promoteInput,
  publishIndexPointInput,
  publishPayGridInput,
  recordExitInput,
  requestMobilityInput,
  withdrawMobilityInput,
} from '../../application/schemas';
import { ASSIGNMENT_KINDS, EXIT_REASONS } from '../../domain/professional/professional-events';
import { PROFESSIONS, SPECIALTIES } from '../../domain/professional/profession';
import { VACANCY_STATUSES } from '../../domain/vacancy/vacancy-state';
import { MOBILITY_KINDS, OPINIONS } from '../../domain/mobility/mobility-events';
import { MOBILITY_STATUSES } from '../../domain/mobility/mobility-state';
import { cents, date, dateTime, fromZod, fte, ref } from './openapi-parts';

const object = (properties: Record<string, object>, required: readonly string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const array = (items: object) => ({ type: 'array', items });
const optional = (keys: readonly string[], properties: Record<string, object>) =>
  object(
    properties,
    Object.keys(properties).filter((k) => !keys.includes(k)),
  );
const id = { type: 'string', format: 'uuid' } as const;
const integer = { type: 'integer' } as const;
const text = { type: 'string' } as const;

/** Request bodies: the application's input schemas, as JSON Schema. */
const requests = {
  PublishPayGrid: fromZod(publishPayGridInput),
  PublishIndexPointValue: fromZod(publishIndexPointInput),
  HireProfessional: fromZod(hireProfessionalInput),
  AssignToCentre: fromZod(assignToCentreInput),
  // The assignment is named by the path.
  EndAssignment: fromZod(endAssignmentInput.omit({ assignmentId: true })),
  Promote: fromZod(promoteInput),
  RecordExit: fromZod(recordExitInput),
  PostVacancy: fromZod(postVacancyInput),
  CancelVacancy: fromZod(cancelVacancyInput),
  RequestMobility: fromZod(requestMobilityInput),
  GiveOpinion: fromZod(giveOpinionInput),
  DecideMobility: fromZod(decideMobilityInput),
  WithdrawMobility: fromZod(withdrawMobilityInput),
  RunAdvancements: fromZod(onDateInput),
};

const assignment = optional(['endOn', 'mobilityId'], {
  assignmentId: text,
  centreFiness: text,
  fte,
  startOn: date,
  endOn: { ...date, description: 'First day no longer worked: an assignment covers [startOn, endOn)' },
  kind: { enum: ASSIGNMENT_KINDS },
  mobilityId: id,
});

const professional = optional(['rpps', 'specialty', 'nextAdvancementOn', 'exitOn', 'exitReason'], {
  professionalId: id,
  lastName: text,
  firstName: text,
  rpps: text,
  profession: { enum: PROFESSIONS },
  specialty: { enum: SPECIALTIES },
  grade: text,
  echelon: integer,
  echelonSince: { ...date, description: 'When the échelon was reached' },
  nextAdvancementOn: date,
  hiredOn: date,
  exitOn: { ...date, description: 'First day out of the network' },
  exitReason: { enum: EXIT_REASONS },
  assignments: { ...array(ref('Assignment')), description: 'Assignments worked on asOf' },
  allAssignments: { ...array(ref('Assignment')), description: 'Every assignment, past and future' },
  totalFte: fte,
  asOf: date,
  version: { ...integer, description: 'Stream revision; the ETag' },
});

const pay = optional(['indiceMajore'], {
  professionalId: id,
  on: date,
  grade: text,
  echelon: integer,
  fte,
  annualGrossCents: cents,
  monthlyGrossCents: cents,
  fullTimeAnnualGrossCents: cents,
  fullTimeMonthlyGrossCents: cents,
  gridVersion: text,
  indiceMajore: integer,
  byAssignment: array(object({ assignmentId: text, centreFiness: text, fte, annualGrossCents: cents, monthlyGrossCents: cents })),
});

const vacancy = optional(['departement', 'region', 'filledBy', 'filledOn', 'mobilityId', 'cancellation'], {
  vacancyId: id,
  centreFiness: text,
  departement: text,
  region: text,
  profession: { enum: PROFESSIONS },
  fte,
  startOn: date,
  status: { enum: VACANCY_STATUSES },
  postedBy: text,
  filledBy: id,
  filledOn: date,
  mobilityId: id,
  cancellation: object({ reason: text, cancelledOn: date }),
  version: { ...integer, description: 'Stream revision; the ETag' },
});

const opinion = optional(['comment'], { opinion: { enum: OPINIONS }, comment: text, by: text });

const mobility = optional(['endOn', 'originOpinion', 'destinationOpinion', 'effectiveOn', 'decision', 'withdrawnOn', 'movement'], {
  mobilityId: id,
  professionalId: id,
  vacancyId: id,
  kind: { enum: MOBILITY_KINDS },
  originCentreFiness: text,
  originAssignmentId: text,
  destinationCentreFiness: text,
  fte,
  originFte: fte,
  requestedOn: date,
  endOn: date,
  status: { enum: MOBILITY_STATUSES },
  originOpinion: ref('Opinion'),
  destinationOpinion: ref('Opinion'),
  effectiveOn: date,
  decision: optional(['reason'], { by: text, reason: text }),
  withdrawnOn: date,
  movement: {
    ...optional(['error'], { status: { enum: ['pending', 'applied', 'failed'] }, error: text }),
    description: 'Once approved: whether the assignments have moved yet (applied by a process shortly after the decision)',
  },
  version: { ...integer, description: 'Stream revision; the ETag' },
});

const teamMember = optional(['rpps', 'specialty', 'endOn'], {
  professionalId: id,
  lastName: text,
  firstName: text,
  rpps: text,
  profession: { enum: PROFESSIONS },
  specialty: { enum: SPECIALTIES },
  grade: text,
  echelon: integer,
  assignmentId: text,
  fte,
  kind: { enum: ASSIGNMENT_KINDS },
  startOn: date,
  endOn: date,
});

const indexPointValue = fromZod(publishIndexPointInput);

/** Responses: the application's views. */
const views = {
  PayGrid: {
    allOf: [
      fromZod(publishPayGridInput),
      { type: 'object', properties: { indexPoint: { ...ref('IndexPointValue'), description: 'FPH only: the index-point value in force on the day asked' } } },
    ],
  },
  IndexPointValue: indexPointValue,
  Statute: object({ gridVersions: array(ref('PayGrid')), indexPointValues: array(ref('IndexPointValue')) }),
  Assignment: assignment,
  AssignmentRead: {
    allOf: [
      ref('Assignment'),
      object({
        professionalId: text,
        version: { ...integer, description: "The professional's stream revision (the ETag): what If-Match on the assignment's end expects" },
      }),
    ],
  },
  Professional: professional,
  Pay: pay,
  History: object({
    entries: array(optional(['actor'], { version: integer, type: text, occurredAt: dateTime, recordedAt: dateTime, actor: text, data: { type: 'object' } })),
  }),
  Vacancy: vacancy,
  VacancyPage: optional(['nextPageToken'], { vacancies: array(ref('Vacancy')), totalSize: integer, nextPageToken: text }),
  Opinion: opinion,
  Mobility: mobility,
  TeamMember: teamMember,
  TeamPage: optional(['nextPageToken'], {
    centreFiness: text,
    on: date,
    members: array(ref('TeamMember')),
    totalSize: integer,
    totalFte: { ...fte, description: 'FTE of the whole team that day (every page)' },
    nextPageToken: text,
  }),
  VacancyReport: object({
    rows: array(object({ region: text, departement: text, profession: { enum: PROFESSIONS }, open: integer, openFte: fte })),
    totalOpen: integer,
    totalOpenFte: fte,
  }),
  PayEquityReport: object({
    on: date,
    posts: integer,
    positions: integer,
    defects: { ...integer, description: 'Positions paid more than one amount' },
    rows: array(
      object({
        gridVersion: text,
        grade: text,
        echelon: integer,
        fte,
        posts: integer,
        centres: integer,
        professions: array({ enum: PROFESSIONS }),
        minAnnualGrossCents: cents,
        maxAnnualGrossCents: cents,
        distinctAnnualGrossCents: array(cents),
        defect: { type: 'boolean' },
      }),
    ),
    uncomputed: array(object({ professionalId: id, assignmentId: text, error: text })),
  }),
  AdvancementRun: object({
    on: date,
    professionalsScanned: integer,
    advancementsRecorded: integer,
    failures: array(object({ professionalId: id, error: text })),
  }),
  // The same as the registry's, so the two documents merge.
  Problem: {
    type: 'object',
    properties: {
      type: text,
      title: text,
      status: integer,
      detail: text,
      instance: text,
      errors: array({ type: 'object', properties: { field: text, description: text } }),
      violations: array({ type: 'object', properties: { type: text, subject: text, description: text } }),
    },
  },
};

export const staffSchemas = { ...requests, ...views };
