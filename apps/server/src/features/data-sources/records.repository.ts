import { sql } from 'kysely';
import { copyRows, type CopyTransaction } from '../../db/copy';
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

const RECORD_COLUMNS = [
  'data_source_id',
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

/**
 * Appends a batch with COPY on the transaction's connection (batched `unnest` INSERTs measured ~30 µs/row).
 * Amounts and row numbers stay decimal strings end to end, so no value passes through a float.
 */
export async function insertRecords(
  tx: CopyTransaction,
  dataSourceId: string,
  rows: readonly RecordRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyRows(
    tx,
    'records',
    RECORD_COLUMNS,
    rows.map((r) => [
      dataSourceId,
      r.row_no,
      r.external_id,
      r.amount_minor,
      r.currency,
      r.scale,
      r.booking_date,
      r.value_date,
      r.reference,
      r.counterparty,
      r.description,
      r.account,
      r.extra,
    ]),
  );
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
