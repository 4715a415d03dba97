import { toHistoryEntry } from '@pcn/eventsourcing';
import {
  bodyWithPathField,
  created,
  createdDoc,
  ok,
  okDoc,
  pageParams,
  problemDoc,
  read,
  RouteTable,
  versioned,
  versionedDoc,
  write,
  type ParameterDoc,
  type ResponseDoc,
  type RouteBody,
  type WriteRequest,
} from '@pcn/http';
import { parseInput } from '@pcn/validation';
import type { StaffServices } from '../../application/staff-services';
import type { WriteOptions } from '../../application/write-options';
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
import type { IndexPointValue } from '../../domain/statute/index-point';
import { GRID_KINDS, type PayGridVersion } from '../../domain/statute/pay-grid';
import { PROFESSIONS } from '../../domain/professional/profession';
import { VACANCY_STATUSES } from '../../domain/vacancy/vacancy-state';
import { staffSchemas } from './openapi-schemas';

/** A grid version as REST answers it: an FPH grid carries the index-point value in force that day. */
export type PayGridResponse = PayGridVersion & { readonly indexPoint?: IndexPointValue };

type S = StaffServices;

const date = { type: 'string', format: 'date' } as const;
const professionalId = { professionalId: { description: 'Id of the professional (UUID)' } };
const assignmentId = { assignmentId: { description: 'Id of the assignment' } };
const vacancyId = { vacancyId: { description: 'Id of the vacancy (UUID)' } };
const mobilityId = { mobilityId: { description: 'Id of the mobility (UUID)' } };
const on = (what: string): ParameterDoc => ({ schema: date, description: `Day of ${what}; today (UTC) when absent` });
const departement: ParameterDoc = { schema: { type: 'string', pattern: '^(\\d{2}|2A|2B|\\d{3})$' }, description: 'Département code, e.g. 93, 2A, 974' };
const region: ParameterDoc = { schema: { type: 'string', pattern: '^\\d{2}$' }, description: 'Region code (2 digits)' };

const readErrors = (what: string) => ({ 400: problemDoc('Invalid parameter: `errors` lists each field and why'), 404: problemDoc(`No such ${what}`) });
const writeErrors = (what: string) => ({
  400: problemDoc('Invalid input: `errors` lists each field and why; nothing is written'),
  404: problemDoc(`No such ${what}`),
  409: problemDoc('Not allowed in the current state: `violations` lists each unmet condition'),
  412: problemDoc('The If-Match version is stale: read the resource again'),
});

const options = (req: WriteRequest): WriteOptions => ({
  ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }),
  context: req.context,
});

interface Change {
  readonly operationId: string;
  readonly tag: string;
  readonly path: string;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParameterDoc>>;
  readonly body: RouteBody;
  readonly answer: string;
  readonly what: string;
  readonly responses?: Readonly<Record<number, ResponseDoc>>;
  readonly run: (services: S, req: WriteRequest) => Promise<{ readonly version: number }>;
}

/** A write on an existing resource (If-Match optional), answering it with its new version. */
const change = (c: Change) =>
  write<S>({
    operationId: c.operationId,
    method: 'post',
    path: c.path,
    tags: [c.tag],
    summary: c.summary,
    params: c.params,
    ifMatch: 'optional',
    body: c.body,
    responses: { 200: versionedDoc(`The ${c.what} after the change`, c.answer), ...writeErrors(c.what), ...c.responses },
    handle: async (services, req) => versioned(await c.run(services, req)),
  });

