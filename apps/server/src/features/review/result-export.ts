import { Readable } from 'node:stream';
import type { Db } from '../../db/database';
import { recordsByRows, type RecordRow } from '../data-sources/records.repository';
import type { JobRow } from '../jobs/jobs.repository';
import { matchesPage } from '../results/matches.repository';
import { exceptionsPage } from '../results/results.repository';
import { neutralise, plainCell, type Cell, type ExportPart, type Table } from './result-export-cells';
import { xlsxExport } from './result-export-xlsx';

const BATCH = 1_000;

/** Money of a match side: the sum in minor units, at the scale of its first record (0 when unknown). */
const money = (minor: string, record: RecordRow | undefined): Cell => ({
  kind: 'money',
  minor,
  scale: record?.scale ?? 0,
});
const date = (iso: string | null | undefined): Cell =>
  iso === null || iso === undefined ? null : { kind: 'date', iso };

/**
 * One CSV cell. Text starting with `=`, `+`, `-`, `@` (or tab/CR) is prefixed with `'` so spreadsheets do
 * not run it as a formula (OWASP CSV injection); a plain number cannot be a formula and stays numeric.
 */
export function csvCell(cell: Cell): string {
  const value = plainCell(cell);
  if (value === null) return '';
  const text = neutralise(String(value));
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function byRow(db: Db, dataSourceId: string, rows: string[]): Promise<Map<string, RecordRow>> {
  return new Map((await recordsByRows(db, dataSourceId, rows)).map((r) => [r.row_no, r]));
}

async function* matchRows(db: Db, job: JobRow): AsyncGenerator<Cell[]> {
  let after: { matchId: string; score: number } | undefined;
  for (;;) {
    const rows = await matchesPage(db, job.id, {}, 'match_id', after, BATCH);
    if (rows.length === 0) return;
    const left = await byRow(
      db,
      job.source_data_source_id,
      rows.flatMap((r) => r.left_rows),
    );
    const right = await byRow(
      db,
      job.target_data_source_id,
      rows.flatMap((r) => r.right_rows),
    );
    const refs = (map: Map<string, RecordRow>, ids: string[]) =>
      ids.map((id) => map.get(id)?.reference ?? '').join(' | ');
    for (const r of rows) {
      const first = left.get(r.left_rows[0] ?? '') ?? right.get(r.right_rows[0] ?? '');
      yield [
        r.match_id,
        r.pass_name,
        r.tier,
        r.status,
        r.score,
        r.left_rows.join(' '),
        r.right_rows.join(' '),
        money(r.left_amount, first),
        money(r.right_amount, first),
        money((BigInt(r.right_amount) - BigInt(r.left_amount)).toString(), first),
        refs(left, r.left_rows),
        refs(right, r.right_rows),
        r.reason,
      ];
    }
    const last = rows[rows.length - 1];
    after = last === undefined ? undefined : { matchId: last.match_id, score: last.score };
    if (rows.length < BATCH) return;
  }
}

async function* unmatchedRows(db: Db, job: JobRow): AsyncGenerator<Cell[]> {
  for (const side of ['left', 'right'] as const) {
    const dataSourceId = side === 'left' ? job.source_data_source_id : job.target_data_source_id;
    let after = 0;
    for (;;) {
      const rows = await exceptionsPage(db, job.id, dataSourceId, side, {}, after, BATCH);
      if (rows.length === 0) break;
      const records = await byRow(
        db,
        dataSourceId,
        rows.map((r) => r.row_no),
      );
      for (const r of rows) {
        const rec = records.get(r.row_no);
        yield [
          side,
          r.row_no,
          r.status,
          r.reason,
          rec?.external_id,
          rec === undefined ? null : money(rec.amount_minor, rec),
          rec?.currency,
          date(rec?.booking_date),
          rec?.reference,
          rec?.counterparty,
          rec?.description,
          r.write_off_code,
        ];
      }
      after = Number(rows[rows.length - 1]?.row_no ?? after);
      if (rows.length < BATCH) break;
    }
  }
}

function tables(db: Db, job: JobRow, part: ExportPart): Table[] {
  const all: Table[] = [];
  if (part !== 'unmatched') {
    all.push({
      name: 'matches',
      columns: [
        'match_id',
        'pass',
        'tier',
        'status',
        'score',
        'left_rows',
        'right_rows',
        'left_amount_minor',
        'right_amount_minor',
        'difference_minor',
        'left_references',
        'right_references',
        'reason',
      ],
      rows: matchRows(db, job),
    });
  }
  if (part !== 'matches') {
    all.push({
      name: 'unmatched',
      columns: [
        'side',
        'row',
        'status',
        'reason',
        'external_id',
        'amount_minor',
        'currency',
        'booking_date',
        'reference',
        'counterparty',
        'description',
        'write_off_code',
      ],
      rows: unmatchedRows(db, job),
    });
  }
  return all;
}

async function* csv(list: Table[]): AsyncGenerator<string> {
  for (const [index, table] of list.entries()) {
    if (index > 0) yield '\r\n';
    yield `${table.columns.map(csvCell).join(',')}\r\n`;
    for await (const row of table.rows) yield `${row.map(csvCell).join(',')}\r\n`;
  }
}

/** `{ "matches": [ {...}, ... ], "unmatched": [ ... ] }`, written object by object. */
async function* json(list: Table[]): AsyncGenerator<string> {
  yield '{';
  for (const [index, table] of list.entries()) {
    yield `${index > 0 ? ',' : ''}${JSON.stringify(table.name)}:[`;
    let first = true;
    for await (const row of table.rows) {
      const object = Object.fromEntries(table.columns.map((column, i) => [column, plainCell(row[i])]));
      yield `${first ? '' : ','}${JSON.stringify(object)}`;
      first = false;
    }
    yield ']';
  }
  yield '}';
}

/** The content type of each export format. */
export const EXPORT_CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Streams the export a batch at a time: the full result is never held in memory. */
export function exportResults(
  db: Db,
  job: JobRow,
  format: keyof typeof EXPORT_CONTENT_TYPES,
  part: ExportPart,
): Readable {
  const list = tables(db, job, part);
  if (format === 'xlsx') return xlsxExport(list);
  return Readable.from(format === 'csv' ? csv(list) : json(list));
}
