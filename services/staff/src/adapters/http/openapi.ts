import { GRID_KINDS } from '../../domain/statute/pay-grid';
import { PROFESSIONS } from '../../domain/professional/profession';
import { VACANCY_STATUSES } from '../../domain/vacancy/vacancy-state';
import {
  body,
  created,
  createHeaders,
  date,
  ok,
  onQuery,
  pageQueries,
  pathParam,
  problem,
  query,
  readErrors,
  versioned,
  writeErrors,
  writeHeaders,
} from './openapi-parts';
import { staffSchemas } from './openapi-schemas';

const PREFIX = '/v1/staff';

const professionalId = pathParam('professionalId', 'Id of the professional (UUID)');
const vacancyId = pathParam('vacancyId', 'Id of the vacancy (UUID)');
const mobilityId = pathParam('mobilityId', 'Id of the mobility (UUID)');
const departement = query('departement', { type: 'string', pattern: '^(\\d{2}|2A|2B|\\d{3})$' }, 'Département code, e.g. 93, 2A, 974');
const region = query('region', { type: 'string', pattern: '^\\d{2}$' }, 'Region code (2 digits)');

/** A write on an existing resource, answering it with its new version. */
const write = (
  operationId: string,
  tag: string,
  summary: string,
  params: object[],
  requestBody: string | undefined,
  answer: string,
  what: string,
  status = 200,
) => ({
  post: {
    operationId,
    tags: [tag],
    summary,
    parameters: [...params, ...writeHeaders],
    ...(requestBody && body(requestBody)),
    responses: { [status]: versioned(`The ${what} after the change`, answer), ...writeErrors(what) },
  },
});

const statutePaths = {
  '/pay-grids': {
    post: {
      operationId: 'PublishPayGrid',
      tags: ['statute'],
      summary: 'Publish a pay grid version (a decree or arrêté), effective from its date',
      parameters: createHeaders,
      ...body('PublishPayGrid'),
      responses: {
        201: {
          ...ok('The published version', 'PayGrid'),
          headers: { Location: { description: 'Where to read the grid in force on its date', schema: { type: 'string' } } },
        },
        400: problem('Invalid grid: `errors` lists each field and why'),
        409: problem('Another version was published under this id'),
      },
    },
  },
  '/pay-grids/{kind}': {
    get: {
      operationId: 'GetPayGrid',
      tags: ['statute'],
      summary: 'The grid version of a kind in force on a day; an FPH grid carries the index-point value in force that day',
      parameters: [{ name: 'kind', in: 'path', required: true, schema: { enum: GRID_KINDS } }, onQuery('the grid in force')],
      responses: { 200: ok('The grid version in force', 'PayGrid'), ...readErrors('grid in force that day') },
    },
  },
  '/index-point-values': {
    post: {
      operationId: 'PublishIndexPointValue',
      tags: ['statute'],
      summary: 'Publish an index-point value (annual gross pay of indice majoré 100), effective from its date',
      parameters: createHeaders,
      ...body('PublishIndexPointValue'),
      responses: {
        201: ok('The published value', 'IndexPointValue'),
        400: problem('Invalid value'),
        409: problem('Another value was published from this date'),
      },
    },
  },
  '/statute': {
    get: {
      operationId: 'GetStatute',
      tags: ['statute'],
      summary: 'Every published grid version and index-point value',
      responses: { 200: ok('The statute', 'Statute') },
    },
  },
};

