import { queryOf } from '@pcn/http';
import { Router } from 'express';
import { parseInput } from '@pcn/validation';
import type { StaffServices } from '../../application/staff-services';
import { onDateInput } from '../../application/schemas';

/** A centre's team on a day, the network's reports, and the advancement run coordinators may trigger. */
export function reportRoutes(services: StaffServices): Router {
  const router = Router();

  router.get('/centres/:finess/team', async (req, res) => {
    res.json(await services.teams.team(req.params.finess, queryOf(req, ['on', 'pageSize', 'pageToken'])));
  });

  router.get('/reports/vacancies', async (req, res) => {
    res.json(await services.vacancies.report(queryOf(req, ['departement', 'region'])));
  });

  router.get('/reports/pay-equity', async (req, res) => {
    res.json(await services.teams.payEquity(queryOf(req, ['on'])));
  });

  // The scheduled process, run now: records every échelon advancement served by `on` (today).
  router.post('/advancements/run', async (req, res) => {
    const { on } = parseInput(onDateInput, req.body ?? {});
    res.json(await services.careers.recordAdvancementsDue(on));
  });

  return router;
}
