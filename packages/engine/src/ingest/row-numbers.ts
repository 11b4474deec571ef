import type { DuckDBConnection } from '@duckdb/node-api';
import { recordsTable, type Side } from '../core/canonical';
import { IngestError } from './ingest-error';

/**
 * Checks that `row_no` identifies each record of `records_<side>`: matching, results and review all
 * address a record by it. Throws `IngestError('ROW_NUMBERS_NOT_UNIQUE')` naming the first duplicates.
 * Readers write rows in ascending order, so a strictly increasing scan (about 10 ms per million rows)
 * proves it; only otherwise are the rows grouped (about 0.4 s per million), to tell unordered from repeated.
 * @example await assertUniqueRowNumbers(session.connection, 'left');
 */
export async function assertUniqueRowNumbers(connection: DuckDBConnection, side: Side): Promise<void> {
  const table = recordsTable(side);
  // Whatever order the window sees, no row at or below its predecessor means no row appears twice.
  const unordered = await connection.runAndReadAll(
    `SELECT count(*) FROM (SELECT row_no, lag(row_no) OVER () AS previous FROM ${table}) WHERE row_no <= previous`,
  );
  if (Number(unordered.getRowsJson()[0]?.[0] ?? 0) === 0) return;
  const repeated = await connection.runAndReadAll(
    `SELECT row_no::VARCHAR, count(*)::INTEGER FROM ${table} GROUP BY row_no HAVING count(*) > 1 ORDER BY row_no LIMIT 5`,
  );
  const duplicates = repeated.getRowsJson().map(([row, times]) => ({
    row: typeof row === 'string' ? row : '?',
    times: Number(times),
  }));
  if (duplicates.length === 0) return;
  throw new IngestError(
    'ROW_NUMBERS_NOT_UNIQUE',
    `${table}: row numbers must be unique, but ${duplicates.map((d) => `row ${d.row} appears ${d.times} times`).join(', ')}`,
    { duplicates },
  );
}
