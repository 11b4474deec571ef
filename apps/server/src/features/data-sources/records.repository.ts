import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import { copyFromCsv, type CopyTransaction } from '../../db/copy';
import type { DbOrTx } from '../../db/database';

/** One canonical record as text columns, the shape both DuckDB and PostgreSQL exchange in bulk. */
export interface RecordRow {
  row_no: string;
  external_id: string | null;
  amount_minor: string;
  currency: string | null;
  scale: number;
  booking_date: string | null;
  value_date: string | null;
  reference: string | null;
  counterparty: string | null;
  description: string | null;
  account: string | null;
  /** JSON text of the columns the mapping did not consume. */
  extra: string;
}

/** The columns a job's dump of records writes (`load-records.ts`), in file order (the engine's canonical order). */
export const DUMP_COLUMNS = [
  'row_no',
  'external_id',
  'amount_minor',
  'currency',
  'scale',
  'booking_date',
  'value_date',
  'reference',
  'counterparty',
  'description',
  'account',
  'extra',
] as const;

/** The CSV columns of {@link appendRecordsCsvStream}, in file order: the data source id, then the dump's. */
export const RECORD_CSV_COLUMNS = ['data_source_id', ...DUMP_COLUMNS] as const;

/**
 * Appends records from a CSV byte stream whose columns are {@link RECORD_CSV_COLUMNS} with one COPY in the
 * caller's transaction: the stream may still be being written (parts exported while PostgreSQL reads).
 */
export async function appendRecordsCsvStream(tx: CopyTransaction, source: Readable): Promise<void> {
  await copyFromCsv(tx, 'records', RECORD_CSV_COLUMNS, source);
}

export async function deleteRecords(db: DbOrTx, dataSourceId: string): Promise<void> {
  await db.deleteFrom('records').where('data_source_id', '=', dataSourceId).execute();
}

/**
 * A batch of records in row order after `afterRow` (keyset paging). Columns are qualified: the output
 * `row_no` is text, and an unqualified ORDER BY would sort by it as text and break the keyset.
 */
export async function readRecords(
  db: DbOrTx,
  dataSourceId: string,
  afterRow: string,
  limit: number,
): Promise<RecordRow[]> {
  const result = await sql<RecordRow>`
    SELECT row_no::text, external_id, amount_minor::text, currency, scale, booking_date::text, value_date::text,
           reference, counterparty, description, account, extra::text
    FROM records WHERE data_source_id = ${dataSourceId}::uuid AND records.row_no > ${afterRow}::bigint
    ORDER BY records.row_no LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** The records with the given row numbers, in row order. */
export async function recordsByRows(
  db: DbOrTx,
  dataSourceId: string,
  rows: readonly string[],
): Promise<RecordRow[]> {
  if (rows.length === 0) return [];
  const result = await sql<RecordRow>`
    SELECT row_no::text, external_id, amount_minor::text, currency, scale, booking_date::text, value_date::text,
           reference, counterparty, description, account, extra::text
    FROM records WHERE data_source_id = ${dataSourceId}::uuid AND records.row_no = ANY(${rows}::bigint[])
    ORDER BY records.row_no`.execute(db);
  return result.rows;
}
