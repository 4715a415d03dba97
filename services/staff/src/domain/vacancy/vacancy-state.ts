import type { IsoDate } from '@pcn/time';
import type { VacancyPost } from './vacancy-events';

export const VACANCY_STATUSES = ['open', 'filled', 'cancelled'] as const;
export type VacancyStatus = (typeof VACANCY_STATUSES)[number];

export interface VacancyFilling {
  readonly professionalId: string;
  readonly mobilityId?: string;
  readonly filledOn: IsoDate;
}

export type VacancyState =
  | { readonly exists: false }
  | (VacancyPost & {
      readonly exists: true;
      readonly postedBy: string;
      readonly status: VacancyStatus;
      /** Set once the vacancy is filled. */
      readonly filling?: VacancyFilling;
      /** Set once the vacancy is cancelled. */
      readonly cancellation?: { readonly reason: string; readonly cancelledOn: IsoDate };
    });

export type Vacancy = Extract<VacancyState, { exists: true }>;

/** The part of the state every vacancy event repeats. */
export function postOf(vacancy: Vacancy): VacancyPost {
  const { vacancyId, centreFiness, profession, fte, startOn } = vacancy;
  return { vacancyId, centreFiness, profession, fte, startOn };
}