const statute = [
  write<S>({
    operationId: 'PublishPayGrid',
    method: 'post',
    path: '/pay-grids',
    tags: ['statute'],
    summary: 'Publish a pay grid version (a decree or arrêté), effective from its date',
    ifMatch: 'none',
    body: { name: 'PublishPayGrid', schema: publishPayGridInput },
    responses: {
      201: {
        ...okDoc('The published version', 'PayGrid'),
        headers: { Location: { description: 'Where to read the grid in force on its date', schema: { type: 'string' } } },
      },
      400: problemDoc('Invalid grid: `errors` lists each field and why'),
      409: problemDoc('Another version was published under this id'),
    },
    handle: async ({ statute }, req) => {
      const grid = await statute.publishGrid(req.body, req.context);
      return { status: 201, body: grid, location: `/pay-grids/${grid.kind}?on=${grid.effectiveFrom}` };
    },
  }),
  read<S, 'on'>({
    operationId: 'GetPayGrid',
    method: 'get',
    path: '/pay-grids/{kind}',
    tags: ['statute'],
    summary: 'The grid version of a kind in force on a day; an FPH grid carries the index-point value in force that day',
    params: { kind: { schema: { enum: [...GRID_KINDS] } } },
    query: { on: on('the grid in force') },
    responses: { 200: okDoc('The grid version in force', 'PayGrid'), ...readErrors('grid in force that day') },
    handle: async ({ statute }, req) => {
      const grid = await statute.gridOn(req.params.kind, req.query.on);
      // An FPH grid carries the index-point value in force that day, absent when none is published that early.
      const indexPoint = grid.kind === 'fph' ? await statute.indexPointOn(req.query.on) : undefined;
      const body: PayGridResponse = indexPoint ? { ...grid, indexPoint } : grid;
      return ok(body);
    },
  }),
  write<S>({
    operationId: 'PublishIndexPointValue',
    method: 'post',
    path: '/index-point-values',
    tags: ['statute'],
    summary: 'Publish an index-point value (annual gross pay of indice majoré 100), effective from its date',
    ifMatch: 'none',
    body: { name: 'PublishIndexPointValue', schema: publishIndexPointInput },
    responses: {
      201: okDoc('The published value', 'IndexPointValue'),
      400: problemDoc('Invalid value'),
      409: problemDoc('Another value was published from this date'),
    },
    handle: async ({ statute }, req) => ({ status: 201, body: await statute.publishIndexPointValue(req.body, req.context) }),
  }),
  read<S>({
    operationId: 'GetStatute',
    method: 'get',
    path: '/statute',
    tags: ['statute'],
    summary: 'Every published grid version and index-point value',
    responses: { 200: okDoc('The statute', 'Statute') },
    handle: async ({ statute }) => ok(await statute.current()),
  }),
];

