import { Router } from 'express';
import { bodyWithPathField, commandContext, queryOf } from '@pcn/http';
import type { Careers } from '../../application/careers';
import { toHistoryEntry } from '@pcn/eventsourcing';
import { sendCreated, sendVersioned, writeOptions } from './request-parts';

/** Professionals: hiring, the position and pay "as of" a day, the history, and career changes. */
export function professionalRoutes(careers: Careers): Router {
  const router = Router();

  router.post('/professionals', async (req, res) => {
    const view = await careers.hire(req.body, commandContext(req));
    sendCreated(req, res, `/professionals/${view.professionalId}`, view);
  });

  router.get('/professionals/:id', async (req, res) => {
    const { asOf } = queryOf(req, ['asOf']);
    sendVersioned(res, await careers.get(req.params.id, asOf));
  });

  router.get('/professionals/:id/pay', async (req, res) => {
    const { on } = queryOf(req, ['on']);
    res.json(await careers.computePay(req.params.id, on));
  });

  router.get('/professionals/:id/history', async (req, res) => {
    queryOf(req, []);
    res.json({ entries: (await careers.history(req.params.id)).map(toHistoryEntry) });
  });

  router.post('/professionals/:id/assignments', async (req, res) => {
    const { assignmentId, professional } = await careers.assign(req.params.id, req.body, writeOptions(req));
    sendCreated(req, res, `/professionals/${professional.professionalId}/assignments/${assignmentId}`, professional);
  });

  router.get('/professionals/:id/assignments/:assignmentId', async (req, res) => {
    queryOf(req, []);
    sendVersioned(res, await careers.assignment(req.params.id, req.params.assignmentId));
  });

  router.post('/professionals/:id/assignments/:assignmentId/end', async (req, res) => {
    const body = bodyWithPathField(req.body, 'assignmentId', req.params.assignmentId);
    sendVersioned(res, await careers.endAssignment(req.params.id, body, writeOptions(req)));
  });

  router.post('/professionals/:id/promotion', async (req, res) => {
    sendVersioned(res, await careers.promote(req.params.id, req.body, writeOptions(req)));
  });

  router.post('/professionals/:id/exit', async (req, res) => {
    sendVersioned(res, await careers.recordExit(req.params.id, req.body, writeOptions(req)));
  });

  return router;
}
