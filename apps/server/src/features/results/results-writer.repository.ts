import { copyFromCsvFile, type CopyTransaction } from '../../db/copy';
import type { DbOrTx } from '../../db/database';

/**
 * Column order of a matches CSV file. Row arrays are PostgreSQL array literals (`{1,2}`), amounts
 * integer minor units, `explanation` JSON text.
 */
export const MATCH_CSV_COLUMNS = [
  'job_id',
  'match_id',
  'pass_index',
  'pass_name',
  'kind',
  'score',
  'tier',
  'status',
  'left_rows',
  'right_rows',
  'left_amount',
  'right_amount',
  'explanation',
] as const;

/** Column order of an exceptions (unmatched records) CSV file. */
export const EXCEPTION_CSV_COLUMNS = [
  'job_id',
  'side',
  'row_no',
  'nearest_row',
  'nearest_score',
  'nearest_pass',
  'reason',
  'amount_minor',
  'booking_date',
] as const;

/** Column order of a discrepancies CSV file. */
export const DISCREPANCY_CSV_COLUMNS = [
  'job_id',
  'match_id',
  'field',
  'left_value',
  'right_value',
  'delta',
  'unit',
] as const;

/** Removes every result of the job: the first statement of the transaction that writes an attempt's results. */
export async function clearResults(db: DbOrTx, jobId: string): Promise<void> {
  await db.deleteFrom('recon_comments').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_discrepancies').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_exceptions').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_matches').where('job_id', '=', jobId).execute();
}

/**
 * The CSV files of one attempt's results (columns as above), appended with COPY in the caller's transaction.
 * The result tables have no foreign key to the job: the caller must hold the job row locked (the reconcile
 * job's `lockJob`, FOR UPDATE) so a concurrent delete waits and then removes these rows too.
 */
export async function appendResultFiles(
  tx: CopyTransaction,
  files: { matches: string; exceptions: string; discrepancies: string },
): Promise<void> {
  await appendMatchesFile(tx, files.matches);
  await appendUnmatchedFiles(tx, files);
}

/** The matches part of {@link appendResultFiles}: same transaction and locking rules. */
export async function appendMatchesFile(tx: CopyTransaction, file: string): Promise<void> {
  await copyFromCsvFile(tx, 'recon_matches', MATCH_CSV_COLUMNS, file);
}

/** The exceptions and discrepancies part of {@link appendResultFiles}: same transaction and locking rules. */
export async function appendUnmatchedFiles(
  tx: CopyTransaction,
  files: { exceptions: string; discrepancies: string },
): Promise<void> {
  await copyFromCsvFile(tx, 'recon_exceptions', EXCEPTION_CSV_COLUMNS, files.exceptions);
  await copyFromCsvFile(tx, 'recon_discrepancies', DISCREPANCY_CSV_COLUMNS, files.discrepancies);
}
