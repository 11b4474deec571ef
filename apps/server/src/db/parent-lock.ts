import { AppError } from '@recon/shared';
import type { Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Parents of the bulk tables that have no foreign key (migration 0104): records and data_source_errors
 * belong to a data source, recon_matches, recon_exceptions and recon_discrepancies to a job.
 */
export type BulkParent = 'data_sources' | 'recon_jobs';

const GONE = {
  data_sources: {
    code: 'DATA_SOURCE_NOT_FOUND',
    detail: 'The data source no longer exists; nothing was written',
  },
  recon_jobs: {
    code: 'JOB_NOT_FOUND',
    detail: 'The reconciliation job no longer exists; nothing was written',
  },
} as const;

/**
 * Locks the parent row `FOR KEY SHARE` for the rest of the transaction, as the dropped foreign key did for
 * each row: a concurrent DELETE of the parent waits until this transaction ends, and its trigger then sees
 * and deletes what this transaction wrote. Throws `DATA_SOURCE_NOT_FOUND` / `JOB_NOT_FOUND` (404) when the
 * parent is gone, so no child row is written without it. Call before inserting into a bulk table, unless
 * the transaction already holds a conflicting lock on the row (`FOR UPDATE` that returned it, an UPDATE that
 * changed it) or inserted the parent itself.
 *
 * @example await lockBulkParent(trx, 'data_sources', dataSourceId); // then COPY into records
 */
export async function lockBulkParent(
  trx: Transaction<Database>,
  parent: BulkParent,
  id: string,
): Promise<void> {
  const row = await trx.selectFrom(parent).select('id').where('id', '=', id).forKeyShare().executeTakeFirst();
  if (row === undefined) throw new AppError(GONE[parent].code, GONE[parent].detail);
}
