import { sql } from 'kysely';
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

const col = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((row) => row[key]);

/** Removes every result of the job: the first statement of the transaction that writes an attempt's results. */
export async function clearResults(db: DbOrTx, jobId: string): Promise<void> {
  await db.deleteFrom('recon_comments').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_discrepancies').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_exceptions').where('job_id', '=', jobId).execute();
  await db.deleteFrom('recon_matches').where('job_id', '=', jobId).execute();
}

/** Row arrays travel as Postgres array literals (`{1,2}`), one text parameter per match. */
export async function insertMatches(db: DbOrTx, jobId: string, rows: readonly MatchInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO recon_matches (job_id, match_id, pass_index, pass_name, kind, score, tier, status, left_rows, right_rows,
                               left_amount, right_amount, explanation)
    SELECT ${jobId}::uuid, match_id, pass_index, pass_name, kind, score, tier, status, left_rows::bigint[], right_rows::bigint[],
           left_amount, right_amount, explanation
    FROM unnest(${col(rows, 'match_id')}::bigint[], ${col(rows, 'pass_index')}::int[], ${col(rows, 'pass_name')}::text[],
                ${col(rows, 'kind')}::text[], ${col(rows, 'score')}::float8[], ${col(rows, 'tier')}::text[], ${col(rows, 'status')}::text[],
                ${col(rows, 'left_rows')}::text[], ${col(rows, 'right_rows')}::text[], ${col(rows, 'left_amount')}::bigint[],
                ${col(rows, 'right_amount')}::bigint[], ${col(rows, 'explanation')}::jsonb[])
         AS t(match_id, pass_index, pass_name, kind, score, tier, status, left_rows, right_rows, left_amount, right_amount, explanation)`.execute(
    db,
  );
}

export async function insertExceptions(
  db: DbOrTx,
  jobId: string,
  rows: readonly ExceptionInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO recon_exceptions (job_id, side, row_no, nearest_row, nearest_score, nearest_pass, reason)
    SELECT ${jobId}::uuid, * FROM unnest(${col(rows, 'side')}::text[], ${col(rows, 'row_no')}::bigint[], ${col(rows, 'nearest_row')}::bigint[],
                                         ${col(rows, 'nearest_score')}::float8[], ${col(rows, 'nearest_pass')}::text[], ${col(rows, 'reason')}::text[])`.execute(
    db,
  );
}

export async function insertDiscrepancies(
  db: DbOrTx,
  jobId: string,
  rows: readonly DiscrepancyInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO recon_discrepancies (job_id, match_id, field, left_value, right_value, delta, unit)
    SELECT ${jobId}::uuid, * FROM unnest(${col(rows, 'match_id')}::bigint[], ${col(rows, 'field')}::text[], ${col(rows, 'left_value')}::text[],
                                         ${col(rows, 'right_value')}::text[], ${col(rows, 'delta')}::bigint[], ${col(rows, 'unit')}::text[])`.execute(
    db,
  );
}
