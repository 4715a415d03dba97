import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
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
  type ReadRequest,
  type ResponseDoc,
  type RouteBody,
  type WriteRequest,
} from '@pcn/http';
import { parseInput } from '@pcn/validation';
import type { AttributionServices } from '../../application/attribution-services';
import {
  declareInput,
  declineInput,
  endAttributionInput,
  enrolInput,
  matchInput,
  MAX_PAGE,
  registerPatientInput,
  setCapacityInput,
  TERRITORY_KINDS,
  updatePatientInput,
} from '../../application/schemas';
import type { CoverageFigures, CoverageView, PatientView } from '../../application/views';
import { attributionSchemas, commune, documentCheckedFields, finess, rpps } from './openapi-schemas';
import { PATIENT_PATH_FIELDS, lookupInput, renamingFields } from './request-parts';
import { actingOf } from '../acting';

type S = AttributionServices;

const date = { type: 'string', format: 'date' } as const;
const patientId = {
  patientId: {
    description: 'Pseudonymous id of the patient (32 lowercase hexadecimal characters), as registration or lookup answered it',
    schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  },
} as const;
const proposalId = { proposalId: { description: 'Id of the proposal (UUID), as the match answered it', schema: { type: 'string', format: 'uuid' } } } as const;
const asOf = (what: string): ParameterDoc => ({ schema: date, description: `Day of ${what}; today (UTC) when absent` });

const invalid = (what = 'Invalid input') => problemDoc(`${what}: \`errors\` lists each field and why; nothing is written`);
const refused = (conditions: string) => problemDoc(`Not allowed in the current state (${conditions}): \`violations\` lists each unmet condition`);
const noSuchPatient = problemDoc('No patient registered under this id');
const noSuchProposal = problemDoc('No such proposal');
const ifMatchRefused = 'or an If-Match header: this write is decided against the latest state and takes none';

const patientOf = (req: ReadRequest) => ({ patientId: req.params.patientId! });
/** A call naming the patient by the path, its errors named after the path parameter. */
const onPatient = <T>(call: () => Promise<T>): Promise<T> => renamingFields(PATIENT_PATH_FIELDS, call);

interface PatientWrite {
  readonly operationId: string;
  readonly tag: string;
  readonly path: string;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParameterDoc>>;
  readonly body?: RouteBody;
  /** The unmet conditions a 409 may name. */
  readonly conditions: string;
  readonly answer?: Readonly<Record<number, ResponseDoc>>;
  readonly notFound?: ResponseDoc;
  readonly run: (services: S, req: WriteRequest) => Promise<PatientView>;
}

/**
 * A write on a patient decided against the latest state of the patient's and the panels'
 * streams (the invariants hold there, whatever the caller last read): If-Match is refused.
 * It answers the patient after it, with their revision as the ETag.
 */
const patientWrite = (w: PatientWrite) =>
  write<S>({
    operationId: w.operationId,
    method: 'post',
    path: w.path,
    tags: [w.tag],
    summary: w.summary,
    params: w.params,
    ifMatch: 'refused',
    ...(w.body && { body: w.body }),
    responses: {
      ...(w.answer ?? { 200: versionedDoc('The patient after the change', 'Patient') }),
      400: invalid(`Invalid input (${ifMatchRefused})`),
      404: w.notFound ?? noSuchPatient,
      409: refused(w.conditions),
    },
    handle: async (services, req) => versioned(await w.run(services, req)),
  });

