import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { Side } from '../core/canonical';
import { IngestError } from './ingest-error';
import { ROW_NO, errorsTable, rawDataTable, rawTable } from './raw-table';
import type { RawLoad } from './read-raw';
import { sqlIdent } from './sql-text';

/** Which worksheet and which row holds the header. */
export interface SheetChoice {
  /** Worksheet name, or 1-based position; the first worksheet by default. */
  sheet?: string | number;
  /** 1-based row holding the column names; 1 by default. */
  headerRow?: number;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Spreadsheet dates carry no zone: exceljs gives them as UTC instants, so the UTC fields are the cell's. */
function dateText(date: Date): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds();
  return time === 0
    ? day
    : `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A cell's value as the text a user sees; formulas give their cached result. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (isRecord(value)) {
    if (Array.isArray(value.richText)) {
      return value.richText
        .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
        .join('');
    }
    if ('result' in value) return cellText(value.result);
    if (typeof value.text === 'string') return value.text;
    if (typeof value.error === 'string') return value.error;
  }
  return null;
}

const uniqueNames = (names: Array<string | null>): string[] => {
  const seen = new Set<string>();
  return names.map((raw, index) => {
    const base = raw?.trim() || `column${index + 1}`;
    let name = base;
    for (let n = 1; seen.has(name.toLowerCase()) || name === ROW_NO; n += 1) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
};

/** Reads a worksheet's rows to the end, discarding them. */
async function drain(rows: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const row of rows) if (row !== undefined) count += 1;
  return count;
}

/**
 * Streams one worksheet of an XLSX file (exceljs streaming reader) into `raw_<side>`, every cell as text.
 * Blank rows are skipped; a row with values right of the last header column is a `RECORD_MALFORMED` error.
 */
export async function loadXlsx(
  connection: DuckDBConnection,
  side: Side,
  path: string,
  choice: SheetChoice,
): Promise<RawLoad> {
  const headerRow = choice.headerRow ?? 1;
  const wanted = choice.sheet ?? 1;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  let position = 0;
  let columns: string[] | null = null;
  let rowCount = 0;
  let appender: Awaited<ReturnType<DuckDBConnection['createAppender']>> | null = null;
  try {
    for await (const sheet of reader) {
      position += 1;
      const name: unknown = Reflect.get(sheet, 'name');
      if (typeof wanted === 'number' ? position !== wanted : name !== wanted) {
        // Read a skipped sheet to its end: exceljs deletes its temporary copy next, and a stream left
        // unread would open the deleted file later (an uncaught ENOENT, seen in a loaded test run).
        await drain(sheet);
        continue;
      }
      for await (const row of sheet) {
        if (row.number < headerRow) continue;
        const values = Array.isArray(row.values) ? row.values.slice(1).map(cellText) : [];
        if (row.number === headerRow) {
          columns = uniqueNames(values);
          const list = columns.map((column) => `${sqlIdent(column)} VARCHAR`).join(', ');
          await connection.run(`CREATE OR REPLACE TABLE ${rawDataTable(side)} (${ROW_NO} BIGINT, ${list})`);
          await connection.run(
            `CREATE OR REPLACE VIEW ${rawTable(side)} AS SELECT * FROM ${rawDataTable(side)}`,
          );
          appender = await connection.createAppender(rawDataTable(side));
          continue;
        }
        if (columns === null || appender === null || values.every((v) => v === null || v.trim() === ''))
          continue;
        rowCount += 1;
        const dataRow = row.number - headerRow;
        if (values.slice(columns.length).some((v) => v !== null && v.trim() !== '')) {
          const raw = values.map((v) => v ?? '').join(',');
          await connection.run(
            `INSERT INTO ${errorsTable(side)} VALUES (${dataRow}, '', $raw, 'RECORD_MALFORMED', 'the row has values right of the last header column')`,
            { raw },
          );
          continue;
        }
        appender.appendBigInt(BigInt(dataRow));
        for (let index = 0; index < columns.length; index += 1) {
          const value = values[index] ?? null;
          if (value === null) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      break;
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError('FILE_UNREADABLE', `not a readable XLSX workbook: ${String(error)}`);
  } finally {
    appender?.closeSync();
  }
  if (columns === null) {
    throw new IngestError(
      'SHEET_NOT_FOUND',
      `no worksheet ${JSON.stringify(wanted)} with a header in row ${headerRow}`,
    );
  }
  return { columns, rowCount, invalidUnicode: false };
}
