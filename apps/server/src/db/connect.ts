import type { Config } from '../config';
import { openDatabase, type DatabaseHandle } from './database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { migrate, type MigrateResult } from './migrate';

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface Connection {
  readonly database: DatabaseHandle;
  /** Set when no DATABASE_URL was given and PostgreSQL was started under DATA_DIR/pg. */
  readonly embedded: EmbeddedDatabase | undefined;
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

/**
 * Opens the configured database: DATABASE_URL, or embedded PostgreSQL under DATA_DIR. Used by the server
 * and by `recon migrate` alike, so both find the same database from the same configuration.
 */
export async function connectDatabase(config: Config, log: Logger): Promise<Connection> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres(config.dataDir, log);
    url = embedded.url;
  }
  const database = openDatabase(url, config.db, (error) => {
    log.warn({ err: error }, 'idle database client error');
  });
  return {
    database,
    embedded,
    close: async () => {
      await database.close();
      await embedded?.stop();
    },
  };
}

/** Connects, applies pending migrations, disconnects: what `recon migrate` runs. */
export async function migrateConfigured(config: Config, log: Logger): Promise<MigrateResult> {
  const connection = await connectDatabase(config, log);
  try {
    return await migrate(connection.database.db);
  } finally {
    await connection.close();
  }
}
