import { z } from 'zod';

/** Building blocks of the staff OpenAPI document. */

export const fromZod = (s: z.ZodType): object => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
export const body = (name: string, required = true) => ({ requestBody: { required, content: json(name) } });

export const date = { type: 'string', format: 'date' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const fte = { type: 'string', description: 'Full-time equivalent, a decimal in (0, 1] such as "0.8"', example: '0.8' } as const;
export const cents = { type: 'integer', description: 'Euro cents' } as const;

export const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
export const query = (name: string, schema: object, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description && { description }),
});
export const onQuery = (what: string) => query('on', date, `Day of ${what}; today (UTC) when absent`);
export const pageQueries = (fallback: number, max: number) => [
  query('pageSize', { type: 'integer', minimum: 1, maximum: max, default: fallback }),
  query('pageToken', { type: 'string' }, 'nextPageToken of the previous page'),
];

const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'ETag of the version the write is based on: a stale one is refused (412). Without it, the write is decided against the latest version.',
  schema: { type: 'string', example: '"3"' },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retried write a no-op (1 to 128 characters among letters, digits and . _ : -)',
  schema: { type: 'string' },
};

/** Headers of a write creating a resource, and of a write on an existing one. */
export const createHeaders = [idempotencyKey];
export const writeHeaders = [ifMatch, idempotencyKey];

export const etagHeader = { ETag: { description: 'Version of the resource (use it as If-Match)', schema: { type: 'string' } } };
export const locationHeader = { Location: { description: 'Where to read the created resource', schema: { type: 'string' } } };

/** A single resource, with its version as the ETag. */
export const versioned = (description: string, schema: string) => ({ description, headers: etagHeader, content: json(schema) });
export const created = (description: string, schema: string) => ({ description, headers: { ...etagHeader, ...locationHeader }, content: json(schema) });
export const ok = (description: string, schema: string) => ({ description, content: json(schema) });

export const readErrors = (what: string) => ({ 400: problem('Invalid parameter: `errors` lists each field and why'), 404: problem(`No such ${what}`) });
export const writeErrors = (what: string) => ({
  400: problem('Invalid input: `errors` lists each field and why; nothing is written'),
  404: problem(`No such ${what}`),
  409: problem('Not allowed in the current state: `violations` lists each unmet condition'),
  412: problem('The If-Match version is stale: read the resource again'),
});
