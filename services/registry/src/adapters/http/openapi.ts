import { z } from 'zod';
import {
  accreditCentreInput,
  addressInput,
  amendCentreInput,
  closeCentreInput,
  commitmentsInput,
  geoPointInput,
  governanceInput,
  healthProjectInput,
  managerInput,
  registerCentreInput,
  suspendCentreInput,
} from '../../application/schemas';
import { CENTRE_SERVICES, CENTRE_STATUSES, CENTRE_TYPES } from '../../domain/centre';

const schema = (s: z.ZodType): object => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

const finessParam = {
  name: 'finess',
  in: 'path',
  required: true,
  description: 'FINESS géographique (9 characters, check digit verified)',
  schema: { type: 'string' },
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'ETag of the version the write is based on',
  schema: { type: 'string', example: '"3"' },
};
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: false, description: 'Makes a retried write a no-op', schema: { type: 'string' } };
const etagHeader = { ETag: { description: 'Version of the centre', schema: { type: 'string' } } };

const centreResponse = (description: string) => ({ description, headers: etagHeader, content: json('Centre') });
const writeErrors = {
  400: problem('Invalid input: `errors` lists each field and why'),
  404: problem('No such centre'),
  409: problem('Not allowed in the current state: `violations` lists each unmet condition'),
  412: problem('The If-Match version is stale: read the centre again'),
  428: problem('If-Match is missing'),
};

const action = (operationId: string, summary: string, body: string | undefined) => ({
  post: {
    operationId,
    summary,
    parameters: [finessParam, ifMatch, idempotencyKey],
    ...(body && { requestBody: { required: true, content: json(body) } }),
    responses: { 200: centreResponse('The centre after the change'), ...writeErrors },
  },
});

/** OpenAPI 3.1 document of the registry's REST API, served at /v1/openapi.json. */
export function registryOpenApi(): object {
  const centre = {
    type: 'object',
    properties: {
      finess: { type: 'string' },
      name: { type: 'string' },
      manager: schema(managerInput),
      type: { enum: CENTRE_TYPES },
      communeInsee: { type: 'string' },
      communeName: { type: 'string' },
      departement: { type: 'string' },
      region: { type: 'string' },
      address: schema(addressInput),
      coordinates: schema(geoPointInput),
      commitments: schema(commitmentsInput),
      governance: schema(governanceInput),
      healthProject: schema(healthProjectInput),
      services: { type: 'array', items: { enum: CENTRE_SERVICES } },
      secpaParticipation: { type: 'boolean' },
      status: { enum: CENTRE_STATUSES },
      accreditedOn: { type: 'string', format: 'date' },
      suspensionReason: { type: 'string' },
      closure: { type: 'object', properties: { effectiveDate: { type: 'string', format: 'date' }, reason: { type: 'string' } } },
      version: { type: 'integer', description: 'Stream revision; the ETag' },
      registeredAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  };
  return {
    openapi: '3.1.0',
    'x-pcn-service': 'registry',
    info: {
      title: 'PCN registry of centres de santé',
      version: '1.0.0',
      description: 'Coordinators register, accredit, suspend, reinstate and close centres. Errors are RFC 9457 problem+json.',
    },
    paths: {
      '/v1/centres': {
        get: {
          operationId: 'ListCentres',
          summary: 'List centres',
          parameters: [
            { name: 'departement', in: 'query', schema: { type: 'string' } },
            { name: 'region', in: 'query', schema: { type: 'string' } },
            { name: 'status', in: 'query', schema: { enum: CENTRE_STATUSES } },
            { name: 'type', in: 'query', schema: { enum: CENTRE_TYPES } },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
            { name: 'pageToken', in: 'query', schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'A page of centres', content: json('CentrePage') }, 400: problem('Invalid filter') },
        },
        post: {
          operationId: 'RegisterCentre',
          summary: 'Register a centre (candidate)',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json('RegisterCentre') },
          responses: {
            201: centreResponse('Registered'),
            400: problem('Invalid input, including a for-profit manager'),
            409: problem('This FINESS is already registered'),
          },
        },
      },
      '/v1/centres/{finess}': {
        get: {
          operationId: 'GetCentre',
          summary: 'Get a centre: now, as recorded by an instant of the log (asOf), with its status on a business day (on)',
          parameters: [
            finessParam,
            {
              name: 'asOf',
              in: 'query',
              description: 'An instant of the event log: the centre as recorded by then',
              schema: { type: 'string', format: 'date-time' },
            },
            {
              name: 'on',
              in: 'query',
              description: 'A business day: the status the centre has on that day by the dates of its events',
              schema: { type: 'string', format: 'date' },
            },
          ],
          responses: {
            200: centreResponse('The centre'),
            400: problem('Invalid FINESS, asOf or on'),
            404: problem('No such centre, or not yet registered at asOf or on'),
          },
        },
        patch: {
          operationId: 'AmendCentre',
          summary: 'Amend the details of a centre (fields present replace the current ones)',
          parameters: [finessParam, ifMatch, idempotencyKey],
          requestBody: { required: true, content: json('AmendCentre') },
          responses: { 200: centreResponse('The amended centre'), ...writeErrors },
        },
      },
      '/v1/centres/{finess}/accreditation': action('AccreditCentre', 'Accredit a candidate: it becomes a member from accreditedOn', 'AccreditCentre'),
      '/v1/centres/{finess}/suspension': action('SuspendCentre', 'Suspend a member', 'SuspendCentre'),
      '/v1/centres/{finess}/reinstatement': action('ReinstateCentre', 'Reinstate a suspended centre', undefined),
      '/v1/centres/{finess}/closure': action('CloseCentre', 'Close a centre from an effective date (terminal)', 'CloseCentre'),
      '/v1/centres/{finess}/history': {
        get: {
          operationId: 'GetCentreHistory',
          summary: 'Every recorded change of a centre',
          parameters: [finessParam],
          responses: { 200: { description: 'The history', content: json('CentreHistory') }, 404: problem('No such centre') },
        },
      },
    },
    components: {
      schemas: {
        RegisterCentre: schema(registerCentreInput),
        AmendCentre: schema(amendCentreInput),
        AccreditCentre: schema(accreditCentreInput),
        SuspendCentre: schema(suspendCentreInput),
        CloseCentre: schema(closeCentreInput),
        Centre: centre,
        CentrePage: {
          type: 'object',
          properties: { centres: { type: 'array', items: ref('Centre') }, nextPageToken: { type: 'string' }, totalSize: { type: 'integer' } },
        },
        CentreHistory: {
          type: 'object',
          properties: {
            entries: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  version: { type: 'integer' },
                  type: { type: 'string' },
                  occurredAt: { type: 'string', format: 'date-time' },
                  recordedAt: { type: 'string', format: 'date-time' },
                  actor: { type: 'string' },
                  data: { type: 'object' },
                },
              },
            },
          },
        },
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, description: { type: 'string' } } } },
            violations: {
              type: 'array',
              items: { type: 'object', properties: { type: { type: 'string' }, subject: { type: 'string' }, description: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
