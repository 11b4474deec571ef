import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './database';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 378_000_001;

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** The migration files, in order (file names sort as `NNNN_description.sql`). */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

export interface MigrateResult {
  readonly applied: string[];
  readonly alreadyApplied: number;
}

/**
 * Applies pending SQL migrations in order, each in its own transaction, recorded in `schema_migrations`.
 * Holds a session advisory lock, so processes starting together apply each migration exactly once.
 * Refuses to run when an applied migration's file has changed since.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await loadMigrations());
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`.execute(conn);
      const rows = await conn.selectFrom('schema_migrations').select(['name', 'checksum']).execute();
      const done = new Map(rows.map((row) => [row.name, row.checksum]));
      const applied: string[] = [];
      for (const migration of all) {
        const checksum = done.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(`migration ${migration.name} was changed after it was applied`);
          }
          continue;
        }
        await sql`BEGIN`.execute(conn);
        try {
          await sql.raw(migration.sql).execute(conn);
          await conn
            .insertInto('schema_migrations')
            .values({ name: migration.name, checksum: migration.checksum })
            .execute();
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn);
          throw new Error(`migration ${migration.name} failed`, { cause: error });
        }
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Names of migrations not yet applied (all of them when the table does not exist yet). */
export async function pendingMigrations(db: Db, migrations: Migration[]): Promise<string[]> {
  const exists = await sql<{
    exists: boolean;
  }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`.execute(db);
  if (exists.rows[0]?.exists !== true) return migrations.map((migration) => migration.name);
  const rows = await db.selectFrom('schema_migrations').select('name').execute();
  const done = new Set(rows.map((row) => row.name));
  return migrations.filter((migration) => !done.has(migration.name)).map((migration) => migration.name);
}
