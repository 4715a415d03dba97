/**
 * Days as the computation counts them. A calendar date (`YYYY-MM-DD`) is carried inside the
 * computation as its epoch day (days since 1970-01-01, UTC, no time zone), so that comparing and
 * counting days is integer arithmetic. Ranges of days are half-open: `start` included, `end` the
 * first day no longer covered, as the attribution events write periods.
 */
export type IsoDate = string;
export type EpochDay = number;
/** `YYYY-MM`: a billing period is a calendar month. */
export type PeriodId = string;

/** An end far beyond any period: the range is open. */
export const OPEN_END: EpochDay = 2_000_000;

export interface DayRange {
  readonly start: EpochDay;
  /** First day not covered; `OPEN_END` when the range is open. */
  readonly end: EpochDay;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInYear(year: number): 365 | 366 {
  return isLeapYear(year) ? 366 : 365;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function epochDayOf(year: number, month: number, day: number): EpochDay {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects `2026-02-30`). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function isPeriodId(value: unknown): value is PeriodId {
  if (typeof value !== 'string') return false;
  const m = PERIOD.exec(value);
  return m !== null && Number(m[1]) >= 1900 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Epoch day of a valid ISO date; throws a RangeError otherwise (validate at the edge first). */
export function toEpochDay(date: IsoDate): EpochDay {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date written YYYY-MM-DD: ${JSON.stringify(date)}`);
  return epochDayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

export function toIsoDate(day: EpochDay): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOf(day: EpochDay): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** The days of a billing period, and the year they divide by. */
export interface PeriodDays {
  readonly period: PeriodId;
  readonly year: number;
  readonly month: number;
  readonly start: EpochDay;
  readonly end: EpochDay;
  readonly daysInYear: 365 | 366;
}

export function periodDays(period: PeriodId): PeriodDays {
  if (!isPeriodId(period)) throw new RangeError(`not a billing period written YYYY-MM: ${JSON.stringify(period)}`);
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return { period, year, month, start: epochDayOf(year, month, 1), end: epochDayOf(year, month + 1, 1), daysInYear: daysInYear(year) };
}

export function previousPeriod(period: PeriodId): PeriodId {
  const { year, month } = periodDays(period);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
