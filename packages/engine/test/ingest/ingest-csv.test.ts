import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { ingestFile, readRowErrors, type ColumnMappingInput } from '../../src/ingest/index';
import { fixture, readRecords, tempDir } from './ingest-helpers';

let session: EngineSession;
beforeEach(async () => {
  session = await openSession({ threads: 1 });
});
afterEach(() => {
  session.close();
});

const standard: ColumnMappingInput = {
  external_id: 'id',
  amount: { kind: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  booking_date: { column: 'date', format: 'YYYY-MM-DD' },
};

describe('ingestFile on delimited text', () => {
  it('keeps quoted commas, doubled quotes and embedded newlines inside one field', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('quoted.csv'),
      mapping: { ...standard, description: 'description' },
    });
    expect(result).toMatchObject({
      format: 'csv',
      delimiter: ',',
      encoding: 'utf-8',
      rowCount: 3,
      loadedCount: 3,
      errorCount: 0,
    });
    const records = await readRecords(session);
    expect(records.map((r) => [r.id, r.amount, r.booking, r.description])).toEqual([
      ['A-1', '10050', '2024-01-31', 'Invoice 1, part "A"'],
      ['A-2', '-2000', '2024-02-01', 'two\nlines'],
      ['A-3', '1', '2024-02-29', 'plain'],
    ]);
  });

  it('detects semicolons, German decimals and German headers without a mapping', async () => {
    const result = await ingestFile(session, 'left', { path: fixture('de-semicolon.csv') });
    expect(result.delimiter).toBe(';');
    expect(result.mapping).toMatchObject({
      amount: { kind: 'signed', column: 'Betrag' },
      number_format: { decimal_separator: ',', thousands_separator: '.' },
      currency: { column: 'Währung' },
      booking_date: { column: 'Buchungstag', format: 'DD.MM.YYYY' },
      value_date: { column: 'Valuta', format: 'DD.MM.YYYY' },
      description: 'Verwendungszweck',
      counterparty: 'Auftraggeber/Empfänger',
    });
    const records = await readRecords(session);
    expect(records.map((r) => [r.amount, r.currency, r.booking, r.value, r.counterparty])).toEqual([
      ['123456', 'EUR', '2024-01-31', '2024-02-01', 'ACME GmbH'],
      ['-95000', 'EUR', '2024-02-01', '2024-02-01', 'Hausverwaltung Müller'],
      ['-350', 'EUR', '2024-02-02', '2024-02-05', 'Café Zentral'],
    ]);
    // Unmapped columns are kept untouched in extra.
    expect(JSON.parse(records[0]?.extra as string)).toEqual({ Buchungstext: 'Gutschrift' });
  });

  it('reads debit and credit columns as one signed amount', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('debit-credit.csv'),
      mapping: {
        amount: { kind: 'debit_credit', debit_column: 'Withdrawals', credit_column: 'Deposits' },
        number_format: { decimal_separator: '.', thousands_separator: ',' },
        currency: { fixed: 'USD' },
        booking_date: { column: 'Date', format: 'MM/DD/YYYY' },
        description: 'Description',
      },
    });
    expect(result.errorCount).toBe(0);
    const records = await readRecords(session);
    expect(records.map((r) => [r.amount, r.currency, r.booking])).toEqual([
      ['-450', 'USD', '2024-01-15'],
      ['250000', 'USD', '2024-01-16'],
      ['-120000', 'USD', '2024-01-17'],
    ]);
  });

  it('refuses rows with both or neither of debit and credit filled', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'dc.csv');
      writeFileSync(
        path,
        'Date,Debit,Credit\n2024-01-01,5.00,7.00\n2024-01-02,,\n2024-01-03,0.00,7.00\n2024-01-04,x,\n',
      );
      const result = await ingestFile(session, 'left', {
        path,
        mapping: {
          amount: { kind: 'debit_credit', debit_column: 'Debit', credit_column: 'Credit' },
          booking_date: { column: 'Date', format: 'YYYY-MM-DD' },
        },
      });
      expect(result.errors.map((e) => [e.row, e.column, e.raw, e.code])).toEqual([
        [1, 'Debit / Credit', '5.00 / 7.00', 'DEBIT_CREDIT_CONFLICT'],
        [2, 'Debit / Credit', null, 'AMOUNT_MISSING'],
        [4, 'Debit', 'x', 'AMOUNT_INVALID'],
      ]);
      expect((await readRecords(session)).map((r) => [r.row, r.amount])).toEqual([[3, '700']]);
    } finally {
      cleanup();
    }
  });

  it('refuses a direction word that is neither debit nor credit', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'dir.csv');
      writeFileSync(path, 'Date,Amount,DC\n2024-01-01,5.00,D\n2024-01-02,6.00,X\n2024-01-03,7.00,cr\n');
      const result = await ingestFile(session, 'left', {
        path,
        mapping: {
          amount: { kind: 'direction', column: 'Amount', direction_column: 'DC' },
          booking_date: { column: 'Date', format: 'YYYY-MM-DD' },
        },
      });
      expect(result.errors.map((e) => [e.row, e.column, e.raw, e.code])).toEqual([
        [2, 'DC', 'X', 'DIRECTION_INVALID'],
      ]);
      expect((await readRecords(session)).map((r) => r.amount)).toEqual(['-500', '700']);
    } finally {
      cleanup();
    }
  });

  it('detects debit and credit columns by their English names', async () => {
    const result = await ingestFile(session, 'left', { path: fixture('debit-credit.csv') });
    expect(result.mapping?.amount).toEqual({
      kind: 'debit_credit',
      debit_column: 'Withdrawals',
      credit_column: 'Deposits',
    });
    expect(result.mapping?.booking_date).toMatchObject({ column: 'Date', format: 'MM/DD/YYYY' });
    expect(result.loadedCount).toBe(3);
  });

  it('signs amounts from a Dutch Af/Bij indicator column', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('dc-indicator.csv'),
      mapping: {
        external_id: 'Ref',
        amount: {
          kind: 'direction',
          column: 'Bedrag',
          direction_column: 'Af Bij',
          debit_values: ['Af'],
          credit_values: ['Bij'],
        },
        number_format: { decimal_separator: ',', thousands_separator: '.' },
        currency: { fixed: 'EUR' },
        booking_date: { column: 'Datum', format: 'YYYYMMDD' },
        counterparty: 'Naam',
      },
    });
    expect(result.delimiter).toBe('|');
    const records = await readRecords(session);
    expect(records.map((r) => [r.id, r.amount, r.booking])).toEqual([
      ['R1', '-1250', '2024-01-05'],
      ['R2', '100000', '2024-01-06'],
      ['R3', '-725', '2024-01-07'],
    ]);
  });

  it('reads parentheses, trailing minus, currency symbols and per-currency scales from a TSV', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('parentheses.tsv'),
      mapping: {
        external_id: 'txn_id',
        amount: { kind: 'signed', column: 'amount' },
        number_format: { decimal_separator: '.', thousands_separator: ',' },
        currency: { column: 'ccy' },
        booking_date: { column: 'posted', format: 'YYYY-MM-DD' },
      },
    });
    expect(result.delimiter).toBe('\t');
    const records = await readRecords(session);
    expect(records.map((r) => [r.id, r.amount, r.currency, r.scale])).toEqual([
      ['T1', '-1200', 'USD', 2],
      ['T2', '123456', 'USD', 2],
      ['T3', '-1200', 'USD', 2],
      ['T4', '500', 'JPY', 0],
      ['T5', '1234', 'KWD', 3],
    ]);
  });

  it('flips every sign when invert_sign is set', async () => {
    await ingestFile(session, 'left', {
      path: fixture('quoted.csv'),
      mapping: { ...standard, invert_sign: true },
    });
    expect((await readRecords(session)).map((r) => r.amount)).toEqual(['-10050', '2000', '-1']);
  });

  it('reports unreadable values row by row and loads only the clean rows', async () => {
    const result = await ingestFile(session, 'left', { path: fixture('bad-values.csv'), mapping: standard });
    expect(result.rowCount).toBe(9);
    expect(result.loadedCount).toBe(2);
    expect(result.rejectedRowCount).toBe(7);
    expect(result.errors.map((e) => [e.row, e.column, e.raw, e.code])).toEqual([
      [2, 'date', '2024-01-32', 'DATE_INVALID'],
      [3, 'amount', null, 'AMOUNT_MISSING'],
      [4, 'amount', '12.345', 'AMOUNT_PRECISION'],
      [5, 'amount', 'abc', 'AMOUNT_INVALID'],
      [6, 'date', null, 'DATE_MISSING'],
      [7, 'currency', 'EURO', 'CURRENCY_INVALID'],
      [8, '', 'B-8,2024-02-06,15.00,EUR,extra', 'RECORD_MALFORMED'],
    ]);
    // Rows after a malformed line keep their file row number.
    expect((await readRecords(session)).map((r) => [r.row, r.id, r.amount])).toEqual([
      [1, 'B-1', '1000'],
      [9, 'B-9', '1600'],
    ]);
  });

  it('pages through all row errors with readRowErrors', async () => {
    await ingestFile(session, 'left', { path: fixture('bad-values.csv'), mapping: standard, maxErrors: 2 });
    const second = await readRowErrors(session, 'left', { offset: 2, limit: 2 });
    expect(second.map((e) => e.row)).toEqual([4, 5]);
  });

  it.each([
    [
      'UTF-8 with a byte-order mark',
      'utf-8-bom',
      () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]),
    ],
    [
      'UTF-16 LE with a byte-order mark',
      'utf-16le',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]),
    ],
    [
      'UTF-16 BE with a byte-order mark',
      'utf-16be',
      () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SAMPLE, 'utf16le').swap16()]),
    ],
    ['UTF-16 LE without a byte-order mark', 'utf-16le', () => Buffer.from(SAMPLE, 'utf16le')],
    ['UTF-16 BE without a byte-order mark', 'utf-16be', () => Buffer.from(SAMPLE, 'utf16le').swap16()],
    ['Latin-1', 'windows-1252', () => Buffer.from(SAMPLE, 'latin1')],
    [
      'Windows-1252 with a euro sign',
      'windows-1252',
      () => Buffer.from(SAMPLE.replace('Zoë', 'Zoë €'), 'latin1').map((b) => (b === 0xac ? 0x80 : b)),
    ],
  ])('reads %s', async (_name, encoding, bytes) => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'input.csv');
      writeFileSync(path, bytes());
      const result = await ingestFile(session, 'left', {
        path,
        mapping: { ...standard, counterparty: 'name' },
        tempDirectory: dir,
      });
      expect(result.encoding).toBe(encoding);
      const records = await readRecords(session);
      expect(records.map((r) => [r.id, r.amount, r.counterparty])).toEqual([
        ['E-1', '1050', 'Müller & Söhne'],
        ['E-2', '-200', expect.stringMatching(/^Zoë/)],
      ]);
    } finally {
      cleanup();
    }
  });

  it('falls back to Windows-1252 when a byte past the sniffed sample is not UTF-8', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'late.csv');
      const plain = Array.from({ length: 3000 }, (_, i) => `P-${i},2024-01-02,1.00,EUR,plain name ${i}`).join(
        '\n',
      );
      writeFileSync(
        path,
        Buffer.concat([
          Buffer.from(`id,date,amount,currency,name\n${plain}\n`),
          Buffer.from('L-1,2024-01-03,2.00,EUR,Müller\n', 'latin1'),
        ]),
      );
      const result = await ingestFile(session, 'left', {
        path,
        mapping: { ...standard, counterparty: 'name' },
        tempDirectory: dir,
      });
      expect(result).toMatchObject({ encoding: 'windows-1252', loadedCount: 3001, errorCount: 0 });
      expect((await readRecords(session)).at(-1)?.counterparty).toBe('Müller');
    } finally {
      cleanup();
    }
  });

  it('reads the header from a later row when told to', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'preamble.csv');
      writeFileSync(path, `Account statement\nExported 2024-03-01\n${SAMPLE}`);
      const result = await ingestFile(session, 'left', {
        path,
        headerRow: 3,
        mapping: standard,
        delimiter: ',',
      });
      expect(result.loadedCount).toBe(2);
    } finally {
      cleanup();
    }
  });

  it('refuses a mapping that names a column the file does not have', async () => {
    await expect(
      ingestFile(session, 'left', {
        path: fixture('quoted.csv'),
        mapping: { ...standard, reference: 'Reference' },
      }),
    ).rejects.toMatchObject({ code: 'MAPPING_COLUMN_NOT_FOUND', details: { missing: ['Reference'] } });
  });

  it('refuses an invalid mapping with the schema issues', async () => {
    await expect(
      ingestFile(session, 'left', {
        path: fixture('quoted.csv'),
        mapping: { ...standard, booking_date: { column: 'date', format: 'QQ' } },
      }),
    ).rejects.toMatchObject({ code: 'MAPPING_INVALID' });
  });
});

const SAMPLE =
  'id,date,amount,currency,name\nE-1,2024-01-02,10.50,EUR,Müller & Söhne\nE-2,2024-01-03,-2.00,EUR,Zoë\n';
