import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

/** The typed database handle; repositories take this (or a transaction) as their first argument. */
export type Db = Kysely<Database>;
/** A database handle or a transaction: what every repository function accepts. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

// int8 (e.g. counts) as string by default; bigint-valued money columns will parse explicitly in their repos.

export interface DatabaseOptions {
  poolMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
}

export interface DatabaseHandle {
  readonly db: Db;
  readonly pool: pg.Pool;
  /** Waits for checked-out clients to be released, then closes the pool. */
  close(): Promise<void>;
}

// The pool behind each handle, for work Kysely cannot express over it (COPY in `copy.ts`).
const pools = new WeakMap<Db, pg.Pool>();

/** The pool behind a handle opened with `openDatabase`, or undefined for any other Kysely instance. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/** Opens a pooled Kysely handle. `statementTimeoutMs` 0 means no timeout. */
export function openDatabase(
  url: string,
  options: DatabaseOptions,
  onError?: (error: Error) => void,
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    application_name: options.applicationName ?? 'recon-server',
    ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => onError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  let closed: Promise<void> | undefined;
  return { db, pool, close: () => (closed ??= db.destroy()) };
}