const professionals = [
  write<S>({
    operationId: 'HireProfessional',
    method: 'post',
    path: '/professionals',
    tags: ['professionals'],
    summary: 'Hire a professional on a grade and échelon',
    ifMatch: 'none',
    body: { name: 'HireProfessional', schema: hireProfessionalInput },
    responses: {
      201: createdDoc('Hired', 'Professional'),
      400: problemDoc('Invalid input (unknown grade, échelon out of range, ...): `errors` lists each field and why; nothing is written'),
    },
    handle: async ({ careers }, req) => {
      const view = await careers.hire(req.body, req.context);
      return created(view, `/professionals/${view.professionalId}`);
    },
  }),
  read<S, 'asOf'>({
    operationId: 'GetProfessional',
    method: 'get',
    path: '/professionals/{professionalId}',
    tags: ['professionals'],
    summary: 'A professional as of a day: grade and échelon the statute gives then, posts worked then',
    params: professionalId,
    query: { asOf: { schema: date, description: 'Day asked; today (UTC) when absent' } },
    responses: { 200: versionedDoc('The professional', 'Professional'), ...readErrors('professional (or not hired yet on that day)') },
    handle: async ({ careers }, req) => versioned(await careers.get(req.params.professionalId!, req.query.asOf)),
  }),
  read<S, 'on'>({
    operationId: 'ComputePay',
    method: 'get',
    path: '/professionals/{professionalId}/pay',
    tags: ['professionals'],
    summary: 'Gross pay on a day, computed from the statute, whole and by assignment',
    params: professionalId,
    query: { on: on('pay') },
    responses: {
      200: okDoc('The pay', 'Pay'),
      ...readErrors('professional (or not hired yet on that day)'),
      409: problemDoc('No grid or index-point value in force that day'),
    },
    handle: async ({ careers }, req) => ok(await careers.computePay(req.params.professionalId!, req.query.on)),
  }),
  read<S>({
    operationId: 'GetProfessionalHistory',
    method: 'get',
    path: '/professionals/{professionalId}/history',
    tags: ['professionals'],
    summary: 'Every recorded change of a professional',
    params: professionalId,
    responses: { 200: okDoc('The history', 'History'), 404: problemDoc('No such professional') },
    handle: async ({ careers }, req) => ok({ entries: (await careers.history(req.params.professionalId!)).map(toHistoryEntry) }),
  }),
  write<S>({
    operationId: 'AssignToCentre',
    method: 'post',
    path: '/professionals/{professionalId}/assignments',
    tags: ['professionals'],
    summary: 'Assign to a centre (the total FTE may not exceed 1 on any day); Location is where the assignment is read',
    params: professionalId,
    ifMatch: 'optional',
    body: { name: 'AssignToCentre', schema: assignToCentreInput },
    responses: { 201: createdDoc('The professional after the change', 'Professional', 'Where to read the assignment'), ...writeErrors('professional') },
    handle: async ({ careers }, req) => {
      const { assignmentId, professional } = await careers.assign(req.params.professionalId!, req.body, options(req));
      return created(professional, `/professionals/${professional.professionalId}/assignments/${assignmentId}`);
    },
  }),
  read<S>({
    operationId: 'GetAssignment',
    method: 'get',
    path: '/professionals/{professionalId}/assignments/{assignmentId}',
    tags: ['professionals'],
    summary: 'One assignment of a professional, past, running or future',
    params: { ...professionalId, ...assignmentId },
    responses: { 200: versionedDoc('The assignment, with the professional and its version', 'AssignmentRead'), ...readErrors('professional or assignment') },
    handle: async ({ careers }, req) => versioned(await careers.assignment(req.params.professionalId!, req.params.assignmentId!)),
  }),
  change({
    operationId: 'EndAssignment',
    tag: 'professionals',
    path: '/professionals/{professionalId}/assignments/{assignmentId}/end',
    summary: 'End an assignment: endOn is the first day no longer worked',
    params: { ...professionalId, ...assignmentId },
    // The assignment is named by the path.
    body: { name: 'EndAssignment', schema: endAssignmentInput.omit({ assignmentId: true }) },
    answer: 'Professional',
    what: 'professional',
    run: ({ careers }, req) =>
      careers.endAssignment(req.params.professionalId!, bodyWithPathField(req.body, 'assignmentId', req.params.assignmentId!), options(req)),
  }),
  change({
    operationId: 'PromoteProfessional',
    tag: 'professionals',
    path: '/professionals/{professionalId}/promotion',
    summary: 'Promote to another grade, classed at equal or immediately higher pay',
    params: professionalId,
    body: { name: 'Promote', schema: promoteInput },
    answer: 'Professional',
    what: 'professional',
    run: ({ careers }, req) => careers.promote(req.params.professionalId!, req.body, options(req)),
  }),
  change({
    operationId: 'RecordExit',
    tag: 'professionals',
    path: '/professionals/{professionalId}/exit',
    summary: 'Record that the professional leaves the network: exitOn is the first day out; assignments still running end that day',
    params: professionalId,
    body: { name: 'RecordExit', schema: recordExitInput },
    answer: 'Professional',
    what: 'professional',
    run: ({ careers }, req) => careers.recordExit(req.params.professionalId!, req.body, options(req)),
  }),
];

