import { describe, expect, it } from 'vitest';
import { compileDateFormat, parseDate } from '../../src/parse/date-parse';

const value = (raw: string | null, format: string) => {
  const result = parseDate(raw, format);
  return result.ok ? result.value : result.code;
};

describe('parseDate', () => {
  it.each([
    ['31.12.2024', 'DD.MM.YYYY', '2024-12-31'],
    ['01/02/2024', 'MM/DD/YYYY', '2024-01-02'],
    ['01/02/2024', 'DD/MM/YYYY', '2024-02-01'],
    ['2024-02-29', 'YYYY-MM-DD', '2024-02-29'],
    ['05/03/24', 'DD/MM/YY', '2024-03-05'],
    ['05/03/85', 'DD/MM/YY', '1985-03-05'],
    ['20240105', 'YYYYMMDD', '2024-01-05'],
    ['5.3.2024', 'D.M.YYYY', '2024-03-05'],
    ['07 Mar 2024', 'DD MMM YYYY', '2024-03-07'],
    ['15.01.2024 13:45', 'DD.MM.YYYY HH:mm', '2024-01-15'],
    ['2026-01-02T15:04:05Z', 'ISO', '2026-01-02'],
    ['2026-01-02T23:30:00-05:00', 'ISO', '2026-01-03'],
    ['2026-01-02T00:30:00+02:00', 'ISO', '2026-01-01'],
    ['2026-01-02 10:00:00.123', 'ISO', '2026-01-02'],
    ['2026-01-02', 'ISO', '2026-01-02'],
  ])('reads %s with %s as %s', (raw, format, expected) => {
    expect(value(raw, format)).toBe(expected);
  });

  it.each([
    ['2023-02-29', 'YYYY-MM-DD'],
    ['31.04.2024', 'DD.MM.YYYY'],
    ['13/01/2024', 'MM/DD/YYYY'],
    ['2024-1-5', 'YYYY-MM-DD'],
    ['2024-01-05', 'DD.MM.YYYY'],
    ['15.01.2024 25:00', 'DD.MM.YYYY HH:mm'],
    ['0000-01-01', 'YYYY-MM-DD'],
  ])('refuses %s with %s as DATE_INVALID', (raw, format) => {
    expect(value(raw, format)).toBe('DATE_INVALID');
  });

  it('reports an empty cell as DATE_MISSING instead of an epoch date', () => {
    expect(value('', 'YYYY-MM-DD')).toBe('DATE_MISSING');
    expect(value(null, 'YYYY-MM-DD')).toBe('DATE_MISSING');
  });

  it('rejects formats without a day, month and year', () => {
    expect(() => compileDateFormat('MM/YYYY')).toThrow(/needs a year, a month and a day/);
    expect(() => compileDateFormat('DD.MM.QQQQ')).toThrow(/unknown token/);
  });
});
