import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { pendingMigrations, type Migration } from '../../db/migrate';

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: { database: 'ok' | 'error'; migrations: 'ok' | 'pending' | 'unknown' };
}

/** Ready only when a query succeeds within 2 s and no migration is pending. */
export async function checkReadiness(
  db: Db,
  migrations: Migration[],
  onError: (error: unknown) => void = () => undefined,
): Promise<Readiness> {
  try {
    const pending = await withTimeout(
      (async () => {
        await sql`SELECT 1`.execute(db);
        return pendingMigrations(db, migrations);
      })(),
      2000,
    );
    const isCurrent = pending.length === 0;
    return {
      status: isCurrent ? 'ready' : 'not_ready',
      checks: { database: 'ok', migrations: isCurrent ? 'ok' : 'pending' },
    };
  } catch (error) {
    onError(error);
    return { status: 'not_ready', checks: { database: 'error', migrations: 'unknown' } };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timeout'));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
