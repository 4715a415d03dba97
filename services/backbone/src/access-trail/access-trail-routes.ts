import { z } from 'zod';
import { ok, okDoc, pageParams, problemDoc, read, RouteTable } from '@pcn/http';
import { pageSize, parseInput, str } from '@pcn/validation';
import type { SqlAccessTrail, StoredTrailEntry } from './sql-access-trail';

const listQuery = z.strictObject({
  actor: str(300).optional(),
  subject: str(64).optional(),
  operation: str(200).optional(),
  pageSize: pageSize(100, 500),
  pageToken: str(20)
    .regex(/^\d{1,15}$/, 'must be a token given back by a previous page')
    .optional(),
});

const view = (e: StoredTrailEntry): object => ({
  id: String(e.sequence),
  at: e.at.toISOString(),
  actor: e.actor,
  role: e.role,
  operation: e.operation,
  subjectKind: e.subjectKind,
  subject: e.subject,
  from: e.from,
  transport: e.transport,
});

const text = { type: 'string' } as const;

/** `GET /v1/access-trail`: the reads of patient-level data, oldest first, by actor, subject (patient id, FINESS, RPPS) or operation. */
export const accessTrailRoutes = new RouteTable<SqlAccessTrail>({
  service: 'accessTrail',
  prefix: '/v1/access-trail',
  info: {
    title: 'Access trail',
    description: 'Every read of patient-level data: who, which operation, which patient, centre or practitioner, when, from where.',
  },
  schemas: {
    AccessTrailEntry: {
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
    AccessTrailPage: {
      type: 'object',
      required: ['entries'],
      properties: { entries: { type: 'array', items: { $ref: '#/components/schemas/AccessTrailEntry' } }, nextPageToken: text },
    },
  },
  routes: [
    read<SqlAccessTrail, 'actor' | 'subject' | 'operation' | 'pageSize' | 'pageToken'>({
      operationId: 'ListAccessTrail',
      method: 'get',
      path: '',
      tags: ['access-trail'],
      summary: 'List the reads of patient-level data, oldest first (national coordinators and auditors)',
      query: {
        actor: { schema: text, description: 'Only those of this actor, e.g. centre:cds-saint-denis@930000013' },
        subject: { schema: text, description: 'Only those of this patient id, FINESS or RPPS' },
        operation: { schema: text, description: 'Only those of this operation, e.g. attribution.GetCentreRoster' },
        ...pageParams(100, 500),
      },
      responses: { 200: okDoc('A page of the trail', 'AccessTrailPage'), 400: problemDoc('A query parameter is invalid or unknown') },
      handle: async (trail, req) => {
        const query = parseInput(listQuery, req.query);
        const entries = await trail.list({
          ...(query.actor !== undefined && { actor: query.actor }),
          ...(query.subject !== undefined && { subject: query.subject }),
          ...(query.operation !== undefined && { operation: query.operation }),
          ...(query.pageToken !== undefined && { after: Number(query.pageToken) }),
          // One more than the page tells whether another page follows.
          limit: query.pageSize + 1,
        });
        const page = entries.slice(0, query.pageSize);
        const more = entries.length > query.pageSize;
        return ok({ entries: page.map(view), ...(more && { nextPageToken: String(page[page.length - 1]!.sequence) }) });
      },
    }),
  ],
});
