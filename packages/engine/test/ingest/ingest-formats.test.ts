import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { ingestFile, sniffFormat } from '../../src/ingest/index';
import { fixture, readRecords, tempDir } from './ingest-helpers';

let session: EngineSession;
let temp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  session = await openSession({ threads: 1 });
  temp = tempDir();
});
afterEach(() => {
  session.close();
  temp.cleanup();
});

describe('ingestFile on JSON, Parquet and spreadsheets', () => {
  it('reads a JSON array, keeping numbers exact and nested values as JSON text in extra', async () => {
    const result = await ingestFile(session, 'left', { path: fixture('records.json') });
    expect(result).toMatchObject({ format: 'json', rowCount: 2, loadedCount: 2, errorCount: 0 });
    expect(result.mapping).toMatchObject({
      external_id: 'id',
      amount: { kind: 'signed', column: 'amount' },
      booking_date: { column: 'date' },
    });
    const records = await readRecords(session);
    expect(records.map((r) => [r.id, r.amount, r.booking])).toEqual([
      ['J1', '1025', '2024-01-02'],
      ['J2', '-350', '2024-01-03'],
    ]);
    expect(JSON.parse(records[0]?.extra as string)).toEqual({ meta: '{"channel":"web"}', note: null });
  });

  it('reads newline-delimited JSON with ISO date-times moved to the UTC date', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('records.ndjson'),
      mapping: {
        external_id: 'id',
        amount: { kind: 'signed', column: 'amount' },
        number_format: { decimal_separator: ',' },
        currency: { column: 'currency' },
        booking_date: { column: 'booked', format: 'ISO' },
      },
    });
    expect(result.format).toBe('ndjson');
    expect((await readRecords(session)).map((r) => [r.id, r.amount, r.booking])).toEqual([
      ['N1', '150', '2024-01-02'],
      ['N2', '200', '2024-01-03'],
    ]);
  });

  it('reads Parquet written by DuckDB, with DECIMAL and DATE columns', async () => {
    const path = join(temp.dir, 'ledger.parquet');
    await session.connection.run(
      `COPY (SELECT * FROM (VALUES ('P1', DATE '2024-05-01', 12.34::DECIMAL(18, 4), 'EUR'), ('P2', DATE '2024-05-02', -0.5::DECIMAL(18, 4), 'EUR'))
        t(ref, booked, amount, currency)) TO '${path}' (FORMAT parquet)`,
    );
    const result = await ingestFile(session, 'left', {
      path,
      mapping: {
        external_id: 'ref',
        amount: { kind: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        booking_date: { column: 'booked', format: 'YYYY-MM-DD' },
      },
    });
    expect(result).toMatchObject({ format: 'parquet', loadedCount: 2, errorCount: 0 });
    expect((await readRecords(session)).map((r) => [r.id, r.amount, r.booking])).toEqual([
      ['P1', '1234', '2024-05-01'],
      ['P2', '-50', '2024-05-02'],
    ]);
  });

  it('reads a chosen worksheet of an XLSX workbook with its header below a title', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').addRow(['nothing to see']);
    const sheet = workbook.addWorksheet('Payments');
    sheet.addRow(['Payments March']);
    sheet.addRow([]);
    sheet.addRow(['Invoice', 'Paid on', 'Amount', 'Customer']);
    sheet.addRow([
      'INV-1',
      new Date(Date.UTC(2024, 2, 4)),
      1234.5,
      { richText: [{ text: 'ACME ' }, { text: 'Corp' }] },
    ]);
    sheet.addRow(['INV-2', new Date(Date.UTC(2024, 2, 5)), { formula: 'C4*2', result: 2469 }, 'Globex']);
    sheet.addRow(['INV-3', new Date(Date.UTC(2024, 2, 6)), -0.1, 'Initech']);
    sheet.addRow([]);
    sheet.getColumn(2).numFmt = 'yyyy-mm-dd';
    const path = join(temp.dir, 'payments.xlsx');
    await workbook.xlsx.writeFile(path);

    const result = await ingestFile(session, 'left', { path, sheet: 'Payments', headerRow: 3 });
    expect(result).toMatchObject({ format: 'xlsx', rowCount: 3, loadedCount: 3, errorCount: 0 });
    expect(result.mapping).toMatchObject({
      reference: 'Invoice',
      amount: { column: 'Amount' },
      counterparty: 'Customer',
    });
    expect(
      (await readRecords(session)).map((r) => [r.row, r.reference, r.amount, r.booking, r.counterparty]),
    ).toEqual([
      [1, 'INV-1', '123450', '2024-03-04', 'ACME Corp'],
      [2, 'INV-2', '246900', '2024-03-05', 'Globex'],
      [3, 'INV-3', '-10', '2024-03-06', 'Initech'],
    ]);
  });

  it('reports a spreadsheet row with values right of the header as malformed, and float noise as too precise', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['id', 'date', 'amount']);
    sheet.addRow(['X1', '2024-01-01', 10]);
    sheet.addRow(['X2', '2024-01-02', 0.1 + 0.2]);
    sheet.addRow(['X3', '2024-01-03', 5, 'stray note']);
    const path = join(temp.dir, 'noisy.xlsx');
    await workbook.xlsx.writeFile(path);
    const result = await ingestFile(session, 'left', {
      path,
      mapping: {
        external_id: 'id',
        amount: { kind: 'signed', column: 'amount' },
        booking_date: { column: 'date', format: 'YYYY-MM-DD' },
      },
    });
    expect(result.errors.map((e) => [e.row, e.code, e.raw])).toEqual([
      [2, 'AMOUNT_PRECISION', '0.30000000000000004'],
      [3, 'RECORD_MALFORMED', 'X3,2024-01-03,5,stray note'],
    ]);
    expect(result.loadedCount).toBe(1);
  });

  it('refuses a worksheet that does not exist', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Only').addRow(['a', 'b']);
    const path = join(temp.dir, 'one.xlsx');
    await workbook.xlsx.writeFile(path);
    await expect(ingestFile(session, 'left', { path, sheet: 'Missing' })).rejects.toMatchObject({
      code: 'SHEET_NOT_FOUND',
    });
  });

  it('refuses legacy .xls workbooks with advice to save as .xlsx', async () => {
    const path = join(temp.dir, 'old.xls');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
    );
    await expect(ingestFile(session, 'left', { path })).rejects.toMatchObject({
      code: 'LEGACY_XLS',
      message: expect.stringMatching(/\.xlsx/),
    });
  });

  it('refuses an empty file', async () => {
    const path = join(temp.dir, 'empty.csv');
    writeFileSync(path, '');
    await expect(ingestFile(session, 'left', { path })).rejects.toMatchObject({ code: 'EMPTY_FILE' });
  });

  it('reads a bank statement through the bank reader and returns its statements', async () => {
    const path = fixture('../statements/mt940/mBank/mt940.sta');
    const result = await ingestFile(session, 'left', { path });
    expect(result.format).toBe('mt940');
    expect(result.loadedCount).toBeGreaterThan(0);
    expect(result.statements?.length).toBeGreaterThan(0);
    expect(result.mapping).toBeNull();
  });
});

