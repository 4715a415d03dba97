import { createdDoc, okDoc, problemDoc, read, RouteTable, versioned, created, ok, versionedDoc, write, type RouteBody, type WriteRequest } from '@pcn/http';
import type { CentreRegistry, WriteOptions } from '../../application/centre-registry';
import { accreditCentreInput, amendCentreInput, closeCentreInput, registerCentreInput, suspendCentreInput } from '../../application/schemas';
import { CENTRE_STATUSES, CENTRE_TYPES } from '../../domain/centre';
import { registrySchemas } from './openapi-schemas';

const finess = { finess: { description: 'FINESS géographique (9 characters, check digit verified)' } };
const writeErrors = {
  400: problemDoc('Invalid input: `errors` lists each field and why'),
  404: problemDoc('No such centre'),
  409: problemDoc('Not allowed in the current state: `violations` lists each unmet condition'),
  412: problemDoc('The If-Match version is stale: read the centre again'),
  428: problemDoc('If-Match is missing'),
};

// If-Match is required on these writes: `expectedVersion` is always set.
const options = (req: WriteRequest): WriteOptions => ({ expectedVersion: req.expectedVersion!, context: req.context });

/** A lifecycle step of a centre: a POST on its sub-resource, answering the centre after it. */
const action = (
  operationId: string,
  path: string,
  summary: string,
  body: RouteBody | undefined,
  run: (registry: CentreRegistry, finess: string, body: unknown, options: WriteOptions) => Promise<{ version: number }>,
) =>
  write<CentreRegistry>({
    operationId,
    method: 'post',
    path: `/{finess}/${path}`,
    summary,
    params: finess,
    ifMatch: 'required',
    ...(body && { body }),
    responses: { 200: versionedDoc('The centre after the change', 'Centre'), ...writeErrors },
    handle: async (registry, req) => versioned(await run(registry, req.params.finess!, req.body ?? {}, options(req))),
  });

/** REST for coordinators, at `/v1/centres`. Writes on an existing centre need If-Match. */
export const centreRoutes = new RouteTable<CentreRegistry>({
  service: 'registry',
  prefix: '/v1/centres',
  info: {
    title: 'PCN registry of centres de santé',
    description: 'Coordinators register, accredit, suspend, reinstate and close centres. Errors are RFC 9457 problem+json.',
  },
  schemas: registrySchemas,
  routes: [
    read<CentreRegistry, 'departement' | 'region' | 'status' | 'type' | 'pageSize' | 'pageToken'>({
      operationId: 'ListCentres',
      method: 'get',
      path: '',
      summary: 'List centres',
      query: {
        departement: { schema: { type: 'string' } },
        region: { schema: { type: 'string' } },
        status: { schema: { enum: [...CENTRE_STATUSES] } },
        type: { schema: { enum: [...CENTRE_TYPES] } },
        pageSize: { schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        pageToken: { schema: { type: 'string' } },
      },
      responses: { 200: okDoc('A page of centres', 'CentrePage'), 400: problemDoc('Invalid filter') },
      handle: async (registry, req) => ok(await registry.list(req.query)),
    }),
    write<CentreRegistry>({
      operationId: 'RegisterCentre',
      method: 'post',
      path: '',
      summary: 'Register a centre (candidate)',
      ifMatch: 'none',
      body: { name: 'RegisterCentre', schema: registerCentreInput },
      responses: {
        201: createdDoc('Registered', 'Centre'),
        400: problemDoc('Invalid input, including a for-profit manager'),
        409: problemDoc('This FINESS is already registered'),
      },
      handle: async (registry, req) => {
        const view = await registry.register(req.body, req.context);
        return created(view, `/${view.finess}`);
      },
    }),
    read<CentreRegistry, 'asOf' | 'on'>({
      operationId: 'GetCentre',
      method: 'get',
      path: '/{finess}',
      summary: 'Get a centre: now, as recorded by an instant of the log (asOf), with its status on a business day (on)',
      params: finess,
      query: {
        asOf: { description: 'An instant of the event log: the centre as recorded by then', schema: { type: 'string', format: 'date-time' } },
        on: { description: 'A business day: the status the centre has on that day by the dates of its events', schema: { type: 'string', format: 'date' } },
      },
      responses: {
        200: versionedDoc('The centre', 'Centre'),
        400: problemDoc('Invalid FINESS, asOf or on'),
        404: problemDoc('No such centre, or not yet registered at asOf or on'),
      },
      handle: async (registry, req) => versioned(await registry.get(req.params.finess!, req.query.asOf, req.query.on)),
    }),
    write<CentreRegistry>({
      operationId: 'AmendCentre',
      method: 'patch',
      path: '/{finess}',
      summary: 'Amend the details of a centre (fields present replace the current ones)',
      params: finess,
      ifMatch: 'required',
      body: { name: 'AmendCentre', schema: amendCentreInput },
      responses: { 200: versionedDoc('The amended centre', 'Centre'), ...writeErrors },
      handle: async (registry, req) => versioned(await registry.amend(req.params.finess!, req.body, options(req))),
    }),
    action(
      'AccreditCentre',
      'accreditation',
      'Accredit a candidate: it becomes a member from accreditedOn',
      { name: 'AccreditCentre', schema: accreditCentreInput },
      (r, f, b, o) => r.accredit(f, b, o),
    ),
    action('SuspendCentre', 'suspension', 'Suspend a member', { name: 'SuspendCentre', schema: suspendCentreInput }, (r, f, b, o) => r.suspend(f, b, o)),
    action('ReinstateCentre', 'reinstatement', 'Reinstate a suspended centre', undefined, (r, f, b, o) => r.reinstate(f, b, o)),
    action('CloseCentre', 'closure', 'Close a centre from an effective date (terminal)', { name: 'CloseCentre', schema: closeCentreInput }, (r, f, b, o) =>
      r.close(f, b, o),
    ),
    read<CentreRegistry>({
      operationId: 'GetCentreHistory',
      method: 'get',
      path: '/{finess}/history',
      summary: 'Every recorded change of a centre',
      params: finess,
      responses: { 200: okDoc('The history', 'CentreHistory'), 404: problemDoc('No such centre') },
      handle: async (registry, req) => ok({ entries: await registry.history(req.params.finess!) }),
    }),
  ],
});