const patients = [
  write<S>({
    operationId: 'RegisterPatient',
    method: 'post',
    path: '/patients',
    tags: ['patients'],
    summary: 'Register a patient from their NIR; the patient id is a keyed hash of it, so the same NIR always finds the same patient',
    ifMatch: 'none',
    body: { name: 'RegisterPatient', schema: registerPatientInput },
    responses: {
      201: createdDoc('Registered (the NIR is not answered)', 'Patient', 'Where to read the patient'),
      400: invalid('Invalid input (a bad NIR, a commune not in the reference list, a profile contradicting the NIR, ...)'),
      409: problemDoc('A patient with this NIR is already registered'),
    },
    handle: async ({ patients }, req) => {
      const view = await patients.register(req.body, req.context);
      return created(view, `/patients/${view.patientId}`);
    },
  }),
  read<S>({
    operationId: 'LookupPatient',
    method: 'post',
    path: '/patients/lookup',
    tags: ['patients'],
    summary: 'Find a patient by NIR. The NIR goes in the body, never in a URL: URLs end up in access logs',
    body: { name: 'LookupPatient', schema: lookupInput },
    responses: {
      200: {
        ...versionedDoc('The patient', 'Patient'),
        headers: {
          ETag: { description: 'Version of the resource (use it as If-Match)', schema: { type: 'string' } },
          'Content-Location': { description: 'Where to read the patient by id', schema: { type: 'string' } },
        },
      },
      400: invalid('Invalid NIR'),
      404: problemDoc('No patient registered with this NIR'),
    },
    handle: async ({ patients }, req) => {
      const { nir } = parseInput(lookupInput, req.body ?? {});
      const view = await patients.get({ nir });
      return { ...versioned(view), contentLocation: `/patients/${view.patientId}` };
    },
  }),
  read<S>({
    operationId: 'GetPatient',
    method: 'get',
    path: '/patients/{patientId}',
    tags: ['patients'],
    summary: 'A patient: profile, current médecin traitant, waitlist entry and pending proposal',
    params: patientId,
    responses: { 200: versionedDoc('The patient', 'Patient'), 400: invalid('Invalid patient id'), 404: noSuchPatient },
    handle: async ({ patients }, req) => versioned(await onPatient(() => patients.get(patientOf(req), actingOf(req.identity)))),
  }),
  write<S>({
    operationId: 'UpdatePatient',
    method: 'patch',
    path: '/patients/{patientId}',
    tags: ['patients'],
    summary: 'Update a patient: the fields given replace the current ones, the others stay',
    params: patientId,
    ifMatch: 'optional',
    body: { name: 'UpdatePatient', schema: updatePatientInput },
    responses: {
      200: versionedDoc('The patient after the update', 'Patient'),
      400: invalid(),
      404: noSuchPatient,
      412: problemDoc('The If-Match version is stale: read the patient again'),
    },
    handle: async ({ patients }, req) => {
      const options = { ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }), context: req.context };
      return versioned(await onPatient(() => patients.update(patientOf(req), req.body ?? {}, options)));
    },
  }),
];

const attributions = [
  read<S>({
    operationId: 'GetAttribution',
    method: 'get',
    path: '/patients/{patientId}/attribution',
    tags: ['attributions'],
    summary: 'The current médecin traitant and every past one, oldest first',
    params: patientId,
    responses: { 200: okDoc('The attributions', 'AttributionHistory'), 400: invalid('Invalid patient id'), 404: noSuchPatient },
    handle: async ({ attributions }, req) => ok(await onPatient(() => attributions.history(patientOf(req), actingOf(req.identity)))),
  }),
  write<S>({
    operationId: 'DeclareMedecinTraitant',
    method: 'post',
    path: '/patients/{patientId}/declarations',
    tags: ['attributions'],
    summary: 'Declare a médecin traitant from an effective date (backdating allowed): it ends the current one that day',
    params: patientId,
    ifMatch: 'refused',
    body: { name: 'DeclareMedecinTraitant', schema: declareInput },
    responses: {
      201: createdDoc('Declared: the patient with their new médecin traitant', 'Patient', 'Where to read the attributions'),
      400: invalid(`Invalid input (${ifMatchRefused})`),
      404: noSuchPatient,
      409: refused(
        "the centre is not a member, the GP is not assigned there on the date, or the GP's panel is full: then `detail` and the PANEL_CAPACITY violation give the count and the capacity",
      ),
    },
    handle: async ({ attributions }, req) => {
      const view = await onPatient(() => attributions.declare(patientOf(req), req.body ?? {}, req.context));
      return created(view, `/patients/${view.patientId}/attribution`);
    },
  }),
  patientWrite({
    operationId: 'EndAttribution',
    tag: 'attributions',
    path: '/patients/{patientId}/attribution/end',
    summary: 'End the current attribution (patient’s request, death, moved away): endDate is the first day without',
    params: patientId,
    body: { name: 'EndAttribution', schema: endAttributionInput },
    conditions: 'the patient has no médecin traitant, or the end precedes its start',
    run: ({ attributions }, req) => onPatient(() => attributions.end(patientOf(req), req.body ?? {}, req.context, actingOf(req.identity))),
  }),
  // GDPR art. 17: the patient's key is destroyed; a retry answers the same (docs/adr/0025).
  write<S>({
    operationId: 'ErasePatient',
    method: 'post',
    path: '/patients/{patientId}/erasure',
    tags: ['patients'],
    summary:
      'Erase the patient’s personal data (GDPR art. 17): their key is destroyed, their events stay unreadable, the read models drop them, PatientErased is published; a current attribution ends today. A retry answers the same',
    params: patientId,
    ifMatch: 'refused',
    responses: {
      200: okDoc('The erasure', 'PatientErasure'),
      400: invalid(`Invalid patient id (${ifMatchRefused})`),
      404: noSuchPatient,
    },
    handle: async ({ erasure }, req) => ok(await onPatient(() => erasure.erase(patientOf(req), req.context))),
  }),
];

