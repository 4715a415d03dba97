import type { oas31 } from 'zod-openapi';
import type { Reply, ResponseDoc } from './route';

/** A resource with its version: 200 (or `status`), the version as the ETag. */
export const versioned = <V extends { readonly version: number }>(view: V, status = 200): Reply => ({ status, body: view, version: view.version });

/** A resource just created: 201, where to read it (relative to the service's prefix), its version as the ETag. */
export const created = <V extends { readonly version: number }>(view: V, location: string): Reply => ({
  status: 201,
  body: view,
  version: view.version,
  location,
});

/** An answer with no version of its own (a list, a report). */
export const ok = (body: unknown): Reply => ({ body });

const text = { type: 'string' } as const;

/** RFC 9457 problem details, with the `errors` and `violations` extensions; the same in every service. */
export const PROBLEM_SCHEMA: oas31.SchemaObject = {
  type: 'object',
  properties: {
    type: text,
    title: text,
    status: { type: 'integer' },
    detail: text,
    instance: text,
    errors: { type: 'array', items: { type: 'object', properties: { field: text, description: text } } },
    violations: { type: 'array', items: { type: 'object', properties: { type: text, subject: text, description: text } } },
  },
};

/** Documentation of responses, as the table's routes describe them. */
export const ref = (schema: string): oas31.ReferenceObject => ({ $ref: `#/components/schemas/${schema}` });
const json = (schema: string) => ({ 'application/json': { schema: ref(schema) } });
const etag = { ETag: { description: 'Version of the resource (use it as If-Match)', schema: text } };

export const problemDoc = (description: string): ResponseDoc => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
export const okDoc = (description: string, schema: string): ResponseDoc => ({ description, content: json(schema) });
export const versionedDoc = (description: string, schema: string): ResponseDoc => ({ description, headers: etag, content: json(schema) });
export const createdDoc = (description: string, schema: string, location = 'Where to read the created resource'): ResponseDoc => ({
  description,
  headers: { ...etag, Location: { description: location, schema: text } },
  content: json(schema),
});
