/**
 * Calendar dates as the law and billing speak them: `YYYY-MM-DD`, no time, no time zone. A decree
 * takes effect on a day, an échelon is reached on a day; nothing here depends on a clock.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): { year: number; month: number; day: number } | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects `2023-02-30`). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const p = parts(value);
  return p !== undefined && p.year >= 1900 && p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysInMonth(p.year, p.month);
}

/** Valid ISO dates compare like strings. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function format(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Adds whole months, keeping the day of the month; when the target month is shorter the date is
 * the last day of that month (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const p = parts(date);
  if (!p || !Number.isInteger(months)) throw new RangeError(`cannot add ${months} months to ${date}`);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(p.day, daysInMonth(year, month)));
}

/** Adds whole days (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const p = parts(date);
  if (!p || !Number.isInteger(days)) throw new RangeError(`cannot add ${days} days to ${date}`);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Whole months from `from` to `to` (0 when `to` is before `from`), the way addMonths counts them. */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) throw new RangeError(`cannot count months from ${from} to ${to}`);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  while (months > 0 && addMonths(from, months) > to) months--;
  return Math.max(0, months);
}
