import { recordsTable, type EngineSession } from '@recon/engine';
import { DUMP_COLUMNS, RECORD_CSV_COLUMNS } from './records.repository';

/** Row numbers `from` to `to`, both included (bigint: only integers reach the SQL text). */
export interface RowRange {
  readonly from: bigint;
  readonly to: bigint;
}

/** The smallest and largest row number of the session's records; undefined when there are none. */
export async function recordRowBounds(session: EngineSession): Promise<RowRange | undefined> {
  const reader = await session.connection.runAndReadAll(
    `SELECT min(row_no)::BIGINT, max(row_no)::BIGINT FROM ${recordsTable('left')}`,
  );
  const [from, to] = reader.getRows()[0] ?? [];
  return typeof from === 'bigint' && typeof to === 'bigint' ? { from, to } : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The session's value of each record column: the data source id as a literal, `extra` as JSON text. */
function recordColumns(dataSourceId: string): Record<(typeof RECORD_CSV_COLUMNS)[number], string> {
  if (!UUID.test(dataSourceId)) throw new Error('data source id is not a UUID');
  return {
    data_source_id: sqlString(dataSourceId.toLowerCase()),
    row_no: 'row_no',
    external_id: 'external_id',
    amount_minor: 'amount_minor',
    currency: 'currency',
    scale: 'scale',
    booking_date: 'booking_date',
    value_date: 'value_date',
    reference: 'reference',
    counterparty: 'counterparty',
    description: 'description',
    account: 'account',
    extra: "coalesce(extra::VARCHAR, '{}')",
  };
}

/**
 * Writes the session's canonical records, in row order, to a CSV file in {@link RECORD_CSV_COLUMNS} order
 * with DuckDB's `COPY ... TO` (the data source id as a literal: DuckDB's COPY takes no parameters, so only a
 * well-formed UUID gets in). PostgreSQL reads it with one `COPY ... FROM STDIN (FORMAT csv)`, so no record
 * passes through JavaScript.
 */
export async function exportRecords(
  session: EngineSession,
  dataSourceId: string,
  file: string,
  rows?: RowRange,
): Promise<void> {
  const columns = recordColumns(dataSourceId);
  await session.connection.run(
    `COPY (SELECT ${RECORD_CSV_COLUMNS.map((name) => columns[name]).join(', ')} FROM ${recordsTable('left')}
       ${rows === undefined ? '' : `WHERE row_no BETWEEN ${rows.from.toString()} AND ${rows.to.toString()}`}
       ORDER BY row_no)
     TO ${sqlString(file)} (FORMAT csv, HEADER false)`,
  );
}

/**
 * Writes the session's canonical records, in row order, to a Parquet file with the columns of
 * {@link DUMP_COLUMNS} and the values {@link exportRecords} gives PostgreSQL: the snapshot a reconciliation
 * job reads instead of dumping the records back out of PostgreSQL (migration 0109). Returns the row count.
 */
export async function exportSnapshot(
  session: EngineSession,
  dataSourceId: string,
  file: string,
): Promise<number> {
  // Parquet has no 128-bit integer (DuckDB would write HUGEINT as a double): BIGINT, PostgreSQL's type too.
  const columns = { ...recordColumns(dataSourceId), amount_minor: 'amount_minor::BIGINT' };
  const reader = await session.connection.runAndReadAll(
    `COPY (SELECT ${DUMP_COLUMNS.map((name) => `${columns[name]} AS ${name}`).join(', ')}
       FROM ${recordsTable('left')} ORDER BY row_no)
     TO ${sqlString(file)} (FORMAT parquet)`,
  );
  return Number(reader.getRowsJS()[0]?.[0] ?? 0);
}
