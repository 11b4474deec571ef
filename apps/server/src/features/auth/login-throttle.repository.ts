import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';

/** Seconds until the longest lock among `keys` ends, or 0 when none is locked. */
export async function lockedForSeconds(db: DbOrTx, keys: string[]): Promise<number> {
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<string | null>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.seconds == null ? 0 : Math.max(1, Number(row.seconds));
}

/**
 * Counts one failure for `key` inside a sliding window of `windowSeconds`; when the count reaches
 * `maxFailures` the key is locked for `lockSeconds` and the count starts again.
 * Returns true when this failure caused a lock.
 */
export async function recordFailure(
  db: DbOrTx,
  key: string,
  maxFailures: number,
  windowSeconds: number,
  lockSeconds: number,
): Promise<boolean> {
  const windowExpired = sql<boolean>`login_throttle.window_started_at < now() - make_interval(secs => ${windowSeconds})`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`CASE WHEN ${windowExpired} THEN 1 ELSE login_throttle.failures + 1 END`,
        window_started_at: sql`CASE WHEN ${windowExpired} THEN now() ELSE login_throttle.window_started_at END`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < maxFailures) return false;
  await db
    .updateTable('login_throttle')
    .set({
      failures: 0,
      window_started_at: sql`now()`,
      locked_until: sql`now() + make_interval(secs => ${lockSeconds})`,
    })
    .where('key', '=', key)
    .execute();
  return true;
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
