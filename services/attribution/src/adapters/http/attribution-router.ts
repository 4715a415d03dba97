import { Router, type Request } from 'express';
import { ValidationError, type FieldViolation } from '@pcn/eventsourcing';
import { bodyWithPathField, commandContext, queryOf } from '@pcn/http';
import { parseInput } from '@pcn/validation';
import type { AttributionServices } from '../../application/attribution-services';
import { TERRITORY_KINDS } from '../../application/schemas';
import type { CoverageFigures, CoverageView } from '../../application/views';
import { PATIENT_PATH_FIELDS, lookupInput, renamingFields, sendCreated, sendVersioned, unconditionalContext, updateOptions } from './request-parts';

/**
 * REST for coordinators, mounted at `/v1/attribution`. A patient is named by their pseudonymous
 * id in URLs; the NIR only ever travels in a body (registration, lookup), since URLs end up in
 * access logs. Patient resources carry their stream revision as the ETag; a PATCH may carry
 * If-Match (a stale version answers 412). Declarations, ends, enrolments and proposal answers
 * are decided against the latest state, where the invariants are checked, and take no If-Match.
 */
export function attributionRouter(services: AttributionServices): Router {
  const { patients, attributions, panels, waitlist, reports, erasure } = services;
  const router = Router();
  const patientOf = (req: Request<{ patientId: string }>) => ({ patientId: req.params.patientId });

  // Patients' health data: no shared cache keeps any of it.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/patients', async (req, res) => {
    const view = await patients.register(req.body, commandContext(req));
    sendCreated(req, res, `/patients/${view.patientId}`, view);
  });

  router.post('/patients/lookup', async (req, res) => {
    queryOf(req, []);
    const { nir } = parseInput(lookupInput, req.body ?? {});
    const view = await patients.get({ nir });
    res.setHeader('Content-Location', `${req.baseUrl}/patients/${view.patientId}`);
    sendVersioned(res, view);
  });

  router.get('/patients/:patientId', async (req, res) => {
    queryOf(req, []);
    sendVersioned(res, await renamingFields(PATIENT_PATH_FIELDS, () => patients.get(patientOf(req))));
  });

  router.patch('/patients/:patientId', async (req, res) => {
    const options = updateOptions(req);
    sendVersioned(res, await renamingFields(PATIENT_PATH_FIELDS, () => patients.update(patientOf(req), req.body ?? {}, options)));
  });

  router.get('/patients/:patientId/attribution', async (req, res) => {
    queryOf(req, []);
    res.json(await renamingFields(PATIENT_PATH_FIELDS, () => attributions.history(patientOf(req))));
  });

  router.post('/patients/:patientId/declarations', async (req, res) => {
    const context = unconditionalContext(req);
    const view = await renamingFields(PATIENT_PATH_FIELDS, () => attributions.declare(patientOf(req), req.body ?? {}, context));
    sendCreated(req, res, `/patients/${view.patientId}/attribution`, view);
  });

  router.post('/patients/:patientId/attribution/end', async (req, res) => {
    const context = unconditionalContext(req);
    sendVersioned(res, await renamingFields(PATIENT_PATH_FIELDS, () => attributions.end(patientOf(req), req.body ?? {}, context)));
  });

  // GDPR art. 17: the patient's key is destroyed; a retry answers the same (docs/adr/0025).
  router.post('/patients/:patientId/erasure', async (req, res) => {
    const context = unconditionalContext(req);
    res.json(await renamingFields(PATIENT_PATH_FIELDS, () => erasure.erase(patientOf(req), context)));
  });

  router.post('/patients/:patientId/waitlist', async (req, res) => {
    const context = unconditionalContext(req);
    sendVersioned(res, await renamingFields(PATIENT_PATH_FIELDS, () => waitlist.enrol(patientOf(req), req.body ?? {}, context)));
  });

  router.get('/practitioners/:rpps/panel', async (req, res) => {
    res.json(await panels.get({ rpps: req.params.rpps, ...queryOf(req, ['pageSize', 'pageToken']) }));
  });

  router.put('/practitioners/:rpps/panel/capacity', async (req, res) => {
    const context = unconditionalContext(req);
    res.json(await panels.setCapacity(bodyWithPathField(req.body, 'rpps', req.params.rpps), context));
  });

  router.get('/centres/:finess/roster', async (req, res) => {
    const query = queryOf(req, ['asOf', 'pageSize', 'pageToken']);
    res.json(await renamingFields({ centreFiness: 'finess' }, () => reports.roster({ centreFiness: req.params.finess, ...query })));
  });

  router.post('/waitlist/matches', async (req, res) => {
    res.json(await waitlist.match(req.body ?? {}, unconditionalContext(req)));
  });

  router.post('/proposals/:proposalId/confirm', async (req, res) => {
    const context = unconditionalContext(req);
    sendVersioned(res, await waitlist.confirm(bodyWithPathField(req.body, 'proposalId', req.params.proposalId), context));
  });

  router.post('/proposals/:proposalId/decline', async (req, res) => {
    const context = unconditionalContext(req);
    sendVersioned(res, await waitlist.decline(bodyWithPathField(req.body, 'proposalId', req.params.proposalId), context));
  });

  router.get('/coverage', async (req, res) => {
    const { asOf, ...territories } = queryOf(req, [...TERRITORY_KINDS, 'asOf']);
    const [kind, code] = oneTerritory(territories);
    res.json(coverageBody(await renamingFields({ 'territory.code': kind }, () => reports.coverage({ territory: { kind, code }, ...(asOf && { asOf }) }))));
  });

  return router;
}

/** The one territory a coverage query names: exactly one of `commune`, `departement`, `region`. */
function oneTerritory(given: Record<string, string>): [kind: (typeof TERRITORY_KINDS)[number], code: string] {
  const named = TERRITORY_KINDS.flatMap((kind) => (given[kind] === undefined ? [] : [[kind, given[kind]] as [typeof kind, string]]));
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
