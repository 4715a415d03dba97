import type { Operation } from '@pcn/http';
const text = { type: 'string' };
const query = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });

/** The access-trail route, merged into the process's OpenAPI document like a service's. */
export const accessTrailOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Access trail',
    version: '1.0.0',
    description: 'Every read of patient-level data: who, which operation, which patient, centre or practitioner, when, from where.',
  },
  paths: {
    '/v1/access-trail': {
      get: {
        operationId: 'ListAccessTrail',
        tags: ['access-trail'],
        summary: 'List the reads of patient-level data, oldest first (national coordinators and auditors)',
        parameters: [
          query('actor', text, 'Only those of this actor, e.g. centre:cds-saint-denis@930000013'),
          query('subject', text, 'Only those of this patient id, FINESS or RPPS'),
          query('operation', text, 'Only those of this operation, e.g. attribution.GetCentreRoster'),
          query('pageSize', { type: 'integer', minimum: 1, maximum: 500, default: 100 }, 'Entries per page'),
          query('pageToken', text, 'nextPageToken of the previous page'),
        ],
        responses: {
          200: {
            description: 'A page of the trail',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    entries: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          id: text,
                          at: { type: 'string', format: 'date-time' },
                          actor: text,
                          role: text,
                          operation: text,
                          subjectKind: { enum: ['patient', 'centre', 'practitioner', 'nir-lookup'] },
                          subject: text,
                          from: text,
                          transport: { enum: ['rest', 'grpc'] },
                        },
                      },
                    },
                    nextPageToken: text,
                  },
                },
              },
            },
          },
          400: { description: 'A query parameter is invalid or unknown' },
        },
      },
    },
  },
};

/** The access-trail operation, as the access gate names it. */
export const accessTrailOperations: readonly Operation[] = [
  { service: 'accessTrail', operationId: 'ListAccessTrail', method: 'GET', path: '/v1/access-trail' },
];
