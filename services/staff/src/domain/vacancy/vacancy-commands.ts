import type { IsoDate } from '@pcn/time';
import type { Profession } from '../professional/profession';

/**
 * Commands arrive shaped by the edge (FINESS checked, profession one of the list); the decider
 * still checks what a wrong value would silently corrupt: the FTE range and the dates.
 */
export type VacancyCommand =
  | {
      readonly type: 'PostVacancy';
      readonly vacancyId: string;
      readonly centreFiness: string;
      readonly profession: Profession;
      /** Ten-thousandths of a full-time post, 1 to 10000. */
      readonly fte: number;
      readonly startOn: IsoDate;
      readonly postedBy: string;
    }
  | {
      readonly type: 'FillVacancy';
      readonly professionalId: string;
      /** The approved mobility that fills the post; absent for a hire. */
      readonly mobilityId?: string;
      readonly filledOn: IsoDate;
    }
  | { readonly type: 'CancelVacancy'; readonly reason: string; readonly cancelledOn: IsoDate };
