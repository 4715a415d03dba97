import { z } from 'zod';
import { publishIndexPointInput, publishPayGridInput } from '../../application/schemas';
import { ASSIGNMENT_KINDS, EXIT_REASONS } from '../../domain/professional/professional-events';
import { PROFESSIONS, SPECIALTIES } from '../../domain/professional/profession';
import { VACANCY_STATUSES } from '../../domain/vacancy/vacancy-state';
import { MOBILITY_KINDS, OPINIONS } from '../../domain/mobility/mobility-events';
import { MOBILITY_STATUSES } from '../../domain/mobility/mobility-state';

/** A view of the same shape as an input schema. */
const fromZod = (s: z.ZodType): object => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const date = { type: 'string', format: 'date' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const fte = { type: 'string', description: 'Full-time equivalent, a decimal in (0, 1] such as "0.8"', example: '0.8' } as const;
const cents = { type: 'integer', description: 'Euro cents' } as const;

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

/** Responses: the application's views, as the responses refer to them. */
export const staffSchemas = {
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
};
