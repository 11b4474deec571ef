import type { IsoDate } from '../core/canonical';
import { cachedRegExp, type ParseOutcome } from './amount-parse';
import { monthNameTable, type MonthNameLanguage } from './month-names';

/** Role of one captured group of a compiled date format. */
export type DatePart =
  'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'minute' | 'second' | 'zone';

/** A date format compiled to one regular expression, shared by the TypeScript and the SQL parser. */
export interface CompiledDateFormat {
  pattern: string;
  parts: DatePart[];
  /**
   * The same format without surrounding spaces when every token has a fixed width: `pattern` matches
   * exactly the values `fixed.pattern` matches plus padded ones, and each group is the substring at
   * `[offset, length]` (or empty when null). Lets SQL avoid capturing groups for the common case.
   */
  fixed: { pattern: string; groups: Array<readonly [number, number] | null> } | null;
}

/** Two-digit years up to this value are 20xx, the others 19xx (`DD/MM/YY`). */
export const TWO_DIGIT_YEAR_PIVOT = 69;

/**
 * What `MMM` and `MMMM` capture: a run of Latin letters (accented ones too) with an optional trailing dot;
 * whether it is a month is decided by the mapping's month-name table. Written once for JavaScript and
 * DuckDB (RE2), where this character class means the same code points.
 */
export const MONTH_NAME_PATTERN = '([A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]+\\.?)';

const W = '[ \t\u00A0\u202F]*';

// Longest tokens first so `YYYY` is not read as two `YY`, nor `MMM` as `MM` + `M`.
const TOKENS: ReadonlyArray<readonly [string, string, DatePart]> = [
  ['YYYY', '([0-9]{4})', 'year'],
  ['YY', '([0-9]{2})', 'year2'],
  ['MMMM', MONTH_NAME_PATTERN, 'monthName'],
  ['MMM', MONTH_NAME_PATTERN, 'monthName'],
  ['MM', '([0-9]{2})', 'month'],
  ['M', '([0-9]{1,2})', 'month'],
  ['DD', '([0-9]{2})', 'day'],
  ['D', '([0-9]{1,2})', 'day'],
  ['HH', '([0-9]{2})', 'hour'],
  ['mm', '([0-9]{2})', 'minute'],
  ['ss', '([0-9]{2})', 'second'],
];

/** The ISO 8601 date or date-time; a zone (`Z`, `+02:00`) moves the date to UTC. */
const ISO: CompiledDateFormat = {
  pattern: `^${W}([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?(Z|[+\\-][0-9]{2}:?[0-9]{2})?)?${W}$`,
  parts: ['year', 'month', 'day', 'hour', 'minute', 'second', 'zone'],
  // A plain date is by far the most common ISO value.
  fixed: {
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    groups: [[0, 4], [5, 2], [8, 2], null, null, null, null],
  },
};

const compiledFormats = new Map<string, CompiledDateFormat>();

const escapeLiteral = (char: string): string => (/[A-Za-z0-9]/.test(char) ? char : `\\${char}`);

/**
 * Compiles a date format such as `DD.MM.YYYY`, `MM/DD/YYYY`, `YYYYMMDD`, `D MMM YYYY`, `D. MMMM YYYY`,
 * `DD.MM.YYYY HH:mm` or `ISO` (ISO 8601 date or date-time). Tokens: YYYY, YY, MMMM and MMM (a month
 * name, full or abbreviated, in the language passed to `parseDate`), MM, M, DD, D, HH, mm, ss; any other
 * character must appear literally. Throws on a format without year, month and day.
 */
