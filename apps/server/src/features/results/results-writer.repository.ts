import type { Readable } from 'node:stream';
import type { Db, DbOrTx } from '../../db/database';
import { stageResultTable, type ResultRun } from './result-partitions';

/**
 * Column order of a matches CSV file. Row arrays are PostgreSQL array literals (`{1,2}`), amounts
 * integer minor units, `explanation` JSON text.
 */
export const MATCH_CSV_COLUMNS = [
  'job_id',
  'run_no',
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
  'currency',
  'scale',
  'explanation',
] as const;

/** Column order of an exceptions (unmatched records) CSV file. */
export const EXCEPTION_CSV_COLUMNS = [
  'job_id',
  'run_no',
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
  'run_no',
  'match_id',
  'field',
  'left_value',
  'right_value',
  'delta',
  'unit',
] as const;

/** The comments of the job's previous run: the transaction that attaches a new run's results deletes them. */
export async function clearComments(db: DbOrTx, jobId: string): Promise<void> {
  await db.deleteFrom('recon_comments').where('job_id', '=', jobId).execute();
}

/**
 * Stages the run's exceptions and discrepancies (CSV files, columns as above), each on its own connection.
 * After {@link stageResultRun}; indexed by `ResultIndexing`, attached by `attachResultRun`.
 */
export async function stageUnmatchedFiles(
  db: Db,
  run: ResultRun,
  files: { exceptions: string; discrepancies: string },
): Promise<void> {
  await Promise.all([
    stageResultTable(db, 'recon_exceptions', EXCEPTION_CSV_COLUMNS, run, files.exceptions),
    stageResultTable(db, 'recon_discrepancies', DISCREPANCY_CSV_COLUMNS, run, files.discrepancies),
  ]);
}

/**
 * Stages the run's matches: CSV (a file's path, or a stream of its bytes that may still be being written),
 * columns as above, in match id order (the primary key's).
 */
export async function stageMatches(db: Db, run: ResultRun, csv: string | Readable): Promise<void> {
  await stageResultTable(db, 'recon_matches', MATCH_CSV_COLUMNS, run, csv);
}
