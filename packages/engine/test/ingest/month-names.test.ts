import { describe, expect, it } from 'vitest';
import { columnMappingSchema, ingestFile } from '../../src/ingest/index';
import { parseDate } from '../../src/parse/date-parse';
import { MONTH_NAME_LANGUAGES, monthNameTable, type MonthNameLanguage } from '../../src/parse/month-names';
import { ingestSandbox, readRecords } from './ingest-helpers';

const value = (raw: string, format: string, language?: MonthNameLanguage) => {
  const result = parseDate(raw, format, language);
  return result.ok ? result.value : result.code;
};

describe('month names (MMM, MMMM) in the mapping’s language', () => {
  it.each([
    ['3. Mär 2024', 'D. MMM YYYY', 'de', '2024-03-03'],
    ['3. MRZ 2024', 'D. MMM YYYY', 'de', '2024-03-03'],
    ['3. maerz 2024', 'D. MMMM YYYY', 'de', 'DATE_INVALID'],
    ['3. März 2024', 'D. MMMM YYYY', 'de', '2024-03-03'],
    ['3. Marz 2024', 'D. MMMM YYYY', 'de', '2024-03-03'],
    ['1. Dez. 2023', 'D. MMM YYYY', 'de', '2023-12-01'],
    ['12 janv. 2024', 'D MMM YYYY', 'fr', '2024-01-12'],
    ['12 févr. 2024', 'D MMM YYYY', 'fr', '2024-02-12'],
    ['12 FEVR 2024', 'D MMM YYYY', 'fr', '2024-02-12'],
    ['1 août 2024', 'D MMMM YYYY', 'fr', '2024-08-01'],
    ['1 aout 2024', 'D MMMM YYYY', 'fr', '2024-08-01'],
    ['14 juil. 2024', 'D MMM YYYY', 'fr', '2024-07-14'],
    ['01-ene-24', 'DD-MMM-YY', 'es', '2024-01-01'],
    ['31 diciembre 2024', 'D MMMM YYYY', 'es', '2024-12-31'],
    ['5 giu 2024', 'D MMM YYYY', 'it', '2024-06-05'],
    ['5 Maggio 2024', 'D MMMM YYYY', 'it', '2024-05-05'],
    ['5 mrt. 2024', 'D MMM YYYY', 'nl', '2024-03-05'],
    ['5 mei 2024', 'D MMM YYYY', 'nl', '2024-05-05'],
    ['5 out 2024', 'D MMM YYYY', 'pt', '2024-10-05'],
    ['5 Março 2024', 'D MMMM YYYY', 'pt', '2024-03-05'],
    ['5 marco 2024', 'D MMMM YYYY', 'pt', '2024-03-05'],
    ['March 5, 2024', 'MMMM D, YYYY', 'en', '2024-03-05'],
    ['5 Sept 2024', 'D MMM YYYY', 'en', '2024-09-05'],
  ] as const)('reads %s with %s in %s as %s', (raw, format, language, expected) => {
    expect(value(raw, format, language)).toBe(expected);
  });

  it('reads English unless told otherwise, and never a name of another language', () => {
    expect(value('07 Mar 2024', 'DD MMM YYYY')).toBe('2024-03-07');
    expect(value('07 Mär 2024', 'DD MMM YYYY')).toBe('DATE_INVALID');
    expect(value('07 Okt 2024', 'DD MMM YYYY')).toBe('DATE_INVALID');
    expect(value('07 Okt 2024', 'DD MMM YYYY', 'de')).toBe('2024-10-07');
    expect(value('07 Oct 2024', 'DD MMM YYYY', 'de')).toBe('DATE_INVALID');
  });

  it('takes a trailing dot after an abbreviation only', () => {
    expect(value('1 janv. 2024', 'D MMM YYYY', 'fr')).toBe('2024-01-01');
    expect(value('1 janvier. 2024', 'D MMMM YYYY', 'fr')).toBe('DATE_INVALID');
  });

  it('gives every spelling of a language exactly one month', () => {
    for (const language of MONTH_NAME_LANGUAGES) {
      const table = monthNameTable(language);
      const months = new Set(table.values());
      expect(
        [...months].sort((a, b) => a - b),
        language,
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    }
  });

  it('keeps mappings without month_names valid and reading English', () => {
    const mapping = columnMappingSchema.parse({
      amount: { kind: 'signed', column: 'a' },
      booking_date: { column: 'd', format: 'DD MMM YYYY' },
    });
    expect(mapping.booking_date?.month_names).toBe('en');
    expect(
      columnMappingSchema.safeParse({
        amount: { kind: 'signed', column: 'a' },
        booking_date: { column: 'd', format: 'DD MMM YYYY', month_names: 'xx' },
      }).success,
    ).toBe(false);
  });
});

describe('ingesting dates with month names', () => {
  const { session: current, write } = ingestSandbox();

  it('reads German month names in SQL when the mapping says de, and reports English ones as errors', async () => {
    const path = write(
      'konto.csv',
      'Buchungstag;Betrag;Text\n3. Mär. 2024;12,50;a\n1. Dez 2023;-3,00;b\n5. Oct 2024;1,00;c\n',
    );
    const mapping = {
      amount: { kind: 'signed', column: 'Betrag' },
      number_format: { decimal_separator: ',' },
      booking_date: { column: 'Buchungstag', format: 'D. MMM YYYY', month_names: 'de' },
    } as const;
    const result = await ingestFile(current(), 'left', { path, mapping });
    expect((await readRecords(current())).map((r) => [r.row, r.booking])).toEqual([
      [1, '2024-03-03'],
      [2, '2023-12-01'],
    ]);
    expect(result.errors.map((e) => [e.row, e.column, e.raw, e.code])).toEqual([
      [3, 'Buchungstag', '5. Oct 2024', 'DATE_INVALID'],
    ]);
  });

  it('proposes the language that reads the month names, with a note, when detecting', async () => {
    const path = write(
      'releve.csv',
      'Date,Montant,Libellé\n12 févr. 2024,10.00,a\n3 mars 2024,-5.00,b\n14 juil. 2024,7.25,c\n',
    );
    const result = await ingestFile(current(), 'left', { path });
    expect(result.mapping?.booking_date).toMatchObject({
      column: 'Date',
      format: 'D MMM YYYY',
      month_names: 'fr',
    });
    expect(result.detected?.notes.join('\n')).toMatch(/month names of "Date" read as fr/);
    expect((await readRecords(current())).map((r) => r.booking)).toEqual([
      '2024-02-12',
      '2024-03-03',
      '2024-07-14',
    ]);
  });
});
