import { MAX_PAGE, TERRITORY_KINDS } from '../../application/schemas';
import {
  body,
  commune,
  created,
  date,
  etagHeader,
  finess,
  invalid,
  ok,
  pageQueries,
  pathParam,
  problem,
  query,
  refused,
  rpps,
  updateHeaders,
  versioned,
  writeHeaders,
} from './openapi-parts';
import { attributionSchemas } from './openapi-schemas';

const PREFIX = '/v1/attribution';

const patientId = pathParam('patientId', 'Pseudonymous id of the patient (32 lowercase hexadecimal characters), as registration or lookup answered it', {
  type: 'string',
  pattern: '^[0-9a-f]{32}$',
});
const rppsParam = pathParam('rpps', 'RPPS number of the GP', rpps);
const finessParam = pathParam('finess', 'FINESS géographique of the centre', finess);
const proposalId = pathParam('proposalId', 'Id of the proposal (UUID), as the match answered it', { type: 'string', format: 'uuid' });
const asOf = (what: string) => query('asOf', date, `Day of ${what}; today (UTC) when absent`);

const noSuchPatient = problem('No patient registered under this id');
const noSuchProposal = problem('No such proposal');
const ifMatchRefused = 'or an If-Match header: this write is decided against the latest state and takes none';

interface PatientWrite {
  readonly tag: string;
  readonly summary: string;
  readonly params: readonly object[];
  readonly body?: { readonly schema: string; readonly required: boolean };
  /** The unmet conditions a 409 may name. */
  readonly conditions: string;
  readonly status?: 200 | 201;
  readonly answer?: object;
  readonly notFound?: object;
}

/** A write on a patient, answering the patient after it with their revision as the ETag. */
const patientWrite = (w: PatientWrite) => ({
  post: {
    tags: [w.tag],
    summary: w.summary,
    parameters: [...w.params, ...writeHeaders],
    ...(w.body && body(w.body.schema, w.body.required)),
    responses: {
      [w.status ?? 200]: w.answer ?? versioned('The patient after the change', 'Patient'),
      400: invalid(`Invalid input (${ifMatchRefused})`),
      404: w.notFound ?? noSuchPatient,
      409: refused(w.conditions),
    },
  },
});

const patientPaths = {
  '/patients': {
    post: {
      tags: ['patients'],
      summary: 'Register a patient from their NIR; the patient id is a keyed hash of it, so the same NIR always finds the same patient',
      parameters: writeHeaders,
      ...body('RegisterPatient'),
      responses: {
        201: created('Registered (the NIR is not answered)', 'Patient', 'Where to read the patient'),
        400: invalid('Invalid input (a bad NIR, a commune not in the reference list, a profile contradicting the NIR, ...)'),
        409: problem('A patient with this NIR is already registered'),
      },
    },
  },
  '/patients/lookup': {
    post: {
      tags: ['patients'],
      summary: 'Find a patient by NIR. The NIR goes in the body, never in a URL: URLs end up in access logs',
      ...body('LookupPatient'),
      responses: {
        200: {
          ...versioned('The patient', 'Patient'),
          headers: { ...etagHeader, 'Content-Location': { description: 'Where to read the patient by id', schema: { type: 'string' } } },
        },
        400: invalid('Invalid NIR'),
        404: problem('No patient registered with this NIR'),
      },
    },
  },
  '/patients/{patientId}': {
    get: {
      tags: ['patients'],
      summary: 'A patient: profile, current médecin traitant, waitlist entry and pending proposal',
      parameters: [patientId],
      responses: { 200: versioned('The patient', 'Patient'), 400: invalid('Invalid patient id'), 404: noSuchPatient },
    },
    patch: {
      tags: ['patients'],
      summary: 'Update a patient: the fields given replace the current ones, the others stay',
      parameters: [patientId, ...updateHeaders],
      ...body('UpdatePatient'),
      responses: {
        200: versioned('The patient after the update', 'Patient'),
        400: invalid(),
        404: noSuchPatient,
        412: problem('The If-Match version is stale: read the patient again'),
      },
    },
  },
  '/patients/{patientId}/attribution': {
    get: {
      tags: ['attributions'],
      summary: 'The current médecin traitant and every past one, oldest first',
      parameters: [patientId],
      responses: { 200: ok('The attributions', 'AttributionHistory'), 400: invalid('Invalid patient id'), 404: noSuchPatient },
    },
  },
  '/patients/{patientId}/declarations': patientWrite({
    tag: 'attributions',
    summary: 'Declare a médecin traitant from an effective date (backdating allowed): it ends the current one that day',
    params: [patientId],
    body: { schema: 'DeclareMedecinTraitant', required: true },
    conditions:
      "the centre is not a member, the GP is not assigned there on the date, or the GP's panel is full: then `detail` and the PANEL_CAPACITY violation give the count and the capacity",
    status: 201,
    answer: created('Declared: the patient with their new médecin traitant', 'Patient', 'Where to read the attributions'),
  }),
  '/patients/{patientId}/attribution/end': patientWrite({
    tag: 'attributions',
    summary: 'End the current attribution (patient’s request, death, moved away): endDate is the first day without',
    params: [patientId],
    body: { schema: 'EndAttribution', required: true },
    conditions: 'the patient has no médecin traitant, or the end precedes its start',
  }),
  '/patients/{patientId}/erasure': patientWrite({
    tag: 'patients',
    summary:
      'Erase the patient’s personal data (GDPR art. 17): their key is destroyed, their events stay unreadable, the read models drop them, PatientErased is published; a current attribution ends today. A retry answers the same',
    params: [patientId],
    conditions: 'none: an erasure is always possible',
    answer: ok('The erasure', 'PatientErasure'),
  }),
  '/patients/{patientId}/waitlist': patientWrite({
    tag: 'waitlist',
    summary: 'Enrol a patient without a médecin traitant on the waitlist: by a centre (centreFiness) or, without one, by a coordinator',
    params: [patientId],
    body: { schema: 'EnrolOnWaitlist', required: false },
    conditions: 'the patient has a médecin traitant or is waiting already, or the centre is not a member',
  }),
};

