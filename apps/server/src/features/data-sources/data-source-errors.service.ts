import { Readable } from 'node:stream';
import type { Db } from '../../db/database';
import { csvCell } from '../review/result-export';
import * as repo from './data-sources.repository';
import { loadForMember } from './data-sources.service';

const CSV_BATCH = 5_000;
// More distinct codes or columns than this would not make a usable filter list.
const SUMMARY_GROUPS = 200;

type ErrorRow = Awaited<ReturnType<typeof repo.errorsPage>>[number];

const toView = (e: ErrorRow) => ({
  seq: e.seq,
  row: Number(e.row_no),
  column: e.column_name,
  raw: e.raw,
  code: e.code,
  message: e.message,
});

/** One page of row errors after `after`, optionally filtered by code and column. */
export async function listErrors(
  db: Db,
  userId: string,
  id: string,
  after: number,
  limit: number,
  filter: repo.ErrorFilter = {},
) {
  await loadForMember(db, userId, id, 'viewer');
  const rows = await repo.errorsPage(db, id, after, limit, filter);
  const last = rows.at(-1);
  return {
    items: rows.map(toView),
    next_after: rows.length === limit && last !== undefined ? last.seq : null,
    total: await repo.countErrors(db, id, filter),
  };
}

/** How many row errors, by code and by column, for the report's filters and the detail page's banner. */
export async function summariseErrors(db: Db, userId: string, id: string) {
  await loadForMember(db, userId, id, 'viewer');
  const [total, byCode, byColumn] = await Promise.all([
    repo.countErrors(db, id),
    repo.countErrorsBy(db, id, 'code', SUMMARY_GROUPS),
    repo.countErrorsBy(db, id, 'column_name', SUMMARY_GROUPS),
  ]);
  return {
    total,
    by_code: byCode.map(({ key, count }) => ({ code: key, count })),
    by_column: byColumn.map(({ key, count }) => ({ column: key, count })),
  };
}

async function* csvLines(db: Db, id: string, filter: repo.ErrorFilter): AsyncGenerator<string> {
  yield 'row,column,raw_value,code,message\r\n';
  let after = 0;
  for (;;) {
    const rows = await repo.errorsPage(db, id, after, CSV_BATCH, filter);
    if (rows.length === 0) return;
    yield rows
      .map((e) => [e.row_no, e.column_name, e.raw, e.code, e.message].map(csvCell).join(',') + '\r\n')
      .join('');
    after = rows[rows.length - 1]?.seq ?? after;
    if (rows.length < CSV_BATCH) return;
  }
}

/**
 * Every row error (filtered like the report) as CSV, streamed a batch at a time; values starting like a
 * spreadsheet formula are neutralised. Returns the download's file name and the stream.
 */
export async function exportErrorsCsv(db: Db, userId: string, id: string, filter: repo.ErrorFilter) {
  const row = await loadForMember(db, userId, id, 'viewer');
  const base = row.name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'data-source';
  return { fileName: `${base}-row-errors.csv`, stream: Readable.from(csvLines(db, id, filter)) };
}