const panels = [
  read<S, 'pageSize' | 'pageToken'>({
    operationId: 'GetPanel',
    method: 'get',
    path: '/practitioners/{rpps}/panel',
    tags: ['panels'],
    summary: "A GP's panel: count, capacity, and a page of the patients on it",
    params: { rpps: { description: 'RPPS number of the GP', schema: rpps } },
    query: pageParams(100, MAX_PAGE),
    responses: { 200: okDoc('The panel', 'GpPanel'), 400: invalid('Invalid RPPS or parameter') },
    handle: async ({ panels }, req) => ok(await panels.get({ rpps: req.params.rpps, ...req.query })),
  }),
  write<S>({
    operationId: 'SetPanelCapacity',
    method: 'put',
    path: '/practitioners/{rpps}/panel/capacity',
    tags: ['panels'],
    summary: "Set a GP's capacity (null: back to assigned FTE × panel norm). Patients already on the panel stay",
    params: { rpps: { description: 'RPPS number of the GP', schema: rpps } },
    ifMatch: 'refused',
    // The practitioner is named by the path.
    body: { name: 'SetPanelCapacity', schema: setCapacityInput.omit({ rpps: true }) },
    responses: { 200: okDoc('The panel with its new capacity (first page)', 'GpPanel'), 400: invalid(`Invalid input (${ifMatchRefused})`) },
    handle: async ({ panels }, req) => ok(await panels.setCapacity(bodyWithPathField(req.body, 'rpps', req.params.rpps!), req.context)),
  }),
];

const waitlist = [
  patientWrite({
    operationId: 'EnrolOnWaitlist',
    tag: 'waitlist',
    path: '/patients/{patientId}/waitlist',
    summary: 'Enrol a patient without a médecin traitant on the waitlist: by a centre (centreFiness) or, without one, by a coordinator',
    params: patientId,
    body: { name: 'EnrolOnWaitlist', schema: enrolInput, required: false },
    conditions: 'the patient has a médecin traitant or is waiting already, or the centre is not a member',
    run: ({ waitlist }, req) => onPatient(() => waitlist.enrol(patientOf(req), req.body ?? {}, req.context)),
  }),
  write<S>({
    operationId: 'MatchWaitlist',
    method: 'post',
    path: '/waitlist/matches',
    tags: ['waitlist'],
    summary:
      'Match the waitlist of a territory: each waiting patient, by priority (ALD, 70 and over, C2S, waiting time), is proposed the nearest GP with room within reach',
    ifMatch: 'refused',
    body: { name: 'MatchWaitlist', schema: matchInput },
    responses: {
      200: okDoc('The proposals made and the patients left unmatched', 'WaitlistMatch'),
      400: invalid(`Invalid input (${ifMatchRefused})`),
      404: problemDoc('No such territory'),
    },
    handle: async ({ waitlist }, req) => ok(await waitlist.match(req.body ?? {}, req.context)),
  }),
  patientWrite({
    operationId: 'ConfirmProposal',
    tag: 'waitlist',
    path: '/proposals/{proposalId}/confirm',
    summary: 'The centre confirms a proposal: it becomes a declaration, from today, with the capacity checked again',
    params: proposalId,
    conditions: "the proposal was answered already, the GP's panel is full or the GP gone",
    notFound: noSuchProposal,
    run: ({ waitlist }, req) => waitlist.confirm(bodyWithPathField(req.body, 'proposalId', req.params.proposalId!), req.context, actingOf(req.identity)),
  }),
  patientWrite({
    operationId: 'DeclineProposal',
    tag: 'waitlist',
    path: '/proposals/{proposalId}/decline',
    summary: 'The centre declines a proposal: the patient keeps their place and waiting date',
    params: proposalId,
    // The proposal is named by the path.
    body: { name: 'DeclineProposal', schema: declineInput.omit({ proposalId: true }) },
    conditions: 'the proposal was answered already',
    notFound: noSuchProposal,
    run: ({ waitlist }, req) => waitlist.decline(bodyWithPathField(req.body, 'proposalId', req.params.proposalId!), req.context, actingOf(req.identity)),
  }),
];

type Territory = (typeof TERRITORY_KINDS)[number];
const TERRITORY_DOCS: Record<Territory, ParameterDoc> = {
  commune: { schema: commune, description: `INSEE code of the commune: give exactly one of ${TERRITORY_KINDS.join(', ')}` },
  departement: { schema: { type: 'string' }, description: `Département code, e.g. 93, 2A, 974: give exactly one of ${TERRITORY_KINDS.join(', ')}` },
  region: { schema: { type: 'string' }, description: `Région code, e.g. 11: give exactly one of ${TERRITORY_KINDS.join(', ')}` },
};