const professionalPaths = {
  '/professionals': {
    post: {
      operationId: 'HireProfessional',
      tags: ['professionals'],
      summary: 'Hire a professional on a grade and échelon',
      parameters: createHeaders,
      ...body('HireProfessional'),
      responses: {
        201: created('Hired', 'Professional'),
        400: problem('Invalid input (unknown grade, échelon out of range, ...): `errors` lists each field and why; nothing is written'),
      },
    },
  },
  '/professionals/{professionalId}': {
    get: {
      operationId: 'GetProfessional',
      tags: ['professionals'],
      summary: 'A professional as of a day: grade and échelon the statute gives then, posts worked then',
      parameters: [professionalId, query('asOf', date, 'Day asked; today (UTC) when absent')],
      responses: { 200: versioned('The professional', 'Professional'), ...readErrors('professional (or not hired yet on that day)') },
    },
  },
  '/professionals/{professionalId}/pay': {
    get: {
      operationId: 'ComputePay',
      tags: ['professionals'],
      summary: 'Gross pay on a day, computed from the statute, whole and by assignment',
      parameters: [professionalId, onQuery('pay')],
      responses: {
        200: ok('The pay', 'Pay'),
        ...readErrors('professional (or not hired yet on that day)'),
        409: problem('No grid or index-point value in force that day'),
      },
    },
  },
  '/professionals/{professionalId}/history': {
    get: {
      operationId: 'GetProfessionalHistory',
      tags: ['professionals'],
      summary: 'Every recorded change of a professional',
      parameters: [professionalId],
      responses: { 200: ok('The history', 'History'), 404: problem('No such professional') },
    },
  },
  '/professionals/{professionalId}/assignments': {
    post: {
      operationId: 'AssignToCentre',
      tags: ['professionals'],
      summary: 'Assign to a centre (the total FTE may not exceed 1 on any day); Location is where the assignment is read',
      parameters: [professionalId, ...writeHeaders],
      ...body('AssignToCentre'),
      responses: { 201: created('The professional after the change', 'Professional'), ...writeErrors('professional') },
    },
  },
  '/professionals/{professionalId}/assignments/{assignmentId}': {
    get: {
      operationId: 'GetAssignment',
      tags: ['professionals'],
      summary: 'One assignment of a professional, past, running or future',
      parameters: [professionalId, pathParam('assignmentId', 'Id of the assignment')],
      responses: { 200: versioned('The assignment, with the professional and its version', 'AssignmentRead'), ...readErrors('professional or assignment') },
    },
  },
  '/professionals/{professionalId}/assignments/{assignmentId}/end': write(
    'EndAssignment',
    'professionals',
    'End an assignment: endOn is the first day no longer worked',
    [professionalId, pathParam('assignmentId', 'Id of the assignment')],
    'EndAssignment',
    'Professional',
    'professional',
  ),
  '/professionals/{professionalId}/promotion': write(
    'PromoteProfessional',
    'professionals',
    'Promote to another grade, classed at equal or immediately higher pay',
    [professionalId],
    'Promote',
    'Professional',
    'professional',
  ),
  '/professionals/{professionalId}/exit': write(
    'RecordExit',
    'professionals',
    'Record that the professional leaves the network: exitOn is the first day out; assignments still running end that day',
    [professionalId],
    'RecordExit',
    'Professional',
    'professional',
  ),
};

const vacancyPaths = {
  '/vacancies': {
    post: {
      operationId: 'PostVacancy',
      tags: ['vacancies'],
      summary: 'Post a vacancy at a centre',
      parameters: createHeaders,
      ...body('PostVacancy'),
      responses: {
        201: created('Posted', 'Vacancy'),
        400: problem('Invalid input; nothing is written'),
        409: problem('The centre is unknown or closed then: `violations` says why'),
      },
    },
    get: {
      operationId: 'ListVacancies',
      tags: ['vacancies'],
      summary: 'List vacancies by territory, profession and status',
      parameters: [departement, region, query('profession', { enum: PROFESSIONS }), query('status', { enum: VACANCY_STATUSES }), ...pageQueries(50, 500)],
      responses: { 200: ok('A page of vacancies', 'VacancyPage'), 400: problem('Invalid filter') },
    },
  },
  '/vacancies/{vacancyId}': {
    get: {
      operationId: 'GetVacancy',
      tags: ['vacancies'],
      summary: 'A vacancy',
      parameters: [vacancyId],
      responses: { 200: versioned('The vacancy', 'Vacancy'), 404: problem('No such vacancy') },
    },
  },
  '/vacancies/{vacancyId}/cancellation': write('CancelVacancy', 'vacancies', 'Cancel an open vacancy', [vacancyId], 'CancelVacancy', 'Vacancy', 'vacancy'),
};

