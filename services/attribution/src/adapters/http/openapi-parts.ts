import { z } from 'zod';
import { communeField, finessField, nirField, rppsField } from '../../application/schemas';

/** Building blocks of the attribution OpenAPI document. */

export const date = { type: 'string', format: 'date' } as const;
const nir = {
  type: 'string',
  description:
    'NIR (numéro de sécurité sociale): 13 characters and a 2-digit key, 2A or 2B at positions 6–7 for Corsica; spaces are ignored. It is checked, then hashed into the patient id: it is never stored nor answered.',
} as const;
export const rpps = { type: 'string', description: 'RPPS number: 11 digits, the last a check digit' } as const;
export const finess = {
  type: 'string',
  description: 'FINESS géographique of the centre: 9 characters (2A or 2B first for Corsica), the last a check digit',
} as const;
export const commune = {
  type: 'string',
  description: 'INSEE code of a commune (or municipal arrondissement) of the reference list, 2021 census',
  example: '93066',
} as const;

/**
 * The application's referential checks are zod transforms of `unknown`: JSON Schema would say
 * nothing of them. They are documented here, by identity.
 */
const checkedFields = new Map<unknown, object>([
  [nirField, nir],
  [rppsField, rpps],
  [finessField, finess],
  [communeField, commune],
]);

/** A request schema of the application as JSON Schema (what the caller sends). */
export const fromZod = (s: z.ZodType): object =>
  z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const doc = checkedFields.get(ctx.zodSchema);
      if (doc) Object.assign(ctx.jsonSchema, doc);
    },
  });

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
export const body = (name: string, required = true) => ({ requestBody: { required, content: json(name) } });

export const pathParam = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
export const query = (name: string, schema: object, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description && { description }),
});
export const pageQueries = (fallback: number, max: number) => [
  query('pageSize', { type: 'integer', minimum: 1, maximum: max, default: fallback }),
  query('pageToken', { type: 'string', maxLength: 200 }, 'nextPageToken of the previous page'),
];

const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'ETag of the version the update is based on: a stale one is refused (412). Without it, the update applies to the latest version.',
  schema: { type: 'string', example: '"3"' },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retried write a no-op (1 to 128 characters among letters, digits and . _ : -)',
  schema: { type: 'string' },
};

/** Headers of a write decided against the latest state (If-Match is refused there), and of an update. */
export const writeHeaders = [idempotencyKey];
export const updateHeaders = [ifMatch, idempotencyKey];

export const etagHeader = { ETag: { description: 'Revision of the patient (use it as If-Match on an update)', schema: { type: 'string' } } };
const locationHeader = (description: string) => ({ Location: { description, schema: { type: 'string' } } });

/** A patient resource, with its revision as the ETag. */
export const versioned = (description: string, schema: string) => ({ description, headers: etagHeader, content: json(schema) });
export const created = (description: string, schema: string, location: string) => ({
  description,
  headers: { ...etagHeader, ...locationHeader(location) },
  content: json(schema),
});
export const ok = (description: string, schema: string) => ({ description, content: json(schema) });

export const invalid = (what = 'Invalid input') => problem(`${what}: \`errors\` lists each field and why; nothing is written`);
export const refused = (conditions: string) => problem(`Not allowed in the current state (${conditions}): \`violations\` lists each unmet condition`);
