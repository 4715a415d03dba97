import { z } from 'zod';
import { ValidationError } from '@pcn/eventsourcing';
import {
  createdDoc,
  ok,
  okDoc,
  problemDoc,
  read,
  ref,
  RouteTable,
  versioned,
  versionedDoc,
  write,
  type ParameterDoc,
  type ResponseDoc,
  type WriteRequest,
} from '@pcn/http';
import { parseInput } from '@pcn/validation';
import { OUTSIDE_PREFIX } from '../../domain/accessibility';
import { STAGES } from '../../domain/scheme';
import { TERRITORY_LEVELS, type TerritoryCatalogue, type TerritoryRef } from '../../domain/territory';
import type { ComputationRecord } from '../../application/computations';
import { importOutsideSupply } from '../../application/outside-supply-import';
import type { OutsideSupplyStore } from '../../application/ports';
import { computeAccessibilitySchema, draftSchemeSchema, opinionSchema, openStageSchema, proposalSchema, suggestSitesSchema } from '../../application/schemas';
import type { Schemes, WriteOptions } from '../../application/schemes';
import type { TerritorialPlanning } from '../../application/territorial-planning';
import { accessibilityGeoJson } from '../maps/geojson';
import type { CentrePoint } from '../maps/map-points';
import { svgMap } from '../maps/svg-map';

export interface PlanningHttpServices {
  readonly planning: TerritorialPlanning;
  readonly schemes: Schemes;
  readonly outside: OutsideSupplyStore;
  readonly catalogue: TerritoryCatalogue;
}

/** Outside-supply files: up to 100,000 lines of `commune,gp_fte`. */
const CSV_LIMIT = '4mb';

type Area = 'level' | 'code';
const area: Record<Area, ParameterDoc> = {
  level: { description: 'The territory shown (the nation when absent)', schema: { type: 'string', enum: [...TERRITORY_LEVELS] } },
  code: { description: "The territory's code (INSEE, SIREN of an EPCI, `FR` for the nation)", schema: { type: 'string' } },
};
const computation = { id: { description: 'A computation id, as answered by ComputeAccessibility' } };
const scheme = { id: { description: 'A scheme id, as chosen at DraftScheme' } };
const stage = { ...scheme, stage: { description: 'The consultation stage', schema: { type: 'string', enum: [...STAGES] } } };

/** `?level=&code=` of a read narrowed to a territory (the nation when absent). */
function territoryOf(query: Partial<Record<Area, string>>): TerritoryRef {
  const level = query.level ?? 'nation';
  if (!(TERRITORY_LEVELS as readonly string[]).includes(level))
    throw ValidationError.field('level', `must be one of ${TERRITORY_LEVELS.join(', ')}, got "${level}"`);
  return { level: level as TerritoryRef['level'], code: query.code ?? (level === 'nation' ? 'FR' : '') };
}

const writeOptions = (req: WriteRequest): WriteOptions => ({
  ...(req.expectedVersion !== undefined && { expectedVersion: req.expectedVersion }),
  context: req.context,
  // A regional coordinator runs the schemes of its région: the application checks the scheme's territory.
  ...(req.identity?.role === 'regional_coordinator' && req.identity.scope.region !== undefined && { actingRegion: req.identity.scope.region }),
});
const stageOf = (req: WriteRequest) => parseInput(openStageSchema, { stage: req.params.stage }).stage;

/** A computation without its 35,000 rows: those are read per territory. */
function summary(record: ComputationRecord) {
  const { communes: _communes, supply, ...rest } = record;
  return { ...rest, supplyPoints: supply.length, communesComputed: record.communes.length };
}

/** The network's centres of a computation inside the bounding box of the communes shown. */
function centresWithin(record: ComputationRecord, communes: readonly { latitude: number; longitude: number }[]): CentrePoint[] {
  if (communes.length === 0) return [];
  let [minLat, maxLat, minLon, maxLon] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const c of communes) {
    minLat = Math.min(minLat, c.latitude);
    maxLat = Math.max(maxLat, c.latitude);
    minLon = Math.min(minLon, c.longitude);
    maxLon = Math.max(maxLon, c.longitude);
  }
  return record.supply
    .filter((p) => !p.id.startsWith(OUTSIDE_PREFIX) && p.latitude >= minLat && p.latitude <= maxLat && p.longitude >= minLon && p.longitude <= maxLon)
    .map((p) => ({ finess: p.id, latitude: p.latitude, longitude: p.longitude, gpFte: p.fte }));
}