const reports = [
  read<S, 'asOf' | 'pageSize' | 'pageToken'>({
    operationId: 'GetCentreRoster',
    method: 'get',
    path: '/centres/{finess}/roster',
    tags: ['reports'],
    summary: "A centre's roster on a day: its patients with a médecin traitant there, what capitation billing uses",
    params: { finess: { description: 'FINESS géographique of the centre', schema: finess } },
    query: { asOf: asOf('the roster'), ...pageParams(500, MAX_PAGE) },
    responses: { 200: okDoc('A page of the roster', 'CentreRoster'), 400: invalid('Invalid FINESS or parameter') },
    handle: async ({ reports }, req) =>
      ok(await renamingFields({ centreFiness: 'finess' }, () => reports.roster({ centreFiness: req.params.finess, ...req.query }))),
  }),
  read<S, Territory | 'asOf'>({
    operationId: 'GetCoverage',
    method: 'get',
    path: '/coverage',
    tags: ['reports'],
    summary:
      'Coverage of a territory on a day: inhabitants (2021 census), patients with and without a médecin traitant, chronic patients without one; and one level down',
    query: { ...TERRITORY_DOCS, asOf: asOf('the figures') },
    responses: {
      200: okDoc('The coverage', 'Coverage'),
      400: invalid('None or several of commune, departement, region, or an invalid one'),
      404: problemDoc('No such territory'),
    },
    handle: async ({ reports }, req) => {
      const { asOf, ...territories } = req.query;
      const [kind, code] = oneTerritory(territories);
      return ok(coverageBody(await renamingFields({ 'territory.code': kind }, () => reports.coverage({ territory: { kind, code }, ...(asOf && { asOf }) }))));
    },
  }),
];

/** The one territory a coverage query names: exactly one of `commune`, `departement`, `region`. */
function oneTerritory(given: Partial<Record<Territory, string>>): [kind: Territory, code: string] {
  const named = TERRITORY_KINDS.flatMap((kind) => (given[kind] === undefined ? [] : [[kind, given[kind]] as [Territory, string]]));
  const [first, ...others] = named;
  if (first && others.length === 0) return first;
  const violations: FieldViolation[] =
    named.length === 0
      ? [{ field: 'territory', description: `name the territory with exactly one query parameter among ${TERRITORY_KINDS.join(', ')}` }]
      : named.map(([kind]) => ({
          field: kind,
          description: `only one of ${TERRITORY_KINDS.join(', ')} may be given; got ${named.map(([k]) => k).join(' and ')}`,
        }));
  throw new ValidationError(violations);
}

const figuresOf = (f: CoverageFigures): CoverageFigures => ({
  inhabitants: f.inhabitants,
  patients: f.patients,
  withMedecinTraitant: f.withMedecinTraitant,
  withoutMedecinTraitant: f.withoutMedecinTraitant,
  chronicWithout: f.chronicWithout,
});

/**
 * Coverage in the shape of the gRPC contract (pcn.attribution.v1.Coverage): the figures under
 * `totals` and `parts[].figures`, so a client reads them the same way over both APIs.
 */
function coverageBody(view: CoverageView): object {
  return {
    territory: view.territory,
    asOf: view.asOf,
    totals: figuresOf(view),
    parts: view.parts.map((p) => ({ code: p.code, name: p.name, figures: figuresOf(p) })),
  };
}

/**
 * REST for coordinators, at `/v1/attribution`. A patient is named by their pseudonymous id in
 * URLs; the NIR only ever travels in a body (registration, lookup), since URLs end up in access
 * logs. Patient resources carry their stream revision as the ETag; a PATCH may carry If-Match
 * (a stale version answers 412). Declarations, ends, enrolments and proposal answers are decided
 * against the latest state, where the invariants are checked, and refuse If-Match.
 */
export const attributionRoutes = new RouteTable<S>({
  service: 'attribution',
  prefix: '/v1/attribution',
  info: {
    title: 'PCN attribution: médecin traitant, panels and waitlist',
    description:
      'Coordinators register patients, declare and end médecins traitants, set panel capacities, match the waitlist and read rosters and coverage. ' +
      'A patient is named by a pseudonymous id; the NIR only travels in request bodies (registration, lookup) and is never answered. ' +
      'Patients carry their revision as the ETag; a PATCH may carry If-Match (a stale version answers 412); the other writes are decided against the latest state and refuse If-Match. ' +
      'Errors are RFC 9457 problem+json.',
  },
  tags: ['patients', 'attributions', 'panels', 'waitlist', 'reports'],
  schemas: attributionSchemas,
  // Patients' health data: no shared cache keeps any of it.
  responseHeaders: { 'Cache-Control': 'no-store' },
  override: documentCheckedFields,
  routes: [...patients, ...attributions, ...panels, ...waitlist, ...reports],
});
