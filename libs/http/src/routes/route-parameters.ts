import type { oas31 } from 'zod-openapi';
import type { IfMatchPolicy, ParameterDoc, Route } from './route';

const text: oas31.SchemaObject = { type: 'string' };

const IF_MATCH: Record<Exclude<IfMatchPolicy, 'refused' | 'none'>, oas31.ParameterObject> = {
  required: {
    name: 'If-Match',
    in: 'header',
    required: true,
    description: 'ETag of the version the write is based on: a stale one is refused (412), a missing one too (428)',
    schema: { type: 'string', example: '"3"' },
  },
  optional: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'ETag of the version the write is based on: a stale one is refused (412). Without it, the write is decided against the latest version.',
    schema: { type: 'string', example: '"3"' },
  },
};

const COMMAND_HEADERS: oas31.ParameterObject[] = [
  {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes a retried write a no-op (1 to 128 characters among letters, digits and . _ : -)',
    schema: text,
  },
  { name: 'X-PCN-Actor', in: 'header', required: false, description: 'Who acts (recorded in the event metadata)', schema: text },
];

/** The parameters of a route as documented: path, query, then the headers its kind reads. */
export function documentedParameters(route: Route<never>): oas31.ParameterObject[] {
  const path = Object.entries(route.params ?? {}).map(([name, doc]) => ({ name, in: 'path' as const, required: true, schema: text, ...doc }));
  const query = Object.entries(route.query ?? {}).map(([name, doc]) => ({ name, in: 'query' as const, required: false, schema: text, ...doc }));
  const headers =
    route.kind === 'write' ? [...(route.ifMatch === 'required' || route.ifMatch === 'optional' ? [IF_MATCH[route.ifMatch]] : []), ...COMMAND_HEADERS] : [];
  return [...path, ...query, ...headers];
}

/** The paging parameters of a list: `pageSize` (default `fallback`, at most `max`) and `pageToken`. */
export const pageParams = (fallback: number, max: number): Record<'pageSize' | 'pageToken', ParameterDoc> => ({
  pageSize: { schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } },
  pageToken: { schema: { type: 'string', maxLength: 200 }, description: 'nextPageToken of the previous page' },
});
