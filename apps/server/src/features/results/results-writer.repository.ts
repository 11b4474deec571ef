import { copyRows, type CopyTransaction } from '../../db/copy';
import type { DbOrTx } from '../../db/database';

export interface MatchInsert {
  match_id: string;
  pass_index: number;
  pass_name: string;
  kind: string;
  score: number;
  tier: 'auto' | 'suggested';
  status: 'confirmed' | 'suggested';
  left_rows: string;
  right_rows: string;
  left_amount: string;
  right_amount: string;
  explanation: string;
}

export interface ExceptionInsert {
  side: 'left' | 'right';
  row_no: string;
  nearest_row: string | null;
  nearest_score: number | null;
  nearest_pass: string | null;
  reason: string;
}

export interface DiscrepancyInsert {
  match_id: string;
  field: string;
  left_value: string;
  right_value: string;
  delta: string;
  unit: string;
}

/** Removes every result of the job: the first statement of the transaction that writes an attempt's results. */
export async function clearResults(db: DbOrTx, jobId: string): Promise<void> {
  await db.deleteFrom('recon_comments').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_discrepancies').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_exceptions').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_matches').where('job_id', '=', jobId).execute();
}

/** Row arrays travel as Postgres array literals (`{1,2}`); the batch is appended with COPY in the caller's transaction. */
export async function insertMatches(
  tx: CopyTransaction,
  jobId: string,
  rows: readonly MatchInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyRows(
    tx,
    'recon_matches',
    [
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
    ],
    rows.map((r) => [
      jobId,
      r.match_id,
      r.pass_index,
      r.pass_name,
      r.kind,
      r.score,
      r.tier,
      r.status,
      r.left_rows,
      r.right_rows,
      r.left_amount,
      r.right_amount,
      r.explanation,
    ]),
  );
}

export async function insertExceptions(
  tx: CopyTransaction,
  jobId: string,
  rows: readonly ExceptionInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyRows(
    tx,
    'recon_exceptions',
    ['job_id', 'side', 'row_no', 'nearest_row', 'nearest_score', 'nearest_pass', 'reason'],
    rows.map((r) => [jobId, r.side, r.row_no, r.nearest_row, r.nearest_score, r.nearest_pass, r.reason]),
  );
}

export async function insertDiscrepancies(
  tx: CopyTransaction,
  jobId: string,
  rows: readonly DiscrepancyInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyRows(
    tx,
    'recon_discrepancies',
    ['job_id', 'match_id', 'field', 'left_value', 'right_value', 'delta', 'unit'],
    rows.map((r) => [jobId, r.match_id, r.field, r.left_value, r.right_value, r.delta, r.unit]),
  );
}