describe('sniffFormat', () => {
  const text = (value: string) => new TextEncoder().encode(value);

  it.each([
    ['id;Betrag\n1;1,50\n2;2,00\n', 'csv', ';'],
    ['a\tb\n1\t2\n', 'csv', '\t'],
    ['a|b|c\n1|2|3\n', 'csv', '|'],
    ['name,note\n"Smith, J","said ""hi"""\n', 'csv', ','],
    ['[{"a":1}]', 'json', null],
    ['{"a":1}\n{"a":2}\n', 'ndjson', null],
    ['OFXHEADER:100\nDATA:OFXSGML\n<OFX>', 'ofx', null],
    ['<?xml version="1.0"?>\n<?OFX OFXHEADER="200"?>\n<OFX></OFX>', 'ofx', null],
    ['<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">', 'camt', null],
    ['!Type:Bank\nD01/02/2024\nT-10.00\n^\n', 'qif', null],
    ['01,SENDER,RECEIVER,240102,1200,1,,,2/\n02,X,Y,1,240101,,USD,2/\n', 'bai2', null],
    [':20:REF\n:25:NL01BANK0123456789\n:28C:1/1\n:60F:C240101EUR0,00\n', 'mt940', null],
    ['Just a note.\nNothing tabular here!\n', 'unknown', null],
  ])('names %j as %s', (content, format, delimiter) => {
    expect(sniffFormat(text(content))).toMatchObject({ format, delimiter });
  });

  it('recognises Parquet, XLSX and legacy XLS from their magic bytes', () => {
    expect(sniffFormat(Buffer.from('PAR1\u0015\u0004')).format).toBe('parquet');
    expect(
      sniffFormat(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('....xl/workbook.xml')])).format,
    ).toBe('xlsx');
    expect(
      sniffFormat(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('word/document.xml')])).format,
    ).toBe('unknown');
    expect(sniffFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])).format).toBe('xls');
  });

  it('names every well-formed bank statement fixture by its format', () => {
    const files: Array<[string, string]> = [
      ['camt/camt053.v2.minimal.xml', 'camt'],
      ['camt/camt052.v8.xml', 'camt'],
      ['camt/camt054.v8.xml', 'camt'],
      ['mt940/mBank/mt940.sta', 'mt940'],
      ['mt940/mBank/mt942.sta', 'mt940'],
      ['mt940/jejik/abnamro.sta', 'mt940'],
      ['mt940/jejik/ing.sta', 'mt940'],
      ['bai2/sample1.txt', 'bai2'],
      ['bai2/sample3.txt', 'bai2'],
    ];
    for (const [file, format] of files) {
      expect([file, sniffFormat(readFileSync(fixture(`../statements/${file}`))).format]).toEqual([
        file,
        format,
      ]);
    }
  });
});
