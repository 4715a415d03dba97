import type { Careers } from './careers';
import type { Mobilities } from './mobilities';
import type { StatuteBook } from './statute-book';
import type { Teams } from './teams';
import type { Vacancies } from './vacancies';

/** The staff service's use cases, as the transports (gRPC, REST) see them. */
export interface StaffServices {
  readonly statute: StatuteBook;
  readonly careers: Careers;
  readonly vacancies: Vacancies;
  readonly mobilities: Mobilities;
  readonly teams: Teams;
}
