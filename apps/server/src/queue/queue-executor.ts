import { CompiledQuery } from 'kysely';
import type PgBoss from 'pg-boss';
import type { DbOrTx } from '../db/database';

/**
 * pg-boss's database adapter over a Kysely handle. Given a transaction, pg-boss's insert runs inside it:
 * the queued job becomes visible only when the transaction that created the job row commits.
 */
export function bossExecutor(db: DbOrTx): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}
