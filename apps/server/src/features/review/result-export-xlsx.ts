import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { decimalOf, neutralise, type Cell, type Table } from './result-export-cells';

/** Excel keeps 15 significant digits: amounts with more are written as exact decimal text instead. */
const EXCEL_DIGITS = 15;
/** Columns whose text is a whole number (ids, row numbers): written as numbers when Excel holds them exactly. */
const INTEGER_COLUMNS = new Set(['match_id', 'row']);
const ROWS_PER_DRAIN_CHECK = 500;

type XlsxValue = string | number | Date | null;

function moneyFormat(scale: number): string {
  return scale === 0 ? '#,##0' : `#,##0.${'0'.repeat(scale)}`;
}

/**
 * A money cell as a number parsed from its exact decimal text (never minor units divided in floating point),
 * shown with the currency's decimals; beyond 15 digits, as the exact decimal text.
 */
function moneyValue(minor: string, scale: number): { value: XlsxValue; numFmt?: string } {
  const decimal = decimalOf(minor, scale);
  if (minor.replace('-', '').replace(/^0+/, '').length > EXCEL_DIGITS) return { value: decimal };
  return { value: Number(decimal), numFmt: moneyFormat(scale) };
}

function xlsxCell(cell: Cell, column: string): { value: XlsxValue; numFmt?: string } {
  if (cell === null || cell === undefined) return { value: null };
  if (typeof cell === 'number') return { value: cell };
  if (typeof cell === 'string') {
    if (INTEGER_COLUMNS.has(column) && /^-?\d{1,15}$/.test(cell)) return { value: Number(cell) };
    return { value: neutralise(cell) };
  }
  if (cell.kind === 'money') return moneyValue(cell.minor, cell.scale);
  // A calendar date as an Excel date: midnight UTC, which exceljs converts without a zone shift.
  return { value: new Date(`${cell.iso}T00:00:00Z`), numFmt: 'yyyy-mm-dd' };
}

/** Money columns are named `*_minor` in CSV and JSON; in the workbook they hold the amount itself. */
function header(column: string): string {
  return column.endsWith('_minor') ? column.slice(0, -'_minor'.length) : column;
}

async function writeWorkbook(list: readonly Table[], out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  for (const table of list) {
    const sheet = workbook.addWorksheet(table.name);
    sheet.addRow(table.columns.map(header)).commit();
    let written = 0;
    for await (const cells of table.rows) {
      const row = sheet.addRow([]);
      table.columns.forEach((column, index) => {
        const { value, numFmt } = xlsxCell(cells[index], column);
        const target = row.getCell(index + 1);
        target.value = value;
        if (numFmt !== undefined) target.numFmt = numFmt;
      });
      row.commit();
      // exceljs does not wait for its reader: pause while the response is behind, so memory stays bounded.
      if (++written % ROWS_PER_DRAIN_CHECK === 0 && out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
  }
  await workbook.commit();
}

/**
 * The export as an XLSX workbook, one sheet per table, written with exceljs's streaming writer as rows
 * arrive from the database: the full result is never held in memory.
 */
export function xlsxExport(list: readonly Table[]): Readable {
  const out = new PassThrough();
  writeWorkbook(list, out).catch((error: unknown) => {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
