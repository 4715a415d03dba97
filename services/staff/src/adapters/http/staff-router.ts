import { Router } from 'express';
import type { StaffServices } from '../../application/staff-services';
import { mobilityRoutes } from './mobility-routes';
import { professionalRoutes } from './professional-routes';
import { reportRoutes } from './report-routes';
import { statuteRoutes } from './statute-routes';
import { vacancyRoutes } from './vacancy-routes';

/**
 * REST for coordinators, mounted at `/v1/staff`. Writes on an existing resource may carry
 * If-Match: a stale version is refused (412); without it the write is decided again on a
 * conflict, against the latest state. Single resources carry their version as the ETag.
 */
export function staffRouter(services: StaffServices): Router {
  const router = Router();
  router.use(statuteRoutes(services.statute));
  router.use(professionalRoutes(services.careers));
  router.use(vacancyRoutes(services.vacancies));
  router.use(mobilityRoutes(services.mobilities));
  router.use(reportRoutes(services));
  return router;
}
