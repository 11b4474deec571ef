import type { DuckDBConnection } from '@duckdb/node-api';
import type { Side } from '../core/canonical';
import { IngestError } from './ingest-error';
import { ROW_NO, errorsTable, rawDataTable, rawTable } from './raw-table';
import { sqlIdent, sqlString } from './sql-text';

/** What loading a file into `raw_<side>` produced. */
export interface RawLoad {
  /** Source column names, in file order. */
  columns: string[];
  /** Data rows in the file, including malformed ones that could not be loaded. */
  rowCount: number;
  /** True when DuckDB met bytes that are not UTF-8 (the caller retries with transcoding). */
  invalidUnicode: boolean;
}

/** Reads the column names of a DuckDB relation. */
export async function columnNames(connection: DuckDBConnection, relation: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE ${relation}`);
  return reader
    .getRowObjectsJson()
    .map((row) => (typeof row.column_name === 'string' ? row.column_name : ''));
}

async function count(connection: DuckDBConnection, sql: string): Promise<number> {
  const reader = await connection.runAndReadAll(sql);
  return Number(reader.getRowsJson()[0]?.[0] ?? 0);
}

/**
 * Exposes a loaded table as `raw_<side>` with a 1-based row number in file order. A view, not a copy:
 * DuckDB keeps insertion order, so `rowid + 1` is the data row (copying 1M rows cost about 0.3 s).
 */
export async function finishRaw(connection: DuckDBConnection, side: Side, load: string): Promise<RawLoad> {
  const columns = (await columnNames(connection, load)).filter((name) => name !== ROW_NO);
  await connection.run(
    `CREATE OR REPLACE VIEW ${rawTable(side)} AS SELECT rowid + 1 AS ${ROW_NO}, * FROM ${load}`,
  );
  const rowCount = await count(connection, `SELECT count(*) FROM ${load}`);
  return { columns, rowCount, invalidUnicode: false };
}

/** Drops a side's raw view and the table behind it, to free memory once its records are loaded. */
export async function dropRaw(connection: DuckDBConnection, side: Side): Promise<void> {
  await connection.run(`DROP VIEW IF EXISTS ${rawTable(side)}; DROP TABLE IF EXISTS ${rawDataTable(side)}`);
}

/** CSV reading options chosen by sniffing (or by the caller). */
export interface CsvOptions {
  delimiter: string;
  /** DuckDB's own encoding name; other encodings are transcoded to UTF-8 first. */
  encoding: 'utf-8' | 'utf-16' | 'latin-1';
  /** 1-based line holding the header. */
  headerRow: number;
}

/**
 * Loads a delimited text file with DuckDB's CSV reader, every column as VARCHAR. Lines with the wrong
 * number of fields are not loaded: each becomes a `RECORD_MALFORMED` row error, and the row numbers of
 * the rows around it stay those of the file.
 */
export async function loadCsv(
  connection: DuckDBConnection,
  side: Side,
  path: string,
  options: CsvOptions,
): Promise<RawLoad> {
  const load = rawDataTable(side);
  const rejects = `rejects_${side}`;
  const scans = `reject_scans_${side}`;
  const skip = options.headerRow - 1;
  await connection.run(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scans}`);
  try {
    await connection.run(
      `CREATE OR REPLACE TABLE ${load} AS SELECT * FROM read_csv(${sqlString(path)}, all_varchar = true, header = true,
        delim = ${sqlString(options.delimiter)}, quote = '"', escape = '"', skip = ${skip}, encoding = ${sqlString(options.encoding)},
        store_rejects = true, rejects_table = ${sqlString(rejects)}, rejects_scan = ${sqlString(scans)})`,
    );
  } catch (error) {
    throw new IngestError(
      'FILE_UNREADABLE',
      `DuckDB could not read the file as delimited text: ${String(error)}`,
    );
  }
  const unicode = await count(
    connection,
    `SELECT count(*) FROM ${rejects} WHERE error_type IN ('INVALID ENCODING', 'INVALID UNICODE')`,
  );
  if (unicode > 0) return { columns: [], rowCount: 0, invalidUnicode: true };
  // DuckDB numbers rejected records by record (a quoted newline does not count), header = line 1.
  const firstData = skip + 2;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE rejected_${side} AS
      SELECT r, any_value(csv_line) AS csv_line, string_agg(error_message, '; ') AS message, row_number() OVER (ORDER BY r) AS i
      FROM (SELECT line - ${firstData - 1} AS r, csv_line, error_message FROM ${rejects}) GROUP BY r`,
  );
  const rejected = await count(connection, `SELECT count(*) FROM rejected_${side}`);
  if (rejected > 0) {
    await connection.run(
      `INSERT INTO ${errorsTable(side)} SELECT r, '', csv_line, 'RECORD_MALFORMED', message FROM rejected_${side} ORDER BY r`,
    );
    // Kept record k is file row k + (number of rejected rows before it); r_i - i kept rows precede reject i.
    await connection.run(
      `CREATE OR REPLACE TABLE ${load}_n AS SELECT (k + (SELECT count(*) FROM rejected_${side} j WHERE j.r - j.i < k)) AS ${ROW_NO}, * EXCLUDE (k)
        FROM (SELECT rowid + 1 AS k, * FROM ${load}) ORDER BY k`,
    );
    await connection.run(`DROP TABLE ${load}; ALTER TABLE ${load}_n RENAME TO ${load}`);
    await connection.run(`DROP TABLE rejected_${side}`);
    const columns = (await columnNames(connection, load)).filter((name) => name !== ROW_NO);
    await connection.run(`CREATE OR REPLACE VIEW ${rawTable(side)} AS SELECT * FROM ${load}`);
    const loaded = await count(connection, `SELECT count(*) FROM ${load}`);
    return { columns, rowCount: loaded + rejected, invalidUnicode: false };
  }
  await connection.run(`DROP TABLE rejected_${side}`);
  return finishRaw(connection, side, load);
}

/** Loads a Parquet file; typed columns are cast to their text form (DECIMAL keeps every digit). */
export async function loadParquet(connection: DuckDBConnection, side: Side, path: string): Promise<RawLoad> {
  const load = rawDataTable(side);
  try {
    const source = `read_parquet(${sqlString(path)})`;
    const names = await columnNames(connection, `SELECT * FROM ${source}`);
    const casts = names.map((name) => `CAST(${sqlIdent(name)} AS VARCHAR) AS ${sqlIdent(name)}`).join(', ');
    await connection.run(`CREATE OR REPLACE TABLE ${load} AS SELECT ${casts} FROM ${source}`);
  } catch (error) {
    throw new IngestError('FILE_UNREADABLE', `not a readable Parquet file: ${String(error)}`);
  }
  return finishRaw(connection, side, load);
}
