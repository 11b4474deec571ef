import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/database';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate } from '../src/db/migrate';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { testConfig, ADMIN_EMAIL, ADMIN_PASSWORD } from './support/test-app';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

// The zero-config path, always exercised (even when DATABASE_URL points elsewhere): no database given,
// PostgreSQL is initialised under DATA_DIR/pg, reused on the next start, and survives a stale pid file.
describe('embedded PostgreSQL', () => {
  it('initialises, serves the app, restarts on the same cluster and handles a stale postmaster.pid', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'recon-embedded-'));
    try {
      const first = await startEmbeddedPostgres(dataDir, quiet);
      const handle = openDatabase(first.url, { poolMax: 2, statementTimeoutMs: 5000 });
      try {
        await migrate(handle.db);
        await ensureFirstAdmin(handle.db, testConfig());
        const app = await buildApp(testConfig(), { db: handle.db });
        const ready = await app.inject({ method: 'GET', url: '/health/ready' });
        expect(ready.statusCode).toBe(200);
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
        });
        expect(login.statusCode).toBe(200);
        await app.close();
      } finally {
        await handle.close();
        await first.stop();
      }
      expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

      // A crashed run leaves postmaster.pid naming a process that no longer exists.
      await writeFile(path.join(dataDir, 'pg', 'postmaster.pid'), '999999\n/nowhere\n');
      const second = await startEmbeddedPostgres(dataDir, quiet);
      const again = openDatabase(second.url, { poolMax: 1, statementTimeoutMs: 5000 });
      try {
        const users = await again.db.selectFrom('users').select('email').execute();
        expect(users.map((user) => user.email)).toEqual([ADMIN_EMAIL]);
      } finally {
        await again.close();
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
