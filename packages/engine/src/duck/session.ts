import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
  /**
   * Where the session's tables live. `memory` (default): uncompressed in RAM. `compressed`: in RAM with
   * DuckDB's lightweight compression. `disk`: a temporary database file in `tempDirectory` (required),
   * deleted on close, so the buffer manager can evict table pages under `memoryLimit`.
   */
  storage?: 'memory' | 'compressed' | 'disk';
}

/** One DuckDB database (in memory unless `storage: 'disk'`) holding one reconciliation's inputs and results. */
export interface EngineSession {
  readonly connection: DuckDBConnection;
  /** The `memoryLimit` the session was opened with, if any. */
  readonly memoryLimit?: string;
  close(): void;
}

/**
 * Opens a DuckDB database for one reconciliation (in memory by default; see `SessionOptions.storage`).
 * @example
 * const session = await openSession({ memoryLimit: '1GB' });
 * try { ... } finally { session.close(); }
 */
export async function openSession(options: SessionOptions = {}): Promise<EngineSession> {
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  if (options.threads) config.threads = String(options.threads);
  let file: string | undefined;
  if (options.storage === 'disk') {
    if (!options.tempDirectory) throw new Error("storage 'disk' needs a tempDirectory");
    mkdirSync(options.tempDirectory, { recursive: true });
    file = join(options.tempDirectory, `recon-${randomUUID()}.duckdb`);
  }
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  if (options.storage === 'compressed') {
    await connection.run(`ATTACH ':memory:' AS recon (COMPRESS); USE recon;`);
  } else if (file) {
    // The file is scratch space, never reopened: no write-ahead log to write.
    const path = `'${file.replaceAll("'", "''")}'`;
    await connection.run(`ATTACH ${path} AS recon (RECOVERY_MODE no_wal_writes); USE recon;`);
  }
  return {
    connection,
    ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}),
    close() {
      connection.closeSync();
      instance.closeSync();
      if (file) {
        rmSync(file, { force: true });
        rmSync(`${file}.wal`, { force: true });
      }
    },
  };
}

/**
 * Runs `work` with DuckDB's memory limit set to `limit`, then restores the session's own `memoryLimit`
 * (or DuckDB's default when it has none).
 * Writing results (a join sorted by match id) otherwise grows the buffer pool on top of the tables;
 * a lower limit makes DuckDB evict table pages and spill the sort instead of holding both in RAM.
 * @example
 * await withMemoryLimit(session, '500MB', () => session.connection.run('COPY (...) TO ...'));
 */
export async function withMemoryLimit<T>(
  session: EngineSession,
  limit: string,
  work: () => Promise<T>,
): Promise<T> {
  const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;
  await session.connection.run(`SET memory_limit = ${quote(limit)}`);
  try {
    return await work();
  } finally {
    // Restore the exact option given (current_setting() reads back a rounded value).
    await session.connection.run(
      session.memoryLimit ? `SET memory_limit = ${quote(session.memoryLimit)}` : 'RESET memory_limit',
    );
  }
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
