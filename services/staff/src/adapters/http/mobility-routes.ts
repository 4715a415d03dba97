import { Router } from 'express';
import { commandContext, queryOf } from '@pcn/http';
import type { Mobilities } from '../../application/mobilities';
import { sendCreated, sendVersioned, writeOptions } from './request-parts';

/**
 * Mobility: requested for a vacancy, an opinion from each centre (the actor is X-PCN-Actor), a
 * coordinator's decision; an approved movement is applied shortly after (`movement.status`).
 */
export function mobilityRoutes(mobilities: Mobilities): Router {
  const router = Router();

  router.post('/mobilities', async (req, res) => {
    const view = await mobilities.request(req.body, commandContext(req));
    sendCreated(req, res, `/mobilities/${view.mobilityId}`, view);
  });

  router.get('/mobilities/:id', async (req, res) => {
    queryOf(req, []);
    sendVersioned(res, await mobilities.get(req.params.id));
  });

  router.post('/mobilities/:id/opinions', async (req, res) => {
    sendVersioned(res, await mobilities.giveOpinion(req.params.id, req.body, writeOptions(req)));
  });

  router.post('/mobilities/:id/decision', async (req, res) => {
    sendVersioned(res, await mobilities.decide(req.params.id, req.body, writeOptions(req)));
  });

  router.post('/mobilities/:id/withdrawal', async (req, res) => {
    sendVersioned(res, await mobilities.withdraw(req.params.id, req.body ?? {}, writeOptions(req)));
  });

  return router;
}
