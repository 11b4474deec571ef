import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CANONICAL_COLUMNS, recordsTable, type CanonicalRecord, type Side } from '../core/canonical';

/** Resources the engine may use. Passed in by the caller: the engine reads no environment. */
export interface SessionOptions {
  /** DuckDB memory limit, e.g. '1GB'. Past it DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Directory for DuckDB spill files. */
  tempDirectory?: string;
  /** Worker threads DuckDB may use; defaults to DuckDB's choice (all cores). */
  threads?: number;
}

/** One in-memory DuckDB database holding one reconciliation's inputs and results. */
export interface EngineSession {
  readonly connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens an in-memory DuckDB for one reconciliation.
 * @example
 * const session = await openSession({ memoryLimit: '1GB' });
 * try { ... } finally { session.close(); }
 */
export async function openSession(options: SessionOptions = {}): Promise<EngineSession> {
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Creates (or replaces) the empty canonical table for a side. */
export async function createCanonicalTable(connection: DuckDBConnection, side: Side): Promise<void> {
  const columns = CANONICAL_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
  await connection.run(`CREATE OR REPLACE TABLE ${recordsTable(side)} (${columns})`);
}

/**
 * Appends records produced in JavaScript (bank formats, tests) to a side's canonical table.
 * Tabular files never come through here: DuckDB reads them directly.
 */
export async function appendRecords(
  connection: DuckDBConnection,
  side: Side,
  records: Iterable<CanonicalRecord>,
): Promise<void> {
  const appender = await connection.createAppender(recordsTable(side));
  const text = (value: string | null): void => {
    if (value === null) appender.appendNull();
    else appender.appendVarchar(value);
  };
  for (const record of records) {
    appender.appendBigInt(BigInt(record.row));
    text(record.externalId);
    appender.appendHugeInt(record.amount);
    text(record.currency);
    appender.appendInteger(record.scale);
    text(record.bookingDate);
    text(record.valueDate);
    text(record.reference);
    text(record.counterparty);
    text(record.description);
    text(record.account);
    appender.appendVarchar(JSON.stringify(record.extra));
    appender.endRow();
  }
  appender.closeSync();
}
