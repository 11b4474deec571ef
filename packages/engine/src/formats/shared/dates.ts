import type { IsoDate } from '../../core/canonical';

/** A `YYYY-MM-DD` date when the parts form a real calendar day, else null (no rollover of 2016-02-30). */
export function isoDate(year: number, month: number, day: number): IsoDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return null;
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as IsoDate;
}

/** Parses `YYYYMMDD` (exactly eight digits) into an ISO date, or null. */
export function fromCompactDate(text: string): IsoDate | null {
  if (!/^\d{8}$/.test(text)) return null;
  return isoDate(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
}

/** Parses `YYYY-MM-DD` with an optional time part (`T...`), keeping the calendar date as written. */
export function fromIsoDateTime(text: string): IsoDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (match === null) return null;
  return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
}
