import type { RowError, RowErrorCode, Side } from '../core/canonical';
import type { EngineSession } from '../duck/session';
import { errorsTable } from './raw-table';

const CODES: ReadonlySet<string> = new Set<RowErrorCode>([
  'AMOUNT_INVALID',
  'AMOUNT_MISSING',
  'AMOUNT_OUT_OF_RANGE',
  'AMOUNT_PRECISION',
  'DATE_INVALID',
  'DATE_MISSING',
  'CURRENCY_INVALID',
  'DEBIT_CREDIT_CONFLICT',
  'DIRECTION_INVALID',
  'RECORD_MALFORMED',
]);

const isRowErrorCode = (value: unknown): value is RowErrorCode =>
  typeof value === 'string' && CODES.has(value);

/** A page of row errors. */
export interface RowErrorPage {
  offset?: number;
  limit?: number;
}

/**
 * Reads a side's row errors in row order (then in mapping order within a row), a page at a time.
 * @example await readRowErrors(session, 'left', { offset: 0, limit: 100 })
 */
export async function readRowErrors(
  session: EngineSession,
  side: Side,
  page: RowErrorPage = {},
): Promise<RowError[]> {
  const limit = Math.max(0, Math.floor(page.limit ?? 100));
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const reader = await session.connection.runAndReadAll(
    `SELECT row_no, "column", raw, code, message FROM ${errorsTable(side)} ORDER BY row_no, rowid LIMIT ${limit} OFFSET ${offset}`,
  );
  return reader.getRowsJson().map(([row, column, raw, code, message]) => {
    if (!isRowErrorCode(code)) throw new Error(`unknown row error code ${JSON.stringify(code)}`);
    return {
      row: Number(row),
      column: typeof column === 'string' ? column : '',
      raw: typeof raw === 'string' ? raw : null,
      code,
      message: typeof message === 'string' ? message : '',
    };
  });
}

/** Number of row errors and of distinct rows they fall on. */
export async function countRowErrors(
  session: EngineSession,
  side: Side,
): Promise<{ errors: number; rows: number }> {
  const reader = await session.connection.runAndReadAll(
    `SELECT count(*), count(DISTINCT row_no) FROM ${errorsTable(side)}`,
  );
  const [errors, rows] = reader.getRowsJson()[0] ?? [0, 0];
  return { errors: Number(errors), rows: Number(rows) };
}
