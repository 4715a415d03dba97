import { Router } from 'express';
import { commandContext, queryOf } from '@pcn/http';
import type { Vacancies } from '../../application/vacancies';
import { sendCreated, sendVersioned, writeOptions } from './request-parts';

const VACANCY_FILTERS = ['departement', 'region', 'profession', 'status', 'pageSize', 'pageToken'] as const;

/** Vacancies: posted by a centre, listed by territory, cancelled by a coordinator. */
export function vacancyRoutes(vacancies: Vacancies): Router {
  const router = Router();

  router.post('/vacancies', async (req, res) => {
    const view = await vacancies.post(req.body, commandContext(req));
    sendCreated(req, res, `/vacancies/${view.vacancyId}`, view);
  });

  router.get('/vacancies', async (req, res) => {
    res.json(await vacancies.list(queryOf(req, VACANCY_FILTERS)));
  });

  router.get('/vacancies/:id', async (req, res) => {
    queryOf(req, []);
    sendVersioned(res, await vacancies.get(req.params.id));
  });

  router.post('/vacancies/:id/cancellation', async (req, res) => {
    sendVersioned(res, await vacancies.cancel(req.params.id, req.body, writeOptions(req)));
  });

  return router;
}
