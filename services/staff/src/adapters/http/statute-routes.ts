import { Router } from 'express';
import { commandContext, queryOf } from '@pcn/http';
import type { IndexPointValue } from '../../domain/statute/index-point';
import type { PayGridVersion } from '../../domain/statute/pay-grid';
import type { StatuteBook } from '../../application/statute-book';

/** A grid version as REST answers it: an FPH grid carries the index-point value in force that day. */
export type PayGridResponse = PayGridVersion & { readonly indexPoint?: IndexPointValue };

/** The statute: pay grids in force, their publication, and every published version. */
export function statuteRoutes(statute: StatuteBook): Router {
  const router = Router();

  router.get('/pay-grids/:kind', async (req, res) => {
    const { on } = queryOf(req, ['on']);
    const grid = await statute.gridOn(req.params.kind, on);
    // An FPH grid carries the index-point value in force that day, absent when none is published that early.
    const indexPoint = grid.kind === 'fph' ? await statute.indexPointOn(on) : undefined;
    const body: PayGridResponse = indexPoint ? { ...grid, indexPoint } : grid;
    res.json(body);
  });

  router.post('/pay-grids', async (req, res) => {
    const grid = await statute.publishGrid(req.body, commandContext(req));
    res.setHeader('Location', `${req.baseUrl}/pay-grids/${grid.kind}?on=${grid.effectiveFrom}`);
    res.status(201).json(grid);
  });

  router.post('/index-point-values', async (req, res) => {
    res.status(201).json(await statute.publishIndexPointValue(req.body, commandContext(req)));
  });

  router.get('/statute', async (req, res) => {
    queryOf(req, []);
    res.json(await statute.current());
  });

  return router;
}
