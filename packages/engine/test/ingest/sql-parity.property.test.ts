import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { addAmountSql } from '../../src/ingest/amount-sql';
import { addDateSql } from '../../src/ingest/date-sql';
import { LayeredSelect } from '../../src/ingest/layered-select';
import { parseAmount, type AmountFormat } from '../../src/parse/amount-parse';
import { parseDate } from '../../src/parse/date-parse';
import { MONTH_NAME_LANGUAGES, monthNameTable } from '../../src/parse/month-names';

// Pieces that make up real-world amount cells, valid and broken ones, so both parsers meet every branch.
const piece = fc.constantFrom(
  '-',
  '+',
  '\u2212',
  '(',
  ')',
  '$',
  '€',
  'EUR',
  'usd',
  ' ',
  '\u00A0',
  '.',
  ',',
  "'",
  '0',
  '00',
  '1',
  '12',
  '123',
  '1234',
  '999',
  '5',
  'x',
  '1e5',
  ',000',
  '.000',
  '.5',
  ',50',
  '',
);
const group = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
// Well-formed numbers in many styles, so the valid branches are exercised as often as the broken ones.
const wellFormed = fc
  .record({
    whole: fc.bigInt({ min: 0n, max: 10n ** 24n }),
    fraction: fc.stringMatching(/^[0-9]{0,4}$/),
    grouping: fc.constantFrom('', ',', '.', ' ', "'", '\u00A0'),
    decimal: fc.constantFrom('.', ','),
    style: fc.constantFrom('{}', '-{}', '({})', '{}-', '$ {}', '{} EUR', '+{}', ' {} '),
  })
  .map(({ whole, fraction, grouping, decimal, style }) => {
    const number = group(whole.toString(), grouping) + (fraction === '' ? '' : decimal + fraction);
    return style.replace('{}', number);
  });
const amountText = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
  wellFormed,
);
const formats: AmountFormat[] = [
  { decimalSeparator: '.', thousandsSeparator: null },
  { decimalSeparator: '.', thousandsSeparator: ',' },
  { decimalSeparator: ',', thousandsSeparator: '.' },
  { decimalSeparator: ',', thousandsSeparator: ' ' },
  { decimalSeparator: '.', thousandsSeparator: "'" },
];
const dateFormats = [
  'YYYY-MM-DD',
  'DD.MM.YYYY',
  'MM/DD/YYYY',
  'DD/MM/YY',
  'YYYYMMDD',
  'D MMM YYYY',
  'ISO',
  'DD.MM.YYYY HH:mm',
];
const datePiece = fc.constantFrom(
  '2024',
  '1999',
  '0000',
  '24',
  '85',
  '01',
  '02',
  '12',
  '13',
  '29',
  '30',
  '31',
  '00',
  '1',
  '9',
  '-',
  '.',
  '/',
  ' ',
  'T',
  ':',
  'Z',
  '+02:00',
  '-05:00',
  'Mar',
  'jan',
  '23',
  '59',
  '60',
  '2023-02-28',
  '2024-02-29T23:30:00',
  '31.12.2024',
  '',
);
const two = (n: number) => String(n).padStart(2, '0');
// Well-formed shapes of every format with out-of-range parts mixed in (year 0, month 13, 31 April...).
const wellFormedDate = fc
  .record({
    y: fc.oneof(fc.constantFrom(0, 1, 1900, 1969, 2000, 2024, 9999), fc.integer({ min: 0, max: 9999 })),
    m: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    zone: fc.constantFrom('', 'Z', '+02:00', '-05:00', '+1400', '-12:30'),
    style: fc.integer({ min: 0, max: 7 }),
  })
  .map(({ y, m, d, h, mi, zone, style }) => {
    const Y = String(y).padStart(4, '0');
    const month =
      ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1] ?? 'Xyz';
    return (
      [
        `${Y}-${two(m)}-${two(d)}`,
        `${two(d)}.${two(m)}.${Y}`,
        `${two(m)}/${two(d)}/${Y}`,
        `${two(d)}/${two(m)}/${two(y % 100)}`,
        `${Y}${two(m)}${two(d)}`,
        `${d} ${month} ${Y}`,
        `${Y}-${two(m)}-${two(d)}T${two(h)}:${two(mi)}:00${zone}`,
        `${two(d)}.${two(m)}.${Y} ${two(h)}:${two(mi)}`,
      ][style] ?? ''
    );
  });
const dateText = fc.oneof(
  fc.array(datePiece, { maxLength: 8 }).map((parts) => parts.join('')),
  wellFormedDate,
);

