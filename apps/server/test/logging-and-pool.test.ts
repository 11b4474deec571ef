import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/lib/logger';
import { createTestDatabase } from './support/test-db';

describe('logger', () => {
  it('redacts credentials wherever they appear', () => {
    const lines: string[] = [];
    const log = createLogger({ logLevel: 'info' }, { write: (line: string) => lines.push(line) });
    log.info(
      {
        req: {
          headers: {
            authorization: 'Bearer secret-a',
            cookie: 'recon_access=secret-b',
            'x-api-key': 'rk_secret-c',
          },
        },
        body: { password: 'secret-d', refresh_token: 'secret-e', new_password: 'secret-f' },
        password: 'secret-g',
        email: 'kept@example.com',
      },
      'request',
    );
    const output = lines.join('');
    expect(output).not.toMatch(/secret-/);
    expect(output).toContain('kept@example.com');
    expect(output).toContain('[redacted]');
  });
});

describe('database pool', () => {
  it('applies the configured statement timeout', async () => {
    const db = await createTestDatabase();
    const handle = openDatabase(db.url, { poolMax: 1, statementTimeoutMs: 200 });
    try {
      const shown = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(handle.db);
      expect(shown.rows[0]?.statement_timeout).toBe('200ms');
      await expect(sql`SELECT pg_sleep(2)`.execute(handle.db)).rejects.toThrow(/statement timeout/);
    } finally {
      await handle.close();
      await db.drop();
    }
  });
});
