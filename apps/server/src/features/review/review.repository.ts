import { sql, type Updateable } from 'kysely';
import type { DbOrTx } from '../../db/database';
import type { ReconExceptionsTable, ReconMatchesTable } from '../../db/schema';

type Side = 'left' | 'right';

/** Updates a match only at the version the caller read; undefined when stale or missing. */
export function updateMatchAtVersion(
  db: DbOrTx,
  jobId: string,
  matchId: number,
  version: number,
  changes: Updateable<ReconMatchesTable>,
) {
  return db
    .updateTable('recon_matches')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('job_id', '=', jobId)
    .where('match_id', '=', String(matchId))
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export function findMatchRow(db: DbOrTx, jobId: string, matchId: number) {
  return db
    .selectFrom('recon_matches')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('match_id', '=', String(matchId))
    .executeTakeFirst();
}

export function updateExceptionAtVersion(
  db: DbOrTx,
  jobId: string,
  side: Side,
  row: number,
  version: number,
  changes: Updateable<ReconExceptionsTable>,
) {
  return db
    .updateTable('recon_exceptions')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('job_id', '=', jobId)
    .where('side', '=', side)
    .where('row_no', '=', String(row))
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export function findException(db: DbOrTx, jobId: string, side: Side, row: number) {
  return db
    .selectFrom('recon_exceptions')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('side', '=', side)
    .where('row_no', '=', String(row))
    .executeTakeFirst();
}

/**
 * Records of a dissolved match become open exceptions again (or are reopened if they were ones before).
 * The caller holds a lock on the job row (`lockBulkParent`): recon_exceptions has no foreign key.
 */
export async function reopenRows(
  db: DbOrTx,
  jobId: string,
  side: Side,
  rows: readonly string[],
  reason: string,
): Promise<void> {
  if (rows.length === 0) return;
  // The record's amount and booking date are the exception's sort keys (migration 0106): taken from the
  // job's data source of that side, as the run's export takes them. Review happens on a completed job, whose
  // results are those of its current run (the partition of job_id and run_no, migration 0108).
  await sql`
    INSERT INTO recon_exceptions (job_id, run_no, side, row_no, reason, amount_minor, booking_date)
    SELECT j.id, j.run_no, ${side}, r.row_no, ${reason}, r.amount_minor, r.booking_date
    FROM recon_jobs j
    JOIN records r ON r.data_source_id = CASE ${side}::text WHEN 'left' THEN j.source_data_source_id
                                                         ELSE j.target_data_source_id END
      AND r.row_no = ANY(${rows}::bigint[])
    WHERE j.id = ${jobId}::uuid
    ON CONFLICT (job_id, side, row_no, run_no) DO UPDATE
      SET status = 'open', reason = EXCLUDED.reason, version = recon_exceptions.version + 1, updated_at = now()`.execute(
    db,
  );
}

/** Locks open exceptions of a side for a manual match; returns the rows found open. */
export async function lockOpenExceptions(db: DbOrTx, jobId: string, side: Side, rows: readonly number[]) {
  return db
    .selectFrom('recon_exceptions')
    .select(['row_no'])
    .where('job_id', '=', jobId)
    .where('side', '=', side)
    .where('row_no', 'in', rows.map(String))
    .where('status', 'in', ['open', 'investigating'])
    .forUpdate()
    .execute();
}

export async function markMatched(
  db: DbOrTx,
  jobId: string,
  side: Side,
  rows: readonly number[],
): Promise<void> {
  await db
    .updateTable('recon_exceptions')
    .set({ status: 'matched', version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('job_id', '=', jobId)
    .where('side', '=', side)
    .where('row_no', 'in', rows.map(String))
    .execute();
}

export async function nextMatchId(db: DbOrTx, jobId: string): Promise<number> {
  const row = await db
    .selectFrom('recon_matches')
    .select((eb) => eb.fn.max('match_id').as('max'))
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function sumAmounts(db: DbOrTx, dataSourceId: string, rows: readonly number[]): Promise<string> {
  const result = await sql<{ total: string }>`
    SELECT coalesce(sum(amount_minor), 0)::text AS total FROM records
    WHERE data_source_id = ${dataSourceId}::uuid AND row_no = ANY(${rows.map(String)}::bigint[])`.execute(db);
  return result.rows[0]?.total ?? '0';
}

/**
 * The currency and scale the records share, each null when they differ or some lack one: the rule a run's
 * matches follow for their left records (match-writer.ts), so amounts are only summed within a currency.
 */
export async function sharedCurrency(
  db: DbOrTx,
  dataSourceId: string,
  rows: readonly number[],
): Promise<{ currency: string | null; scale: number | null }> {
  const result = await sql<{ currency: string | null; scale: number | null }>`
    SELECT
      CASE WHEN count(DISTINCT currency) = 1 AND count(currency) = count(*) THEN min(currency) END AS currency,
      CASE WHEN count(DISTINCT scale) = 1 AND count(scale) = count(*) THEN min(scale) END AS scale
    FROM records
    WHERE data_source_id = ${dataSourceId}::uuid AND row_no = ANY(${rows.map(String)}::bigint[])`.execute(db);
  return { currency: result.rows[0]?.currency ?? null, scale: result.rows[0]?.scale ?? null };
}

/**
 * The caller holds a lock on the job row (`lockBulkParent` or FOR UPDATE): recon_matches has no foreign key.
 * `run_no` is the completed job's current run, whose partition holds its results (migration 0108).
 */
export function insertManualMatch(
  db: DbOrTx,
  values: {
    job_id: string;
    run_no: number;
    match_id: number;
    left_rows: string;
    right_rows: string;
    left_amount: string;
    right_amount: string;
    /** Of the left records, when they share one (see {@link sharedCurrency}). */
    currency: string | null;
    scale: number | null;
    reason: string;
    updated_by: string;
  },
) {
  return db
    .insertInto('recon_matches')
    .values({
      ...values,
      match_id: String(values.match_id),
      pass_index: -1,
      pass_name: 'manual',
      kind: 'manual',
      score: 1,
      tier: 'manual',
      status: 'confirmed',
      explanation: JSON.stringify({ manual: true, reason: values.reason }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertComment(
  db: DbOrTx,
  values: {
    job_id: string;
    target_type: 'match' | 'exception';
    target_key: string;
    body: string;
    author_id: string;
  },
) {
  return db.insertInto('recon_comments').values(values).returningAll().executeTakeFirstOrThrow();
}

export function listComments(
  db: DbOrTx,
  jobId: string,
  targetType: 'match' | 'exception',
  targetKey: string,
) {
  return db
    .selectFrom('recon_comments')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('target_type', '=', targetType)
    .where('target_key', '=', targetKey)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
