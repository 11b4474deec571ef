import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import { newUsers, runJobToCompletion, uploadBankAndLedger } from './fixtures/recon/recon-scenario';

const HEADER = 'Date,Reference,Description,Amount,Currency\n';
// A matched pair with a formula-like reference, an unmatched record whose text tries formula injection,
// a negative amount and an amount too long for Excel's 15 significant digits.
const BANK = `${HEADER}2024-01-02,=1+1,Payment ACME,1250.00,EUR
2024-01-03,INV-2,Refund,-300.50,EUR
2024-01-04,X-1,"=HYPERLINK(""http://evil.example"")",0.10,EUR
2024-01-05,BIG,@SUM(A1),12345678901234567.89,EUR
`;
const LEDGER = `${HEADER}2024-01-02,=1+1,ACME invoice,1250.00,EUR
2024-01-03,INV-2,Refund,-300.50,EUR
2024-01-09,+CMD,Other,7.00,EUR
`;

let ctx: ReconTestContext;
let owner: Session;
let viewer: Session;
let outsider: Session;
let jobId: string;

async function workbookOf(query: string, session: Session = viewer) {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/reconciliation/jobs/${jobId}/export?${query}`,
    headers: session.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(response.headers['content-disposition']).toMatch(/filename="job-.*\.xlsx"/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet as objects keyed by its header row. */
function rowsOf(sheet: ExcelJS.Worksheet | undefined): Record<string, ExcelJS.Cell>[] {
  if (sheet === undefined) throw new Error('missing sheet');
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, column) => {
    headers[column] = cell.text;
  });
  const rows: Record<string, ExcelJS.Cell>[] = [];
  for (let n = 2; n <= sheet.rowCount; n += 1) {
    const row = sheet.getRow(n);
    const entries: [string, ExcelJS.Cell][] = [];
    headers.forEach((name, column) => {
      entries.push([name, row.getCell(column)]);
    });
    rows.push(Object.fromEntries(entries));
  }
  return rows;
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner, viewer, outsider } = await newUsers(ctx.app, 'owner', 'viewer', 'outsider'));
  const projectId = await createProject(ctx.app, owner, 'Export', [
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  const { bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId, BANK, LEDGER);
  jobId = await runJobToCompletion(ctx.app, owner, {
    name: 'Export',
    projectId,
    sourceId: bankId,
    targetId: ledgerId,
  });
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

describe('XLSX export', () => {
  it('writes one sheet per part with exact amounts, real dates and neutralised formulas', async () => {
    const workbook = await workbookOf('format=xlsx&part=all');
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['matches', 'unmatched']);

    const matches = rowsOf(workbook.getWorksheet('matches'));
    expect(matches).toHaveLength(2);
    const acme = matches.find((m) => m.left_references?.value === "'=1+1");
    expect(acme, 'a reference starting with = is neutralised').toBeDefined();
    expect(acme?.match_id?.value).toEqual(expect.any(Number));
    expect(acme?.left_amount?.value).toBe(1250);
    expect(acme?.left_amount?.numFmt).toBe('#,##0.00');
    expect(acme?.difference?.value).toBe(0);
    const refund = matches.find((m) => m.left_references?.value === 'INV-2');
    expect(refund?.right_amount?.value).toBe(-300.5);
    // No formula anywhere in the workbook.
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        });
      });
    }

    const unmatched = rowsOf(workbook.getWorksheet('unmatched'));
    const byRef = new Map(unmatched.map((u) => [u.reference?.text ?? '', u]));
    expect([...byRef.keys()].sort()).toEqual(["'+CMD", 'BIG', 'X-1']);
    expect(byRef.get('X-1')?.description?.value).toBe('\'=HYPERLINK("http://evil.example")');
    expect(byRef.get('X-1')?.amount?.value).toBe(0.1);
    // Beyond Excel's 15 digits the amount is the exact decimal text, not a rounded number.
    expect(byRef.get('BIG')?.amount?.value).toBe('12345678901234567.89');
    expect(byRef.get('BIG')?.description?.value).toBe("'@SUM(A1)");
    const date = byRef.get("'+CMD")?.booking_date;
    expect(date?.value).toEqual(new Date('2024-01-09T00:00:00Z'));
    expect(date?.numFmt).toBe('yyyy-mm-dd');
    expect(byRef.get("'+CMD")?.row?.value).toEqual(expect.any(Number));
  });

  it('exports one part alone', async () => {
    const matchesOnly = await workbookOf('format=xlsx&part=matches');
    expect(matchesOnly.worksheets.map((s) => s.name)).toEqual(['matches']);
    const unmatchedOnly = await workbookOf('format=xlsx&part=unmatched');
    expect(unmatchedOnly.worksheets.map((s) => s.name)).toEqual(['unmatched']);
    expect(rowsOf(unmatchedOnly.getWorksheet('unmatched'))).toHaveLength(3);
  });

  it('keeps CSV money in minor units and hides the job from non-members', async () => {
    const csv = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${jobId}/export?format=csv&part=unmatched`,
      headers: viewer.headers,
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('1234567890123456789');
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/reconciliation/jobs/${jobId}/export?format=xlsx`,
        headers: outsider.headers,
      }),
      404,
      'JOB_NOT_FOUND',
    );
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/reconciliation/jobs/${jobId}/export?format=xls`,
        headers: viewer.headers,
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