// Month names of every language, in any case, plus letters and dots that are no month or not in this
// language, so both parsers meet the lookup, the case folding, the accents and the trailing dot.
const spellings = MONTH_NAME_LANGUAGES.flatMap((language) => [...monthNameTable(language).keys()]);
const monthWord = fc.oneof(
  fc.constantFrom(...spellings),
  fc.constantFrom(...spellings).map((name) => name.toUpperCase()),
  fc.constantFrom(...spellings).map((name) => name.charAt(0).toUpperCase() + name.slice(1)),
  fc
    .array(fc.constantFrom('a', 'É', 'ä', 'Ä', 'ß', 'ø', 'Û', 'x', '.', 'M', 'r', 'z', 'ÿ'), { maxLength: 6 })
    .map((parts) => parts.join('')),
);
const monthNameFormats = ['D MMM YYYY', 'DD-MMM-YY', 'D. MMMM YYYY', 'MMMM D, YYYY', 'DD.MMM.YYYY'];
const monthNameDate = fc
  .record({
    word: monthWord,
    d: fc.integer({ min: 0, max: 32 }),
    y: fc.constantFrom(2024, 2023, 1999),
    style: fc.integer({ min: 0, max: 4 }),
  })
  .map(
    ({ word, d, y, style }) =>
      [
        `${d} ${word} ${y}`,
        `${two(d)}-${word}-${two(y % 100)}`,
        `${d}. ${word} ${y}`,
        `${word} ${d}, ${y}`,
        `${two(d)}.${word}.${y}`,
      ][style] ?? '',
  );

let session: EngineSession;
beforeAll(async () => {
  session = await openSession({ threads: 1 });
});
afterAll(() => {
  session.close();
});

async function loadValues(values: string[]): Promise<void> {
  await session.connection.run('CREATE OR REPLACE TABLE v (i INTEGER, v VARCHAR)');
  const appender = await session.connection.createAppender('v');
  values.forEach((value, index) => {
    appender.appendInteger(index);
    appender.appendVarchar(value);
    appender.endRow();
  });
  appender.closeSync();
}

async function sqlOutcomes(select: LayeredSelect, code: string, value: string): Promise<string[]> {
  const reader = await session.connection.runAndReadAll(
    `${select.build(['i', `coalesce(${code}, CAST(${value} AS VARCHAR))`])} ORDER BY i`,
  );
  return reader.getRowsJson().map((row) => row[1] as string);
}

describe('TypeScript and DuckDB SQL parsing agree', () => {
  it('on amounts: same minor units or same error code, for every format and scale', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(amountText, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...formats),
        fc.constantFrom(0, 2, 3),
        async (values, format, scale) => {
          await loadValues(values);
          const select = new LayeredSelect('v');
          const sql = addAmountSql(select, 'a', 'v', format, String(scale), 0);
          const fromSql = await sqlOutcomes(select, sql.code, sql.value);
          const fromTs = values.map((raw) => {
            const result = parseAmount(raw, format, scale);
            return result.ok ? String(result.value) : result.code;
          });
          expect(fromSql).toEqual(fromTs);
        },
      ),
      { numRuns: 60, seed: 378 },
    );
  });

  it('on dates: same calendar date or same error code, for every format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dateText, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...dateFormats),
        async (values, format) => {
          await loadValues(values);
          const select = new LayeredSelect('v');
          const sql = addDateSql(select, 'd', 'v', format, true, 0);
          const fromSql = await sqlOutcomes(select, sql.code, sql.value);
          const fromTs = values.map((raw) => {
            const result = parseDate(raw, format);
            return result.ok ? result.value : result.code;
          });
          expect(fromSql).toEqual(fromTs);
        },
      ),
      { numRuns: 60, seed: 378 },
    );
  });

  it('on month names: same date or same error code, for every language and name format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(monthNameDate, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...monthNameFormats),
        fc.constantFrom(...MONTH_NAME_LANGUAGES),
        async (values, format, language) => {
          await loadValues(values);
          const select = new LayeredSelect('v');
          const sql = addDateSql(select, 'd', 'v', format, true, 0, language);
          const fromSql = await sqlOutcomes(select, sql.code, sql.value);
          const fromTs = values.map((raw) => {
            const result = parseDate(raw, format, language);
            return result.ok ? result.value : result.code;
          });
          expect(fromSql).toEqual(fromTs);
        },
      ),
      { numRuns: 80, seed: 378 },
    );
  });
});