const vacancies = [
  write<S>({
    operationId: 'PostVacancy',
    method: 'post',
    path: '/vacancies',
    tags: ['vacancies'],
    summary: 'Post a vacancy at a centre',
    ifMatch: 'none',
    body: { name: 'PostVacancy', schema: postVacancyInput },
    responses: {
      201: createdDoc('Posted', 'Vacancy'),
      400: problemDoc('Invalid input; nothing is written'),
      409: problemDoc('The centre is unknown or closed then: `violations` says why'),
    },
    handle: async ({ vacancies }, req) => {
      const view = await vacancies.post(req.body, req.context);
      return created(view, `/vacancies/${view.vacancyId}`);
    },
  }),
  read<S, 'departement' | 'region' | 'profession' | 'status' | 'pageSize' | 'pageToken'>({
    operationId: 'ListVacancies',
    method: 'get',
    path: '/vacancies',
    tags: ['vacancies'],
    summary: 'List vacancies by territory, profession and status',
    query: {
      departement,
      region,
      profession: { schema: { enum: [...PROFESSIONS] } },
      status: { schema: { enum: [...VACANCY_STATUSES] } },
      ...pageParams(50, 500),
    },
    responses: { 200: okDoc('A page of vacancies', 'VacancyPage'), 400: problemDoc('Invalid filter') },
    handle: async ({ vacancies }, req) => ok(await vacancies.list(req.query)),
  }),
  read<S>({
    operationId: 'GetVacancy',
    method: 'get',
    path: '/vacancies/{vacancyId}',
    tags: ['vacancies'],
    summary: 'A vacancy',
    params: vacancyId,
    responses: { 200: versionedDoc('The vacancy', 'Vacancy'), 404: problemDoc('No such vacancy') },
    handle: async ({ vacancies }, req) => versioned(await vacancies.get(req.params.vacancyId!)),
  }),
  change({
    operationId: 'CancelVacancy',
    tag: 'vacancies',
    path: '/vacancies/{vacancyId}/cancellation',
    summary: 'Cancel an open vacancy',
    params: vacancyId,
    body: { name: 'CancelVacancy', schema: cancelVacancyInput },
    answer: 'Vacancy',
    what: 'vacancy',
    run: ({ vacancies }, req) => vacancies.cancel(req.params.vacancyId!, req.body, options(req)),
  }),
];

/**
 * Mobility: requested for a vacancy, an opinion from each centre (the actor is X-PCN-Actor), a
 * coordinator's decision; an approved movement is applied shortly after (`movement.status`).
 */
const mobilities = [
  write<S>({
    operationId: 'RequestMobility',
    method: 'post',
    path: '/mobilities',
    tags: ['mobilities'],
    summary: 'Request a mobility of a professional to a vacancy',
    ifMatch: 'none',
    body: { name: 'RequestMobility', schema: requestMobilityInput },
    responses: {
      201: createdDoc('Requested', 'Mobility'),
      400: problemDoc('Invalid input; nothing is written'),
      404: problemDoc('No such professional or vacancy'),
      409: problemDoc('The mobility cannot be requested: `violations` lists each unmet condition'),
    },
    handle: async ({ mobilities }, req) => {
      const view = await mobilities.request(req.body, req.context);
      return created(view, `/mobilities/${view.mobilityId}`);
    },
  }),
  read<S>({
    operationId: 'GetMobility',
    method: 'get',
    path: '/mobilities/{mobilityId}',
    tags: ['mobilities'],
    summary: 'A mobility; once approved, `movement.status` says whether the assignments have moved',
    params: mobilityId,
    responses: { 200: versionedDoc('The mobility', 'Mobility'), 404: problemDoc('No such mobility') },
    handle: async ({ mobilities }, req) => versioned(await mobilities.get(req.params.mobilityId!)),
  }),
  change({
    operationId: 'GiveMobilityOpinion',
    tag: 'mobilities',
    path: '/mobilities/{mobilityId}/opinions',
    summary: "A centre's opinion (origin or destination); X-PCN-Actor says who gives it",
    params: mobilityId,
    body: { name: 'GiveOpinion', schema: giveOpinionInput },
    answer: 'Mobility',
    what: 'mobility',
    run: ({ mobilities }, req) => mobilities.giveOpinion(req.params.mobilityId!, req.body, options(req)),
  }),
  change({
    operationId: 'DecideMobility',
    tag: 'mobilities',
    path: '/mobilities/{mobilityId}/decision',
    summary: "A coordinator's decision, once both opinions are given",
    params: mobilityId,
    body: { name: 'DecideMobility', schema: decideMobilityInput },
    answer: 'Mobility',
    what: 'mobility',
    run: ({ mobilities }, req) => mobilities.decide(req.params.mobilityId!, req.body, options(req)),
  }),
  change({
    operationId: 'WithdrawMobility',
    tag: 'mobilities',
    path: '/mobilities/{mobilityId}/withdrawal',
    summary: 'Withdraw a pending mobility: only the professional may (X-PCN-Actor is their id); on `on`, today by default',
    params: mobilityId,
    body: { name: 'WithdrawMobility', schema: withdrawMobilityInput, required: false },
    answer: 'Mobility',
    what: 'mobility',
    responses: { 403: problemDoc('Only the professional may withdraw; a coordinator rejects instead') },
    run: ({ mobilities }, req) => mobilities.withdraw(req.params.mobilityId!, req.body ?? {}, options(req)),
  }),
];

