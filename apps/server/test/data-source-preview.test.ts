import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SNIFF_BYTES,
  bankReaders,
  columnMappingSchema,
  decodeText,
  detectEncoding,
  sniffFormat,
  type BankFormat,
} from '@recon/engine';
import { bankSourceTexts } from '../src/features/data-sources/bank-source-text';
import { mappingIssues, previewMapping, previewRow } from '../src/features/data-sources/mapping-preview';
import { createUserAndLogin, expectProblem, loginAdmin, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  upload,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';

const STATEMENTS = fileURLToPath(
  new URL('../../../packages/engine/test/fixtures/statements/', import.meta.url),
);
const BANK: ReadonlySet<string> = new Set(['camt', 'mt940', 'ofx', 'qif', 'bai2']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

describe('bank source texts', () => {
  // Every statement fixture the engine reads: one source text per transaction, numbered as the reader does.
  const cases = filesUnder(STATEMENTS).flatMap((file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const format = sniffFormat(bytes.subarray(0, SNIFF_BYTES)).format;
    if (!BANK.has(format)) return [];
    const reader = bankReaders[format as BankFormat];
    try {
      const result = reader?.(bytes);
      return result === undefined
        ? []
        : [{ file: path.relative(STATEMENTS, file), format: format as BankFormat, bytes, result }];
    } catch {
      return []; // files the reader refuses as a whole have no rows to show
    }
  });

  it('covers every bank format', () => {
    expect(new Set(cases.map((c) => c.format))).toEqual(BANK);
  });

  it.each(cases.map((c) => [c.file, c] as const))(
    '%s: one text per transaction, in reader row order',
    (_name, c) => {
      const texts = bankSourceTexts(c.format, decodeText(c.bytes, detectEncoding(c.bytes)), 1000);
      const rows = [
        ...c.result.records.map((r) => r.row),
        ...c.result.errors.filter((e) => e.row > 0).map((e) => e.row),
      ];
      expect(texts.length).toBe(rows.length === 0 ? 0 : Math.max(...rows));
      for (const record of c.result.records) {
        const text = texts[record.row - 1] ?? '';
        expect(text).not.toBe('');
        if (c.format === 'mt940') expect(text.startsWith(':61:')).toBe(true);
        if (c.format === 'bai2') expect(text.startsWith('16,')).toBe(true);
        // The identifier the record carries comes from its own source text, so rows cannot be shifted.
        if (record.externalId !== null && c.format !== 'qif')
          expect(text).toContain(record.externalId.trim());
      }
    },
  );

  it('keeps at most the asked number of transactions', () => {
    const c = cases.find((x) => x.result.records.length > 2);
    expect(c).toBeDefined();
    if (c) expect(bankSourceTexts(c.format, decodeText(c.bytes, detectEncoding(c.bytes)), 2)).toHaveLength(2);
  });
});

const EU = columnMappingSchema.parse({
  amount: { kind: 'signed', column: 'Betrag' },
  number_format: { decimal_separator: ',', thousands_separator: '.' },
  currency: { fixed: 'EUR' },
  booking_date: { column: 'Datum', format: 'DD.MM.YYYY' },
  description: 'Text',
});

describe('mapping preview (pure)', () => {
  const cells = (values: Record<string, string | null>) => (column: string) => values[column] ?? null;

  it('reads a European amount and date like the engine does', () => {
    const result = previewRow(EU, cells({ Betrag: '-1.250,00', Datum: '01.02.2024', Text: ' Miete ' }), 1);
    expect(result.errors).toEqual([]);
    expect(result.record).toMatchObject({
      amount_minor: '-125000',
      currency: 'EUR',
      booking_date: '2024-02-01',
      description: 'Miete',
    });
  });

  it('reports each unreadable cell with the engine’s code and rejects the row', () => {
    const result = previewRow(EU, cells({ Betrag: '12.5', Datum: '31.02.2024' }), 7);
    expect(result.record).toBeNull();
    expect(result.errors.map((e) => [e.column, e.code])).toEqual([
      ['Betrag', 'AMOUNT_INVALID'],
      ['Datum', 'DATE_INVALID'],
    ]);
  });

  it('debits a debit column, flags a row with both sides filled, and inverts signs when asked', () => {
    const dc = columnMappingSchema.parse({
      amount: { kind: 'debit_credit', debit_column: 'D', credit_column: 'C' },
      invert_sign: true,
    });
    expect(previewRow(dc, cells({ D: '10.00', C: '' }), 1).record?.amount_minor).toBe('1000');
    expect(previewRow(dc, cells({ D: '10.00', C: '2.00' }), 2).errors[0]?.code).toBe('DEBIT_CREDIT_CONFLICT');
    expect(previewRow(dc, cells({ D: ' ', C: null }), 3).errors[0]?.code).toBe('AMOUNT_MISSING');
  });

  it('signs an unsigned amount by its direction column', () => {
    const dir = columnMappingSchema.parse({
      amount: { kind: 'direction', column: 'A', direction_column: 'S' },
    });
    expect(previewRow(dir, cells({ A: '5.00', S: 'dr' }), 1).record?.amount_minor).toBe('-500');
    expect(previewRow(dir, cells({ A: '5.00', S: 'CRDT' }), 1).record?.amount_minor).toBe('500');
    expect(previewRow(dir, cells({ A: '5.00', S: '?' }), 1).errors[0]?.code).toBe('DIRECTION_INVALID');
  });

  it('reads month names in the language the mapping names', () => {
    const german = columnMappingSchema.parse({
      amount: { kind: 'signed', column: 'A' },
      booking_date: { column: 'D', format: 'D. MMMM YYYY', month_names: 'de' },
    });
    expect(previewRow(german, cells({ A: '1', D: '3. März 2024' }), 1).record?.booking_date).toBe(
      '2024-03-03',
    );
  });

  it('names the field of every mapped column the file lacks', () => {
    const { issues } = mappingIssues({ amount: { kind: 'signed', column: 'Amount' }, reference: 'Ref' }, [
      'Amount',
      'Date',
    ]);
    expect(issues).toEqual([{ field: 'mapping.reference', message: 'the file has no column "Ref"' }]);
  });

  it('returns schema issues with their paths instead of rows', () => {
    const preview = previewMapping(
      { columns: ['A', '__row_no'], rows: [['1', '1']] },
      { amount: { kind: 'signed' } },
      5,
    );
    expect(preview.rows).toEqual([]);
    expect(preview.issues.map((i) => i.field)).toContain('mapping.amount.column');
  });
});

let ctx: ReconTestContext;
let owner: Session;
let viewer: Session;
let outsider: Session;
let projectId: string;

const EUROPEAN =
  'Datum;Text;Betrag;Referenz\n01/02/2024;Miete;-1.250;R-100\n02/03/2024;Gehalt;3.400;R-101\n05/04/2024;Strom;-84;R-102\n';
const BAD =
  'Date,Reference,Amount,Currency\n2024-01-02,A-1,12.50,EUR\n2024-01-03,A-2,=1+2,EUR\n2024-13-45,A-3,7.00,EUR\n2024-01-05,A-4,,EUR\n';

describe('preview, mapping preview and row-error report (API)', () => {
  beforeAll(async () => {
    ctx = await createReconTestApp();
    const admin = await loginAdmin(ctx.app);
    owner = await createUserAndLogin(ctx.app, admin, 'owner@example.com');
    viewer = await createUserAndLogin(ctx.app, admin, 'viewer@example.com');
    outsider = await createUserAndLogin(ctx.app, admin, 'outsider@example.com');
    projectId = await createProject(ctx.app, owner, 'Preview checks', [
      { email: 'viewer@example.com', role: 'viewer' },
    ]);
  });
  afterAll(async () => {
    await ctx.close();
  });

  async function ingest(name: string, content: string | Buffer) {
    const response = await upload(ctx.app, owner, projectId, name, content);
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json<{ id: string }>().id;
    expect(await waitForIngestion(ctx.app, owner, id)).toMatchObject({ status: 'ready' });
    return id;
  }

  it('reads the stored rows with a proposed mapping without saving it; PUT names missing columns per field', async () => {
    const id = await ingest('eu.csv', EUROPEAN);
    const mapping = {
      ...EU,
      booking_date: { column: 'Datum', format: 'DD/MM/YYYY' },
      number_format: { decimal_separator: ',', thousands_separator: '.' },
    };
    const preview = await ctx.app.inject({
      method: 'POST',
      url: `/api/data-sources/${id}/mapping/preview`,
      headers: viewer.headers,
      payload: { mapping },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json<{
      issues: unknown[];
      rows: { row: number; record: { amount_minor: string; booking_date: string } | null }[];
    }>();
    expect(body.issues).toEqual([]);
    expect(body.rows.map((r) => [r.row, r.record?.amount_minor, r.record?.booking_date])).toEqual([
      [1, '-125000', '2024-02-01'],
      [2, '340000', '2024-03-02'],
      [3, '-8400', '2024-04-05'],
    ]);
    // Nothing was saved: the detected mapping still reads "-1.250" as -1.25.
    const stored = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/preview`,
      headers: viewer.headers,
    });
    expect(stored.json<{ records: { amount_minor: string }[] }>().records[0]?.amount_minor).toBe('-125');

    const missing = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${id}/mapping`,
      headers: owner.headers,
      payload: { mapping: { ...mapping, reference: 'Ref' } },
    });
    expect(expectProblem(missing, 400, 'VALIDATION_FAILED').errors).toEqual([
      { in: 'body', field: 'mapping.reference', message: 'the file has no column "Ref"' },
    ]);
    const outside = await ctx.app.inject({
      method: 'POST',
      url: `/api/data-sources/${id}/mapping/preview`,
      headers: outsider.headers,
      payload: { mapping },
    });
    expectProblem(outside, 404, 'DATA_SOURCE_NOT_FOUND');
  });

  it('pages, filters, summarises and exports row errors as formula-safe CSV', async () => {
    const id = await ingest('bad.csv', BAD);
    const summary = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors/summary`,
      headers: viewer.headers,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toEqual({
      total: 3,
      by_code: expect.arrayContaining([
        { code: 'AMOUNT_INVALID', count: 1 },
        { code: 'DATE_INVALID', count: 1 },
        { code: 'AMOUNT_MISSING', count: 1 },
      ]),
      by_column: [
        { column: 'Amount', count: 2 },
        { column: 'Date', count: 1 },
      ],
    });
    const byCode = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?code=DATE_INVALID`,
      headers: viewer.headers,
    });
    expect(byCode.json()).toMatchObject({
      total: 1,
      items: [{ row: 3, column: 'Date', raw: '2024-13-45', code: 'DATE_INVALID' }],
    });
    const byColumn = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?column=Amount&limit=1`,
      headers: viewer.headers,
    });
    expect(byColumn.json()).toMatchObject({ total: 2, items: [{ row: 2, raw: '=1+2' }] });
    const paged = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?limit=2`,
      headers: viewer.headers,
    });
    const first = paged.json<{ items: { seq: number }[]; next_after: number }>();
    expect(first.items).toHaveLength(2);
    const rest = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?limit=2&after=${first.next_after}`,
      headers: viewer.headers,
    });
    expect(rest.json()).toMatchObject({ total: 3, next_after: null, items: [{ row: 4 }] });

    const csv = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors.csv`,
      headers: viewer.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="bad-row-errors.csv"');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('row,column,raw_value,code,message');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('2,'))).toContain(`"'=1+2"`);
    const filtered = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors.csv?code=AMOUNT_MISSING`,
      headers: viewer.headers,
    });
    expect(filtered.body.trim().split('\r\n')).toEqual([
      'row,column,raw_value,code,message',
      expect.stringMatching(/^4,Amount,,AMOUNT_MISSING,/),
    ]);
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/data-sources/${id}/errors.csv`,
        headers: outsider.headers,
      }),
      404,
      'DATA_SOURCE_NOT_FOUND',
    );
  });

  it('keeps the MT940 source fields of each transaction as the raw view of a bank statement', async () => {
    const sta = readFileSync(path.join(STATEMENTS, 'mt940/betterplace/sepa_snippet.sta'));
    const id = await ingest('statement.sta', sta);
    const preview = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/preview`,
      headers: viewer.headers,
    });
    const body = preview.json<{
      raw: { columns: string[]; rows: (string | null)[][] };
      records: { row: number; external_id: string | null }[];
    }>();
    expect(body.raw.columns).toEqual([':61: / :86: fields', '__row_no']);
    expect(body.raw.rows).toHaveLength(body.records.length);
    for (const [text, row] of body.raw.rows) {
      expect(text?.startsWith(':61:')).toBe(true);
      const record = body.records.find((r) => String(r.row) === row);
      if (record?.external_id) expect(text).toContain(record.external_id);
    }
    const refused = await ctx.app.inject({
      method: 'POST',
      url: `/api/data-sources/${id}/mapping/preview`,
      headers: viewer.headers,
      payload: { mapping: EU },
    });
    expectProblem(refused, 409, 'DATA_SOURCE_NOT_READY');
  });
});
