import { Router, type Request, type Response } from 'express';
import { commandContext, requireIfMatch, setEtag } from '@pcn/http';
import type { CentreRegistry, WriteOptions } from '../../application/centre-registry';
import type { CentreView } from '../../application/centre-view';

const one = (q: unknown): string | undefined => (typeof q === 'string' ? q : undefined);

function send(res: Response, view: CentreView, status = 200): void {
  setEtag(res, view.version);
  res.status(status).json(view);
}

const writeOptions = (req: Request): WriteOptions => ({ expectedVersion: requireIfMatch(req), context: commandContext(req) });

/** REST for coordinators: `/v1/centres`. Writes on an existing centre need If-Match. */
export function centresRouter(registry: CentreRegistry): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const page = await registry.list({
      ...(one(req.query.departement) && { departement: one(req.query.departement) }),
      ...(one(req.query.region) && { region: one(req.query.region) }),
      ...(one(req.query.status) && { status: one(req.query.status) }),
      ...(one(req.query.type) && { type: one(req.query.type) }),
      ...(one(req.query.pageSize) && { pageSize: one(req.query.pageSize) }),
      ...(one(req.query.pageToken) && { pageToken: one(req.query.pageToken) }),
    });
    res.json(page);
  });

  router.post('/', async (req, res) => {
    const view = await registry.register(req.body, commandContext(req));
    res.setHeader('Location', `${req.baseUrl}/${view.finess}`);
    send(res, view, 201);
  });

  router.get('/:finess', async (req, res) => {
    send(res, await registry.get(req.params.finess, one(req.query.asOf), one(req.query.on)));
  });

  router.patch('/:finess', async (req, res) => {
    send(res, await registry.amend(req.params.finess, req.body, writeOptions(req)));
  });

  router.post('/:finess/accreditation', async (req, res) => {
    send(res, await registry.accredit(req.params.finess, req.body, writeOptions(req)));
  });

  router.post('/:finess/suspension', async (req, res) => {
    send(res, await registry.suspend(req.params.finess, req.body, writeOptions(req)));
  });

  router.post('/:finess/reinstatement', async (req, res) => {
    send(res, await registry.reinstate(req.params.finess, req.body ?? {}, writeOptions(req)));
  });

  router.post('/:finess/closure', async (req, res) => {
    send(res, await registry.close(req.params.finess, req.body, writeOptions(req)));
  });

  router.get('/:finess/history', async (req, res) => {
    res.json({ entries: await registry.history(req.params.finess) });
  });

  return router;
}