const object = (description: string) => ({ type: 'object', description });
const planningSchemas = {
  TerritoryNeeds: object(
    'Population, unemployment, centres, GP FTE (network and outside), and `patients` (pcn.attribution.v1, counted on `asOf`): `patients`, `withMedecinTraitant`, `withoutMedecinTraitant`, `chronicWithoutMedecinTraitant` (an ALD running, no médecin traitant)',
  ),
  OutsideSupplyImport: object('Lines read, accepted and changed, the new version and the errors per line'),
  Computation: object('A computation: its parameters, when, the supply points and communes counted'),
  CommuneAccessibilityList: object('`communes`: the accessibility index of each commune, with its class'),
  Comparison: object('Per commune, the index in both computations and the change'),
  SiteSuggestions: object('The suggested communes in order, with the population each adds within reach'),
  Scheme: object('A scheme: territory, proposals, consultation stages and opinions, status'),
  FeatureCollection: object('GeoJSON (RFC 7946): one Point per commune with its index and class, and the centres'),
} as const;

const notFound = problemDoc('No such computation (the last ones are kept) or territory');
const schemeErrors = {
  400: problemDoc('Invalid input: `errors` lists each field and why'),
  403: problemDoc('A regional coordinator may run only the schemes of its région and of its départements'),
  404: problemDoc('No such scheme'),
  409: problemDoc('Not allowed in the scheme’s current state: `violations` lists each unmet condition'),
  412: problemDoc('The If-Match version is stale: read the scheme again'),
};
const typed = (description: string, mediaType: string, schema: object): ResponseDoc => ({ description, content: { [mediaType]: { schema } } });

/** A step of a scheme's life: answered with the scheme after it and its version as the ETag. */
const schemeWrite = (
  operationId: string,
  method: 'post' | 'delete',
  path: string,
  summary: string,
  params: Record<string, { description: string }>,
  body: { name: string; schema: z.ZodType } | undefined,
  run: (services: PlanningHttpServices, req: WriteRequest) => Promise<{ version: number }>,
) =>
  write<PlanningHttpServices>({
    operationId,
    method,
    path,
    summary,
    params,
    ifMatch: 'optional',
    ...(body && { body }),
    responses: { 200: versionedDoc('The scheme after the change', 'Scheme'), ...schemeErrors },
    handle: async (services, req) => versioned(await run(services, req)),
  });