const mobilityPaths = {
  '/mobilities': {
    post: {
      operationId: 'RequestMobility',
      tags: ['mobilities'],
      summary: 'Request a mobility of a professional to a vacancy',
      parameters: createHeaders,
      ...body('RequestMobility'),
      responses: {
        201: created('Requested', 'Mobility'),
        400: problem('Invalid input; nothing is written'),
        404: problem('No such professional or vacancy'),
        409: problem('The mobility cannot be requested: `violations` lists each unmet condition'),
      },
    },
  },
  '/mobilities/{mobilityId}': {
    get: {
      operationId: 'GetMobility',
      tags: ['mobilities'],
      summary: 'A mobility; once approved, `movement.status` says whether the assignments have moved',
      parameters: [mobilityId],
      responses: { 200: versioned('The mobility', 'Mobility'), 404: problem('No such mobility') },
    },
  },
  '/mobilities/{mobilityId}/opinions': write(
    'GiveMobilityOpinion',
    'mobilities',
    "A centre's opinion (origin or destination); X-PCN-Actor says who gives it",
    [mobilityId],
    'GiveOpinion',
    'Mobility',
    'mobility',
  ),
  '/mobilities/{mobilityId}/decision': write(
    'DecideMobility',
    'mobilities',
    "A coordinator's decision, once both opinions are given",
    [mobilityId],
    'DecideMobility',
    'Mobility',
    'mobility',
  ),
  '/mobilities/{mobilityId}/withdrawal': (() => {
    const { post } = write(
      'WithdrawMobility',
      'mobilities',
      'Withdraw a pending mobility: only the professional may (X-PCN-Actor is their id); on `on`, today by default',
      [mobilityId],
      undefined,
      'Mobility',
      'mobility',
    );
    return {
      post: {
        ...post,
        ...body('WithdrawMobility', false),
        responses: { ...post.responses, 403: problem('Only the professional may withdraw; a coordinator rejects instead') },
      },
    };
  })(),
};

const reportPaths = {
  '/centres/{finess}/team': {
    get: {
      operationId: 'ListCentreTeam',
      tags: ['reports'],
      summary: "A centre's team on a day: every post worked there and who holds it",
      parameters: [pathParam('finess', 'FINESS géographique of the centre'), onQuery('the team'), ...pageQueries(100, 1000)],
      responses: {
        200: ok('A page of the team', 'TeamPage'),
        400: problem('Invalid FINESS or parameter'),
        404: problem('No registry event about this centre has reached the staff service'),
      },
    },
  },
  '/reports/vacancies': {
    get: {
      operationId: 'GetVacancyReport',
      tags: ['reports'],
      summary: 'Open vacancies per territory and profession, with their FTE',
      parameters: [departement, region],
      responses: { 200: ok('The report', 'VacancyReport'), 400: problem('Invalid filter') },
    },
  },
  '/reports/pay-equity': {
    get: {
      operationId: 'GetPayEquityReport',
      tags: ['reports'],
      summary: 'Pay equity on a day: posts grouped by grid position; a position paid two amounts is a defect',
      parameters: [onQuery('the report')],
      responses: { 200: ok('The report', 'PayEquityReport'), 400: problem('Invalid date') },
    },
  },
  '/advancements/run': {
    post: {
      operationId: 'RunAdvancements',
      tags: ['operations'],
      summary: 'Run the scheduled process now: record every échelon advancement served by a day (today by default)',
      ...body('RunAdvancements', false),
      responses: { 200: ok('What the run recorded', 'AdvancementRun'), 400: problem('Invalid date') },
    },
  },
};

const prefixed = (paths: Record<string, object>): Record<string, object> =>
  Object.fromEntries(Object.entries(paths).map(([path, item]) => [`${PREFIX}${path}`, item]));

/** OpenAPI 3.1 document of the staff service's REST API (mounted at /v1/staff). */
export function staffOpenApi(): object {
  return {
    openapi: '3.1.0',
    'x-pcn-service': 'staff',
    info: {
      title: 'PCN staff: statute, careers, vacancies and mobility',
      version: '1.0.0',
      description:
        'Coordinators publish pay grids, hire professionals, assign them to centres, post vacancies and decide mobilities. ' +
        'Writes on an existing resource may carry If-Match (a stale version answers 412); single resources carry their version as the ETag. ' +
        'Errors are RFC 9457 problem+json.',
    },
    tags: [{ name: 'statute' }, { name: 'professionals' }, { name: 'vacancies' }, { name: 'mobilities' }, { name: 'reports' }, { name: 'operations' }],
    paths: prefixed({ ...statutePaths, ...professionalPaths, ...vacancyPaths, ...mobilityPaths, ...reportPaths }),
    components: { schemas: staffSchemas },
  };
}