export function compileDateFormat(format: string): CompiledDateFormat {
  if (format === 'ISO') return ISO;
  const known = compiledFormats.get(format);
  if (known) return known;
  let pattern = '';
  const parts: DatePart[] = [];
  const groups: Array<readonly [number, number]> = [];
  let width = 0;
  let isFixed = true;
  let rest = format;
  while (rest.length > 0) {
    const token = TOKENS.find(([name]) => rest.startsWith(name));
    if (token) {
      pattern += token[1];
      parts.push(token[2]);
      const fixedWidth = /^\(\[0-9\]\{(\d)\}\)$/.exec(token[1]);
      if (fixedWidth) groups.push([width, Number(fixedWidth[1])]);
      else isFixed = false;
      width += Number(fixedWidth?.[1] ?? 0);
      rest = rest.slice(token[0].length);
    } else {
      if (/[A-Za-z]/.test(rest.charAt(0)))
        throw new Error(`date format "${format}": unknown token at "${rest}"`);
      pattern += escapeLiteral(rest.charAt(0));
      width += 1;
      rest = rest.slice(1);
    }
  }
  const has = (...wanted: DatePart[]) => wanted.some((part) => parts.includes(part));
  if (!has('year', 'year2') || !has('month', 'monthName') || !has('day')) {
    throw new Error(`date format "${format}" needs a year, a month and a day`);
  }
  const compiled = {
    pattern: `^${W}${pattern}${W}$`,
    parts,
    fixed: isFixed ? { pattern: `^${pattern.replaceAll('([0-9]', '(?:[0-9]')}$`, groups } : null,
  };
  compiledFormats.set(format, compiled);
  return compiled;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Offset of a zone designator in minutes east of UTC (`Z` → 0, `-05:00` → -300). */
export function zoneOffsetMinutes(zone: string): number {
  if (zone === '' || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return zone.startsWith('-') ? -minutes : minutes;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const fail = (code: 'DATE_INVALID' | 'DATE_MISSING', message: string): ParseOutcome<never> => ({
  ok: false,
  code,
  message,
});

/**
 * Reads a calendar date with an explicit format; never guesses per value (`01/02/2024` is read as the
 * format says). Date-times with a zone are converted to the UTC calendar date. Month names (`MMM`,
 * `MMMM`) are read in `monthNames` (English by default), case-insensitively, with or without accents.
 * @example parseDate('31.12.2024', 'DD.MM.YYYY') // { ok: true, value: '2024-12-31' }
 * @example parseDate('2026-01-02T23:30:00-05:00', 'ISO') // { ok: true, value: '2026-01-03' }
 * @example parseDate('3. Mär 2024', 'D. MMM YYYY', 'de') // { ok: true, value: '2024-03-03' }
 */
export function parseDate(
  raw: string | null,
  format: string | CompiledDateFormat,
  monthNames: MonthNameLanguage = 'en',
): ParseOutcome<IsoDate> {
  if (raw === null || cachedRegExp(`^${W}$`).test(raw)) return fail('DATE_MISSING', 'the date is empty');
  const compiled = typeof format === 'string' ? compileDateFormat(format) : format;
  const match = cachedRegExp(compiled.pattern).exec(raw);
  if (!match) return fail('DATE_INVALID', 'does not fit the date format');
  const value = (part: DatePart): string => {
    const index = compiled.parts.indexOf(part);
    return index < 0 ? '' : (match[index + 1] ?? '');
  };
  const year2 = value('year2');
  const year =
    year2 === ''
      ? Number(value('year'))
      : Number(year2) + (Number(year2) <= TWO_DIGIT_YEAR_PIVOT ? 2000 : 1900);
  const name = value('monthName').toLowerCase();
  const month = name === '' ? Number(value('month')) : (monthNameTable(monthNames).get(name) ?? 0);
  const day = Number(value('day'));
  const hour = Number(value('hour'));
  const minute = Number(value('minute'));
  const second = Number(value('second'));
  if (name !== '' && month === 0)
    return fail('DATE_INVALID', `"${name}" is not a month name (${monthNames})`);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('DATE_INVALID', 'no such calendar date');
  }
  if (hour > 23 || minute > 59 || second > 59) return fail('DATE_INVALID', 'no such time of day');
  const zone = value('zone');
  if (zone === '') return { ok: true, value: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as IsoDate };
  // The zone can move the date across midnight; shift whole days from the UTC minute of the day.
  const shiftDays = Math.floor((hour * 60 + minute - zoneOffsetMinutes(zone)) / 1440);
  const utc = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  utc.setUTCFullYear(year, month - 1, day + shiftDays);
  return {
    ok: true,
    value:
      `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}` as IsoDate,
  };
}
