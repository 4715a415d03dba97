import type { IsoDate } from '@pcn/time';

export type { IsoDate };

/** Whole years between a birth date and a day (the age on that day). */
export function ageOn(birthDate: IsoDate, day: IsoDate): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** A period of days: `start` included, `end` (the first day outside) excluded; open when absent. */
export interface Period {
  readonly start: IsoDate;
  readonly end?: IsoDate;
}

export function coversDay(period: Period, day: IsoDate): boolean {
  return period.start <= day && (period.end === undefined || day < period.end);
}

export function anyCovers(periods: readonly Period[], day: IsoDate): boolean {
  return periods.some((p) => coversDay(p, day));
}
