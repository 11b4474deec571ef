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

  // Short amounts with thousands groups take a fast path (pattern check, separator removed, DECIMAL cast);
  // these stay under its 15-character bound and mix in near misses (a group of two or four digits, a
  // separator at the start or end, too many decimals) that must fall through to the general path.
  it('on short grouped amounts: same minor units or same error code, for scales 0 to 4 and 6', async () => {
    const grouped = fc
      .record({
        whole: fc.oneof(
          fc.integer({ min: 0, max: 999_999_999 }),
          fc.constantFrom(0, 1000, 999_999, 1_000_000),
        ),
        fraction: fc.stringMatching(/^[0-9]{0,6}$/),
        sign: fc.constantFrom('', '-', '+', '\u2212', ' '),
        damage: fc.constantFrom('none', 'none', 'none', 'short', 'long', 'lead', 'trail', 'double'),
      })
      .map(({ whole, fraction, sign, damage }) => ({ whole: String(whole), fraction, sign, damage }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(grouped, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(
          ...formats.filter((f) => f.thousandsSeparator === '.' || f.thousandsSeparator === ','),
        ),
        fc.constantFrom(0, 1, 2, 3, 4, 6),
        async (parts, format, scale) => {
          const t = format.thousandsSeparator ?? '';
          const values = parts.map(({ whole, fraction, sign, damage }) => {
            let digits = group(whole, t);
            if (damage === 'short' && digits.includes(t)) digits = digits.slice(0, -1);
            if (damage === 'long') digits = digits.replace(t, `${t}9`);
            if (damage === 'lead') digits = `${t}${digits}`;
            if (damage === 'trail') digits = `${digits}${t}`;
            if (damage === 'double') digits = digits.replace(t, `${t}${t}`);
            return `${sign}${digits}${fraction === '' ? '' : format.decimalSeparator + fraction}`;
          });
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
      { numRuns: 80, seed: 378 },
    );
  });

  it("reads grouped amounts at the fast path's edges like parseAmount", async () => {
    const format: AmountFormat = { decimalSeparator: ',', thousandsSeparator: '.' };
    const values = [
      '-6.565,15',
      '1.234',
      '+1.234,5',
      '-0.000,00',
      '999.999.999,99',
      '9.999.999.999,99',
      '1.234,567',
      '1.234,560',
      '12.34',
      '1.2345,6',
      '.123',
      '123.',
      '1..234',
      '1.234.56',
      '',
      '\u22121.234,50',
      '(1.234,50)',
    ];
    await loadValues(values);
    const select = new LayeredSelect('v');
    const sql = addAmountSql(select, 'a', 'v', format, '2', 0);
    const fromSql = await sqlOutcomes(select, sql.code, sql.value);
    expect(fromSql).toEqual([
      '-656515',
      '123400',
      '123450',
      '0',
      '99999999999',
      '999999999999',
      'AMOUNT_PRECISION',
      '123456',
      'AMOUNT_INVALID',
      'AMOUNT_INVALID',
      'AMOUNT_INVALID',
      'AMOUNT_INVALID',
      'AMOUNT_INVALID',
      'AMOUNT_INVALID',
      'AMOUNT_MISSING',
      '-123450',
      '-123450',
    ]);
    expect(fromSql).toEqual(
      values.map((raw) => {
        const result = parseAmount(raw, format, 2);
        return result.ok ? String(result.value) : result.code;
      }),
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

  // Fixed-width formats of a year, month and day with separators are read with DuckDB's strptime (the others
  // by cutting the digits); these are the calendar's edges (leap days, day 0, month 13, year 0000) and
  // values that must take the general path (padded, one-digit day, two-digit year, other separators).
  it('reads fixed-width dates at the calendar edges like parseDate', async () => {
    const values = [
      '29/02/2024',
      '29/02/2023',
      '29/02/2000',
      '29/02/1900',
      '31/04/2024',
      '00/01/2024',
      '01/00/2024',
      '01/13/2024',
      '01/01/0000',
      '01/01/0001',
      '31/12/9999',
      ' 01/02/2024 ',
      '1/2/2024',
      '01/02/24',
      '01-02-2024',
      '',
    ];
    for (const [format, value] of [
      ['DD/MM/YYYY', (v: string) => v],
      ['YYYYMMDD', (v: string) => v.replace(/^(\d\d)\/(\d\d)\/(\d{4})$/, '$3$2$1')],
      ['DD.MM.YYYY', (v: string) => v.replaceAll('/', '.')],
      ['MM-DD-YYYY', (v: string) => v.replace(/^(\d\d)\/(\d\d)\//, '$2-$1-')],
      ['YYYY. MM. DD', (v: string) => v.replace(/^(\d\d)\/(\d\d)\/(\d{4})$/, '$3. $2. $1')],
    ] as const) {
      const texts = values.map(value);
      await loadValues(texts);
      const select = new LayeredSelect('v');
      const sql = addDateSql(select, 'd', 'v', format, true, 0);
      const fromSql = await sqlOutcomes(select, sql.code, sql.value);
      const fromTs = texts.map((raw) => {
        const result = parseDate(raw, format);
        return result.ok ? result.value : result.code;
      });
      expect(fromSql).toEqual(fromTs);
      expect(fromSql.slice(0, 11)).toEqual([
        '2024-02-29',
        'DATE_INVALID',
        '2000-02-29',
        'DATE_INVALID',
        'DATE_INVALID',
        'DATE_INVALID',
        'DATE_INVALID',
        'DATE_INVALID',
        'DATE_INVALID',
        '0001-01-01',
        '9999-12-31',
      ]);
    }
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
