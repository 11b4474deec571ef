import type { Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Locks a user row `FOR KEY SHARE` for the rest of the transaction, as the foreign keys dropped by migration
 * 0107 did: a concurrent DELETE of the user waits until this transaction ends, and its trigger then clears
 * the id this transaction wrote into `recon_matches.updated_by` or `recon_exceptions.assignee_id`. Returns
 * false when the user is gone (the caller chooses the error), so no id of a missing user is written. Call
 * before writing the id.
 *
 * @example if (!(await lockUser(trx, assigneeId))) throw new AppError('VALIDATION_FAILED');
 */
export async function lockUser(trx: Transaction<Database>, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .forKeyShare()
    .executeTakeFirst();
  return row !== undefined;
}
