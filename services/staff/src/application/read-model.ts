import type { IsoDate } from '@pcn/time';
import type { Professional } from '../domain/professional/professional-state';
import type { Vacancy } from '../domain/vacancy/vacancy-state';
import type { Mobility } from '../domain/mobility/mobility-state';
import type { Assignment } from '../domain/professional/professional-state';
import type { Profession } from '../domain/professional/profession';
import type { VacancyStatus } from '../domain/vacancy/vacancy-state';
import type { MovementOutcome } from './views';

/** A row of a centre's team on a day: the post and the professional who holds it. */
export interface TeamRow {
  readonly assignment: Assignment;
  readonly professional: Professional;
  readonly version: number;
}

export interface TeamSlice {
  readonly rows: readonly TeamRow[];
  readonly totalSize: number;
  /** Ten-thousandths, over the whole team that day. */
  readonly totalFte: number;
  readonly nextPageToken?: string;
}

export interface VacancyRecord {
  readonly vacancy: Vacancy;
  readonly version: number;
  readonly departement?: string;
  readonly region?: string;
}

export interface VacancyFilter {
  readonly departement?: string;
  readonly region?: string;
  readonly profession?: Profession;
  readonly status?: VacancyStatus;
}

export interface MobilityRecord {
  readonly mobility: Mobility;
  readonly version: number;
  readonly decision?: { readonly by: string; readonly reason?: string };
  readonly movement?: MovementOutcome;
}

/** Vacancies grouped for the report "vacancies per territory and profession". */
export interface VacancyCount {
  readonly region: string;
  readonly departement: string;
  readonly profession: Profession;
  readonly open: number;
  /** Ten-thousandths: the posts' FTE added up. */
  readonly openFte: number;
}

/** The read side of the staff service, kept by a projection of its own events. */
export interface StaffReadModel {
  waitFor(position: number, timeoutMs: number): Promise<void>;
  team(centreFiness: string, on: IsoDate, page: { size: number; token?: string }): Promise<TeamSlice>;
  /** Assignments at a centre still worked on or after `from` (what a closure ends). */
  assignmentsAtCentreFrom(centreFiness: string, from: IsoDate): Promise<readonly { professionalId: string; assignment: Assignment }[]>;
  vacancy(vacancyId: string): Promise<VacancyRecord | undefined>;
  listVacancies(
    filter: VacancyFilter,
    page: { size: number; token?: string },
  ): Promise<{ records: readonly VacancyRecord[]; totalSize: number; nextPageToken?: string }>;
  openVacanciesAt(centreFiness: string): Promise<readonly Vacancy[]>;
  vacancyCounts(filter: { departement?: string; region?: string }): Promise<readonly VacancyCount[]>;
  mobility(mobilityId: string): Promise<MobilityRecord | undefined>;
  /** Every professional, by id, in pages (the scheduled advancement process, the pay equity report). */
  professionals(after: string | undefined, limit: number): Promise<readonly Professional[]>;
}

/** Every professional, read page by page so memory stays bounded whatever the network's size. */
export async function* everyProfessional(readModel: Pick<StaffReadModel, 'professionals'>, pageSize = 500): AsyncGenerator<Professional> {
  let after: string | undefined;
  for (;;) {
    const page = await readModel.professionals(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.professionalId;
  }
}
