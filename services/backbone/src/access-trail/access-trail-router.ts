import { Router } from 'express';
import { z } from 'zod';
import { queryOf } from '@pcn/http';
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

/** `GET /v1/access-trail`: the reads of patient-level data, oldest first, by actor, subject (patient id, FINESS, RPPS) or operation. */
export function accessTrailRouter(trail: SqlAccessTrail): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseInput(listQuery, queryOf(req, ['actor', 'subject', 'operation', 'pageSize', 'pageToken']));
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
    res.json({ entries: page.map(view), ...(more && { nextPageToken: String(page[page.length - 1]!.sequence) }) });
  });
  return router;
}
