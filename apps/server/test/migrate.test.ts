import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, pendingMigrations } from '../src/db/migrate';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { verifyPassword } from '../src/lib/crypto';
import { openDatabase } from '../src/db/database';
import { createTestDatabase, type TestDatabase } from './support/test-db';

let empty: TestDatabase;

beforeAll(async () => {
  empty = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await empty.drop();
});

describe('migrate', () => {
  it('applies each migration once when two processes start together', async () => {
    const migrations = await loadMigrations();
    expect(await pendingMigrations(empty.db, migrations)).toEqual(migrations.map((m) => m.name));
    const second = openDatabase(empty.url, { poolMax: 2, statementTimeoutMs: 0 });
    try {
      const [a, b] = await Promise.all([migrate(empty.db, migrations), migrate(second.db, migrations)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(migrations.map((m) => m.name));
    } finally {
      await second.close();
    }
    expect(await pendingMigrations(empty.db, migrations)).toEqual([]);
    const again = await migrate(empty.db, migrations);
    expect(again.applied).toEqual([]);
    const trgm = await sql<{
      extname: string;
    }>`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`.execute(empty.db);
    expect(trgm.rows).toHaveLength(1);
  });

  it('refuses to run when an applied migration file was changed', async () => {
    const migrations = await loadMigrations();
    const edited = migrations.map((m, index) => (index === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(empty.db, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const migrations = await loadMigrations();
    const broken = [
      ...migrations,
      { name: '9999_broken.sql', sql: 'CREATE TABLE half_done (id int); SELECT nope;', checksum: 'x' },
    ];
    await expect(migrate(empty.db, broken)).rejects.toThrow(/9999_broken.sql failed/);
    const exists = await sql<{ t: string | null }>`SELECT to_regclass('half_done')::text AS t`.execute(
      empty.db,
    );
    expect(exists.rows[0]?.t).toBeNull();
    expect(await pendingMigrations(empty.db, broken)).toEqual(['9999_broken.sql']);
  });
});

describe('first admin', () => {
  it('creates an admin with a generated password once, storing only its hash', async () => {
    const db = await createTestDatabase();
    try {
      const first = await ensureFirstAdmin(db.db, {
        admin: { email: 'boss@example.com', password: undefined },
      });
      expect(first).toMatchObject({ created: true, email: 'boss@example.com' });
      const password = first.created ? (first.generatedPassword ?? '') : '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      const row = await db.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(row.role).toBe('admin');
      expect(row.password_hash).not.toContain(password);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(row.password_hash, password)).toBe(true);
      const second = await ensureFirstAdmin(db.db, {
        admin: { email: 'other@example.com', password: 'configured-password' },
      });
      expect(second).toEqual({ created: false });
    } finally {
      await db.drop();
    }
  });
});
