import express, { Router, type Request, type Response } from 'express';
import { commandContext, optionalIfMatch, queryOf, setEtag } from '@pcn/http';
import { parseInput } from '@pcn/validation';
import { ValidationError } from '@pcn/eventsourcing';
import { OUTSIDE_PREFIX } from '../../domain/accessibility';
import { TERRITORY_LEVELS, type TerritoryRef } from '../../domain/territory';
import type { ComputationRecord } from '../../application/computations';
import { importOutsideSupply } from '../../application/outside-supply-import';
import type { OutsideSupplyStore } from '../../application/ports';
import { computeAccessibilitySchema, draftSchemeSchema, opinionSchema, openStageSchema, proposalSchema, suggestSitesSchema } from '../../application/schemas';
import type { Schemes, SchemeView, WriteOptions } from '../../application/schemes';
import type { TerritorialPlanning } from '../../application/territorial-planning';
import type { TerritoryCatalogue } from '../../domain/territory';
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

/** `?level=&code=` of a read narrowed to a territory (the nation when absent). */
function territoryOf(req: Request, extra: readonly string[] = []): TerritoryRef {
  const query = queryOf(req, ['level', 'code', ...extra]);
  const level = query.level ?? 'nation';
  if (!(TERRITORY_LEVELS as readonly string[]).includes(level))
    throw ValidationError.field('level', `must be one of ${TERRITORY_LEVELS.join(', ')}, got "${level}"`);
  return { level: level as TerritoryRef['level'], code: query.code ?? (level === 'nation' ? 'FR' : '') };
}

function writeOptions(req: Request): WriteOptions {
  const expectedVersion = optionalIfMatch(req);
  return { ...(expectedVersion !== undefined && { expectedVersion }), context: commandContext(req) };
}

function sendScheme(res: Response, view: SchemeView, status = 200): void {
  setEtag(res, view.version);
  res.status(status).json(view);
}

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

/** REST for coordinators, mounted at `/v1/planning`. */
export function planningRouter(services: PlanningHttpServices): Router {
  const { planning, schemes } = services;
  const router = Router();

  router.get('/territories/:level/:code/needs', async (req, res) => {
    const level = req.params.level;
    if (!(TERRITORY_LEVELS as readonly string[]).includes(level))
      throw ValidationError.field('level', `must be one of ${TERRITORY_LEVELS.join(', ')}, got "${level}"`);
    res.json(await planning.territoryNeeds({ level: level as TerritoryRef['level'], code: req.params.code }));
  });

  router.put('/outside-supply', express.text({ type: 'text/csv', limit: CSV_LIMIT }), async (req, res) => {
    if (typeof req.body !== 'string') throw ValidationError.field('body', 'must be a CSV file sent as text/csv');
    res.json(await importOutsideSupply(req.body, services.catalogue, services.outside));
  });

  router.post('/accessibility-computations', async (req, res) => {
    const input = parseInput(computeAccessibilitySchema, req.body ?? {});
    const record = await planning.computeAccessibility(input.parameters ?? {});
    res.setHeader('Location', `${req.baseUrl}/accessibility-computations/${record.computationId}`);
    res.status(201).json(summary(record));
  });

  router.get('/accessibility-computations/:id', async (req, res) => {
    res.json(summary(await planning.computation(req.params.id)));
  });

  router.get('/accessibility-computations/:id/communes', async (req, res) => {
    res.json({ communes: await planning.accessibilityIn(req.params.id, territoryOf(req)) });
  });

  router.get('/accessibility-computations/:id/underserved', async (req, res) => {
    res.json({ communes: await planning.underserved(req.params.id, territoryOf(req)) });
  });

  router.get('/accessibility-computations/:id/geojson', async (req, res) => {
    const territory = territoryOf(req);
    const [record, communes] = await Promise.all([planning.computation(req.params.id), planning.accessibilityIn(req.params.id, territory)]);
    res.type('application/geo+json').send(JSON.stringify(accessibilityGeoJson(communes, centresWithin(record, communes))));
  });

  router.get('/accessibility-computations/:id/map.svg', async (req, res) => {
    const territory = territoryOf(req, ['width']);
    const width = Number(queryOf(req, ['level', 'code', 'width']).width ?? 800);
    if (!(Number.isInteger(width) && width >= 200 && width <= 4000))
      throw ValidationError.field('width', `must be a whole number of pixels from 200 to 4000, got ${width}`);
    const [record, communes] = await Promise.all([planning.computation(req.params.id), planning.accessibilityIn(req.params.id, territory)]);
    const name = services.catalogue.get(territory).name;
    res
      .type('image/svg+xml')
      .send(svgMap(communes, centresWithin(record, communes), { title: `${name}: GP accessibility (computation ${record.computationId})`, width }));
  });

  router.get('/accessibility-computations/:id/comparison/:otherId', async (req, res) => {
    res.json(await planning.compare(req.params.id, req.params.otherId, territoryOf(req)));
  });

  router.post('/accessibility-computations/:id/site-suggestions', async (req, res) => {
    const input = parseInput(suggestSitesSchema, req.body);
    res.json(await planning.suggestSites(req.params.id, input));
  });

  router.post('/schemes', async (req, res) => {
    const input = parseInput(draftSchemeSchema, req.body);
    const view = await schemes.draft(input, { context: commandContext(req) });
    res.setHeader('Location', `${req.baseUrl}/schemes/${input.schemeId}`);
    sendScheme(res, view, 201);
  });

  router.get('/schemes/:id', async (req, res) => sendScheme(res, await schemes.get(req.params.id)));

  router.post('/schemes/:id/proposals', async (req, res) => {
    sendScheme(res, await schemes.addProposal(req.params.id, parseInput(proposalSchema, req.body), writeOptions(req)));
  });

  router.delete('/schemes/:id/proposals/:proposalId', async (req, res) => {
    sendScheme(res, await schemes.removeProposal(req.params.id, req.params.proposalId, writeOptions(req)));
  });

  router.post('/schemes/:id/stages', async (req, res) => {
    sendScheme(res, await schemes.openStage(req.params.id, parseInput(openStageSchema, req.body).stage, writeOptions(req)));
  });

  router.post('/schemes/:id/stages/:stage/opinions', async (req, res) => {
    const { stage } = parseInput(openStageSchema, { stage: req.params.stage });
    sendScheme(res, await schemes.submitOpinion(req.params.id, { stage, ...parseInput(opinionSchema, req.body) }, writeOptions(req)));
  });

  router.post('/schemes/:id/stages/:stage/closure', async (req, res) => {
    const { stage } = parseInput(openStageSchema, { stage: req.params.stage });
    sendScheme(res, await schemes.closeStage(req.params.id, stage, writeOptions(req)));
  });

  return router;
}