const practitionerPaths = {
  '/practitioners/{rpps}/panel': {
    get: {
      tags: ['panels'],
      summary: "A GP's panel: count, capacity, and a page of the patients on it",
      parameters: [rppsParam, ...pageQueries(100, MAX_PAGE)],
      responses: { 200: ok('The panel', 'GpPanel'), 400: invalid('Invalid RPPS or parameter') },
    },
  },
  '/practitioners/{rpps}/panel/capacity': {
    put: {
      tags: ['panels'],
      summary: "Set a GP's capacity (null: back to assigned FTE × panel norm). Patients already on the panel stay",
      parameters: [rppsParam, ...writeHeaders],
      ...body('SetPanelCapacity'),
      responses: { 200: ok('The panel with its new capacity (first page)', 'GpPanel'), 400: invalid(`Invalid input (${ifMatchRefused})`) },
    },
  },
};

const centrePaths = {
  '/centres/{finess}/roster': {
    get: {
      tags: ['reports'],
      summary: "A centre's roster on a day: its patients with a médecin traitant there, what capitation billing uses",
      parameters: [finessParam, asOf('the roster'), ...pageQueries(500, MAX_PAGE)],
      responses: { 200: ok('A page of the roster', 'CentreRoster'), 400: invalid('Invalid FINESS or parameter') },
    },
  },
};

const waitlistPaths = {
  '/waitlist/matches': {
    post: {
      tags: ['waitlist'],
      summary:
        'Match the waitlist of a territory: each waiting patient, by priority (ALD, 70 and over, C2S, waiting time), is proposed the nearest GP with room within reach',
      parameters: writeHeaders,
      ...body('MatchWaitlist'),
      responses: {
        200: ok('The proposals made and the patients left unmatched', 'WaitlistMatch'),
        400: invalid(`Invalid input (${ifMatchRefused})`),
        404: problem('No such territory'),
      },
    },
  },
  '/proposals/{proposalId}/confirm': patientWrite({
    tag: 'waitlist',
    summary: 'The centre confirms a proposal: it becomes a declaration, from today, with the capacity checked again',
    params: [proposalId],
    conditions: "the proposal was answered already, the GP's panel is full or the GP gone",
    notFound: noSuchProposal,
  }),
  '/proposals/{proposalId}/decline': patientWrite({
    tag: 'waitlist',
    summary: 'The centre declines a proposal: the patient keeps their place and waiting date',
    params: [proposalId],
    body: { schema: 'DeclineProposal', required: true },
    conditions: 'the proposal was answered already',
    notFound: noSuchProposal,
  }),
};

const territoryQueries = TERRITORY_KINDS.map((kind) =>
  query(
    kind,
    kind === 'commune' ? commune : { type: 'string' },
    `${kind === 'commune' ? 'INSEE code of the commune' : kind === 'departement' ? 'Département code, e.g. 93, 2A, 974' : 'Région code, e.g. 11'}: give exactly one of ${TERRITORY_KINDS.join(', ')}`,
  ),
);

const reportPaths = {
  '/coverage': {
    get: {
      tags: ['reports'],
      summary:
        'Coverage of a territory on a day: inhabitants (2021 census), patients with and without a médecin traitant, chronic patients without one; and one level down',
      parameters: [...territoryQueries, asOf('the figures')],
      responses: {
        200: ok('The coverage', 'Coverage'),
        400: invalid('None or several of commune, departement, region, or an invalid one'),
        404: problem('No such territory'),
      },
    },
  },
};

const prefixed = (paths: Record<string, object>): Record<string, object> =>
  Object.fromEntries(Object.entries(paths).map(([path, item]) => [`${PREFIX}${path}`, item]));

/** OpenAPI 3.1 document of the attribution service's REST API (mounted at /v1/attribution). */
export function attributionOpenApi(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'PCN attribution: médecin traitant, panels and waitlist',
      version: '1.0.0',
      description:
        'Coordinators register patients, declare and end médecins traitants, set panel capacities, match the waitlist and read rosters and coverage. ' +
        'A patient is named by a pseudonymous id; the NIR only travels in request bodies (registration, lookup) and is never answered. ' +
        'Patients carry their revision as the ETag; a PATCH may carry If-Match (a stale version answers 412); the other writes are decided against the latest state and refuse If-Match. ' +
        'Errors are RFC 9457 problem+json.',
    },
    tags: [{ name: 'patients' }, { name: 'attributions' }, { name: 'panels' }, { name: 'waitlist' }, { name: 'reports' }],
    paths: prefixed({ ...patientPaths, ...practitionerPaths, ...centrePaths, ...waitlistPaths, ...reportPaths }),
    components: { schemas: attributionSchemas },
  };
}
