import type { IsoDate } from '@pcn/time';
import type { Profession } from '../professional/profession';

/** What a vacancy is: every event repeats it, so a read model never has to join the stream. */
export interface VacancyPost {
  readonly vacancyId: string;
  readonly centreFiness: string;
  readonly profession: Profession;
  /** Ten-thousandths of a full-time post (0.5 → 5000). */
  readonly fte: number;
  /** The day the post is to be taken up. */
  readonly startOn: IsoDate;
}

/** Stream `vacancy-{vacancyId}`: posted, then filled or cancelled, both final. */
export type VacancyEvent =
  | { readonly type: 'VacancyPosted'; readonly data: VacancyPost & { readonly postedBy: string } }
  | {
      readonly type: 'VacancyFilled';
      readonly data: VacancyPost & { readonly professionalId: string; readonly mobilityId?: string; readonly filledOn: IsoDate };
    }
  | { readonly type: 'VacancyCancelled'; readonly data: VacancyPost & { readonly reason: string; readonly cancelledOn: IsoDate } };
