import {
  sql,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams';
import { poolOf, type Db } from './database';
import type { Database } from './schema';

/** One value of a COPY row. Integers beyond 2^53 (money, row numbers) travel as decimal strings or bigint. */
export type CopyCell = string | number | bigint | boolean | null | undefined;

/** A transaction whose Kysely handle and raw client are the same connection, so COPY joins the transaction. */
export interface CopyTransaction {
  readonly trx: Transaction<Database>;
  readonly client: pg.PoolClient;
}

// COPY text format: backslash, tab, newline and carriage return are the only bytes with a meaning inside a value.
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPED: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in PostgreSQL's COPY text format; null and undefined are `\N`, distinct from the empty string. */
export function encodeCopyCell(value: CopyCell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string')
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPED[c] ?? c) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // bigint prints every digit; numbers print the shortest exact round-trip form (NaN/Infinity are valid float8).
  return value.toString();
}

/** Rows in COPY text format: cells joined by tabs, each row ending in a newline. */
export function encodeCopyRows(rows: Iterable<readonly CopyCell[]>): string {
  let text = '';
  for (const row of rows) text += `${row.map(encodeCopyCell).join('\t')}\n`;
  return text;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const CHUNK_ROWS = 2_000;

function* chunks(rows: Iterable<readonly CopyCell[]>): Generator<string> {
  let batch: (readonly CopyCell[])[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= CHUNK_ROWS) {
      yield encodeCopyRows(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield encodeCopyRows(batch);
}

/**
 * Appends rows to `table` with `COPY ... FROM STDIN` on the transaction's connection. Values must be in
 * `columns` order. Measured ~30 µs/row for batched `unnest` INSERTs through Kysely; COPY is the bulk path.
 */
export async function copyRows<T extends keyof Database>(
  tx: CopyTransaction,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: Iterable<readonly CopyCell[]>,
): Promise<void> {
  const statement = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks(rows)), tx.client.query(copyFromStdin(statement)));
}

/** Where {@link copyFromCsv} writes, besides `table` itself. */
export interface CsvCopyOptions {
  /**
   * A relation shaped like `table` to copy into instead (schema-qualified, quoted as needed), such as a
   * run's results table before it is attached as a partition of `table`.
   */
  readonly into?: string;
  /** `COPY ... (FREEZE)`: rows written frozen; only into a table created in the same transaction. */
  readonly freeze?: boolean;
}

/**
 * Appends CSV (no header; NULL unquoted empty, the empty string `""`, as DuckDB's `COPY ... (FORMAT csv)`
 * writes it) to `table` with one `COPY ... FROM STDIN (FORMAT csv)` on the transaction's connection. `csv`
 * is a file's path or a stream of its bytes, which may still be being written (parts DuckDB exports while
 * PostgreSQL reads: `lib/csv-parts.ts`). The bulk path from DuckDB: no row passes through JavaScript,
 * unlike {@link copyRows}.
 */
export async function copyFromCsv<T extends keyof Database>(
  tx: CopyTransaction,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  csv: string | Readable,
  options: CsvCopyOptions = {},
): Promise<void> {
  const target = options.into ?? quoteIdent(table);
  const format = options.freeze === true ? 'FORMAT csv, FREEZE' : 'FORMAT csv';
  const statement = `COPY ${target} (${columns.map(quoteIdent).join(', ')}) FROM STDIN (${format})`;
  const source = typeof csv === 'string' ? createReadStream(csv) : csv;
  await pipeline(source, tx.client.query(copyFromStdin(statement)));
}

/**
 * Writes the rows of `query` (a SELECT without parameters: COPY takes none) to a CSV file with
 * `COPY (...) TO STDOUT (FORMAT csv)` on the transaction's connection: the bulk path into DuckDB's
 * `read_csv`. Values the query needs are passed with `set_config(..., true)` before, so they stay bound.
 */
export async function copyQueryToCsvFile(tx: CopyTransaction, query: string, file: string): Promise<void> {
  await pipeline(
    tx.client.query(copyToStdout(`COPY (${query}) TO STDOUT (FORMAT csv)`)),
    createWriteStream(file),
  );
}

/**
 * Lifts `DB_STATEMENT_TIMEOUT_MS` for the rest of the transaction. For a worker's bulk transactions only
 * (COPY in or out, the deletes a re-run's replacement starts with): their length is set by the size of the
 * data, not by a query plan that can run away, and cut at the timeout every large job would fail and retry.
 */
export async function withoutStatementTimeout(trx: Transaction<Database>): Promise<void> {
  await sql`SET LOCAL statement_timeout = 0`.execute(trx);
}

/** A pool of exactly one already checked-out client, which the caller releases. */
function singleClientPool(client: pg.PoolClient): PostgresPool {
  const borrowed: PostgresPoolClient = {
    query: client.query.bind(client),
    release: () => undefined,
  };
  return { connect: () => Promise.resolve(borrowed), end: () => Promise.resolve() };
}

/**
 * Runs `work` in one transaction on one pooled connection that both Kysely (`trx`) and COPY (`copyRows`)
 * use, so bulk rows commit or roll back with everything else the transaction writes.
 */
export async function copyTransaction<R>(db: Db, work: (tx: CopyTransaction) => Promise<R>): Promise<R> {
  const pool = poolOf(db);
  if (pool === undefined) throw new Error('copyTransaction needs a handle from openDatabase');
  const client = await pool.connect();
  const single = new Kysely<Database>({ dialect: new PostgresDialect({ pool: singleClientPool(client) }) });
  let failure: Error | undefined;
  try {
    return await single.transaction().execute((trx) => work({ trx, client }));
  } catch (error) {
    // A failed COPY or rollback can leave the protocol mid-stream: drop the connection rather than reuse it.
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    await single.destroy();
    client.release(failure);
  }
}