/** REST for coordinators, at `/v1/planning`. */
export const planningRoutes = new RouteTable<PlanningHttpServices>({
  service: 'planning',
  prefix: '/v1/planning',
  info: {
    title: 'PCN territorial planning',
    description:
      'Territories and their needs, GP accessibility (E2SFCA) computed over the country, underserved communes, suggested sites, and schemes with their staged consultations. Errors are RFC 9457 problem+json.',
  },
  schemas: planningSchemas,
  routes: [
    read<PlanningHttpServices>({
      operationId: 'GetTerritoryNeeds',
      method: 'get',
      path: '/territories/{level}/{code}/needs',
      summary: 'The needs of a territory: population, unemployment, GP supply, patients with and without a médecin traitant, chronic patients without one',
      params: { level: area.level, code: area.code },
      responses: { 200: okDoc('The needs', 'TerritoryNeeds'), 400: problemDoc('Unknown level'), 404: problemDoc('No such territory') },
      handle: async ({ planning }, req) => {
        const territory = territoryOf({ level: req.params.level!, code: req.params.code! });
        return ok(await planning.territoryNeeds(territory));
      },
    }),
    write<PlanningHttpServices>({
      operationId: 'ImportOutsideSupply',
      method: 'put',
      path: '/outside-supply',
      summary: 'Replace the GPs outside the network, per commune, from a CSV file `commune,gp_fte` (idempotent; bad lines reported)',
      ifMatch: 'none',
      body: { name: 'OutsideSupplyCsv', schema: z.string(), mediaType: 'text/csv', limit: CSV_LIMIT },
      responses: { 200: okDoc('What the import did', 'OutsideSupplyImport'), 400: problemDoc('Not a CSV file, or not its columns') },
      handle: async ({ catalogue, outside }, req) => {
        if (typeof req.body !== 'string') throw ValidationError.field('body', 'must be a CSV file sent as text/csv');
        return ok(await importOutsideSupply(req.body, catalogue, outside));
      },
    }),
    write<PlanningHttpServices>({
      operationId: 'ComputeAccessibility',
      method: 'post',
      path: '/accessibility-computations',
      summary: 'Compute GP accessibility over the country with these parameters; the computation is stored',
      ifMatch: 'none',
      body: { name: 'ComputeAccessibility', schema: computeAccessibilitySchema, required: false },
      responses: {
        201: { ...createdDoc('Computed', 'Computation'), headers: { Location: { description: 'Where to read it', schema: { type: 'string' } } } },
        400: problemDoc('Invalid parameters'),
      },
      handle: async ({ planning }, req) => {
        const input = parseInput(computeAccessibilitySchema, req.body ?? {});
        const record = await planning.computeAccessibility(input.parameters ?? {});
        return { status: 201, body: summary(record), location: `/accessibility-computations/${record.computationId}` };
      },
    }),
    read<PlanningHttpServices>({
      operationId: 'GetComputation',
      method: 'get',
      path: '/accessibility-computations/{id}',
      summary: 'A computation: its parameters and what it counted',
      params: computation,
      responses: { 200: okDoc('The computation', 'Computation'), 404: notFound },
      handle: async ({ planning }, req) => ok(summary(await planning.computation(req.params.id!))),
    }),
    read<PlanningHttpServices, Area>({
      operationId: 'ComputeCommuneAccessibility',
      method: 'get',
      path: '/accessibility-computations/{id}/communes',
      summary: 'The accessibility of each commune of a territory',
      params: computation,
      query: area,
      responses: { 200: okDoc('The communes', 'CommuneAccessibilityList'), 400: problemDoc('Unknown level'), 404: notFound },
      handle: async ({ planning }, req) => ok({ communes: await planning.accessibilityIn(req.params.id!, territoryOf(req.query)) }),
    }),
    read<PlanningHttpServices, Area>({
      operationId: 'ListUnderserved',
      method: 'get',
      path: '/accessibility-computations/{id}/underserved',
      summary: 'The underserved communes of a territory, the most populated first',
      params: computation,
      query: area,
      responses: { 200: okDoc('The underserved communes', 'CommuneAccessibilityList'), 400: problemDoc('Unknown level'), 404: notFound },
      handle: async ({ planning }, req) => ok({ communes: await planning.underserved(req.params.id!, territoryOf(req.query)) }),
    }),
    read<PlanningHttpServices, Area>({
      operationId: 'GetAccessibilityGeoJson',
      method: 'get',
      path: '/accessibility-computations/{id}/geojson',
      summary: 'The accessibility of a territory as GeoJSON, with the network’s centres',
      params: computation,
      query: area,
      responses: { 200: typed('GeoJSON', 'application/geo+json', ref('FeatureCollection')), 400: problemDoc('Unknown level'), 404: notFound },
      handle: async ({ planning }, req) => {
        const [record, communes] = await Promise.all([planning.computation(req.params.id!), planning.accessibilityIn(req.params.id!, territoryOf(req.query))]);
        return { body: JSON.stringify(accessibilityGeoJson(communes, centresWithin(record, communes))), contentType: 'application/geo+json' };
      },
    }),
    read<PlanningHttpServices, Area | 'width'>({
      operationId: 'GetAccessibilityMap',
      method: 'get',
      path: '/accessibility-computations/{id}/map.svg',
      summary: 'A map of a territory coloured by accessibility class, the centres marked (SVG)',
      params: computation,
      query: { ...area, width: { description: 'Pixels, 200 to 4000 (800)', schema: { type: 'integer', minimum: 200, maximum: 4000, default: 800 } } },
      responses: { 200: typed('The map', 'image/svg+xml', { type: 'string' }), 400: problemDoc('Unknown level or bad width'), 404: notFound },
      handle: async ({ planning, catalogue }, req) => {
        const territory = territoryOf(req.query);
        const width = Number(req.query.width ?? 800);
        if (!(Number.isInteger(width) && width >= 200 && width <= 4000))
          throw ValidationError.field('width', `must be a whole number of pixels from 200 to 4000, got ${req.query.width}`);
        const [record, communes] = await Promise.all([planning.computation(req.params.id!), planning.accessibilityIn(req.params.id!, territory)]);
        const title = `${catalogue.get(territory).name}: GP accessibility (computation ${record.computationId})`;
        return { body: svgMap(communes, centresWithin(record, communes), { title, width }), contentType: 'image/svg+xml' };
      },
    }),
    read<PlanningHttpServices, Area>({
      operationId: 'CompareComputations',
      method: 'get',
      path: '/accessibility-computations/{id}/comparison/{otherId}',
      summary: 'Two computations compared commune by commune',
      params: { ...computation, otherId: { description: 'The computation compared with' } },
      query: area,
      responses: { 200: okDoc('The comparison', 'Comparison'), 400: problemDoc('Unknown level'), 404: notFound },
      handle: async ({ planning }, req) => ok(await planning.compare(req.params.id!, req.params.otherId!, territoryOf(req.query))),
    }),
    write<PlanningHttpServices>({
      operationId: 'SuggestSites',
      method: 'post',
      path: '/accessibility-computations/{id}/site-suggestions',
      summary: 'Communes where new centres would bring the most underserved people within reach',
      params: computation,
      ifMatch: 'refused',
      body: { name: 'SuggestSites', schema: suggestSitesSchema },
      responses: { 200: okDoc('The suggested sites', 'SiteSuggestions'), 400: problemDoc('Invalid input'), 404: notFound },
      handle: async ({ planning }, req) => ok(await planning.suggestSites(req.params.id!, parseInput(suggestSitesSchema, req.body))),
    }),
    write<PlanningHttpServices>({
      operationId: 'DraftScheme',
      method: 'post',
      path: '/schemes',
      summary: 'Draft a scheme for a territory',
      ifMatch: 'none',
      body: { name: 'DraftScheme', schema: draftSchemeSchema },
      responses: {
        201: createdDoc('Drafted', 'Scheme'),
        400: problemDoc('Invalid input or unknown territory'),
        403: problemDoc('A regional coordinator may draft only for its région or one of its départements'),
        409: problemDoc('This scheme id is taken'),
      },
      handle: async ({ schemes }, req) => {
        const input = parseInput(draftSchemeSchema, req.body);
        const view = await schemes.draft(input, writeOptions(req));
        return { status: 201, body: view, version: view.version, location: `/schemes/${input.schemeId}` };
      },
    }),
    read<PlanningHttpServices>({
      operationId: 'GetScheme',
      method: 'get',
      path: '/schemes/{id}',
      summary: 'A scheme, with its version as the ETag',
      params: scheme,
      responses: { 200: versionedDoc('The scheme', 'Scheme'), 404: problemDoc('No such scheme') },
      handle: async ({ schemes }, req) => versioned(await schemes.get(req.params.id!)),
    }),
    schemeWrite(
      'AddProposal',
      'post',
      '/schemes/{id}/proposals',
      'Propose to open or strengthen a centre',
      scheme,
      { name: 'AddProposal', schema: proposalSchema },
      (s, req) => s.schemes.addProposal(req.params.id!, parseInput(proposalSchema, req.body), writeOptions(req)),
    ),
    schemeWrite(
      'RemoveProposal',
      'delete',
      '/schemes/{id}/proposals/{proposalId}',
      'Withdraw a proposal of a draft',
      { ...scheme, proposalId: { description: 'The proposal' } },
      undefined,
      (s, req) => s.schemes.removeProposal(req.params.id!, req.params.proposalId!, writeOptions(req)),
    ),
    schemeWrite(
      'OpenConsultationStage',
      'post',
      '/schemes/{id}/stages',
      'Open the next consultation stage',
      scheme,
      { name: 'OpenConsultationStage', schema: openStageSchema },
      (s, req) => s.schemes.openStage(req.params.id!, parseInput(openStageSchema, req.body).stage, writeOptions(req)),
    ),
    schemeWrite(
      'SubmitOpinion',
      'post',
      '/schemes/{id}/stages/{stage}/opinions',
      'A participant’s vote and opinion in the open stage',
      stage,
      { name: 'SubmitOpinion', schema: opinionSchema },
      (s, req) => s.schemes.submitOpinion(req.params.id!, { stage: stageOf(req), ...parseInput(opinionSchema, req.body) }, writeOptions(req)),
    ),
    schemeWrite(
      'CloseConsultationStage',
      'post',
      '/schemes/{id}/stages/{stage}/closure',
      'Close the open stage: counted per college',
      stage,
      undefined,
      (s, req) => s.schemes.closeStage(req.params.id!, stageOf(req), writeOptions(req)),
    ),
  ],
});