/** A centre's team on a day, the network's reports, and the advancement run coordinators may trigger. */
const reports = [
  read<S, 'on' | 'pageSize' | 'pageToken'>({
    operationId: 'ListCentreTeam',
    method: 'get',
    path: '/centres/{finess}/team',
    tags: ['reports'],
    summary: "A centre's team on a day: every post worked there and who holds it",
    params: { finess: { description: 'FINESS géographique of the centre' } },
    query: { on: on('the team'), ...pageParams(100, 1000) },
    responses: {
      200: okDoc('A page of the team', 'TeamPage'),
      400: problemDoc('Invalid FINESS or parameter'),
      404: problemDoc('No registry event about this centre has reached the staff service'),
    },
    handle: async ({ teams }, req) => ok(await teams.team(req.params.finess!, req.query)),
  }),
  read<S, 'departement' | 'region'>({
    operationId: 'GetVacancyReport',
    method: 'get',
    path: '/reports/vacancies',
    tags: ['reports'],
    summary: 'Open vacancies per territory and profession, with their FTE',
    query: { departement, region },
    responses: { 200: okDoc('The report', 'VacancyReport'), 400: problemDoc('Invalid filter') },
    handle: async ({ vacancies }, req) => ok(await vacancies.report(req.query)),
  }),
  read<S, 'on'>({
    operationId: 'GetPayEquityReport',
    method: 'get',
    path: '/reports/pay-equity',
    tags: ['reports'],
    summary: 'Pay equity on a day: posts grouped by grid position; a position paid two amounts is a defect',
    query: { on: on('the report') },
    responses: { 200: okDoc('The report', 'PayEquityReport'), 400: problemDoc('Invalid date') },
    handle: async ({ teams }, req) => ok(await teams.payEquity(req.query)),
  }),
  // The scheduled process, run now: records every échelon advancement served by `on` (today).
  read<S>({
    operationId: 'RunAdvancements',
    method: 'post',
    path: '/advancements/run',
    tags: ['operations'],
    summary: 'Run the scheduled process now: record every échelon advancement served by a day (today by default)',
    body: { name: 'RunAdvancements', schema: onDateInput, required: false },
    responses: { 200: okDoc('What the run recorded', 'AdvancementRun'), 400: problemDoc('Invalid date') },
    handle: async ({ careers }, req) => ok(await careers.recordAdvancementsDue(parseInput(onDateInput, req.body ?? {}).on)),
  }),
];

/**
 * REST for coordinators, at `/v1/staff`. Writes on an existing resource may carry If-Match: a
 * stale version is refused (412); without it the write is decided again on a conflict, against
 * the latest state. Single resources carry their version as the ETag.
 */
export const staffRoutes = new RouteTable<S>({
  service: 'staff',
  prefix: '/v1/staff',
  info: {
    title: 'PCN staff: statute, careers, vacancies and mobility',
    description:
      'Coordinators publish pay grids, hire professionals, assign them to centres, post vacancies and decide mobilities. ' +
      'Writes on an existing resource may carry If-Match (a stale version answers 412); single resources carry their version as the ETag. ' +
      'Errors are RFC 9457 problem+json.',
  },
  tags: ['statute', 'professionals', 'vacancies', 'mobilities', 'reports', 'operations'],
  schemas: staffSchemas,
  routes: [...statute, ...professionals, ...vacancies, ...mobilities, ...reports],
});
