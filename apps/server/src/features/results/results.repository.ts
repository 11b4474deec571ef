import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';

export interface MatchFilter {
  tier?: string | undefined;
  status?: string | undefined;
  pass?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  minAmountDifference?: number | undefined;
}

export type MatchSort = 'match_id' | 'score_desc' | 'score_asc';

/** A page of matches by keyset: `after` is the last (score, match_id) or match_id seen, per `sort`. */
export function matchesPage(
  db: DbOrTx,
  jobId: string,
  filter: MatchFilter,
  sort: MatchSort,
  after: { matchId: string; score: number } | undefined,
  limit: number,
) {
  let q = db.selectFrom('recon_matches').selectAll().where('job_id', '=', jobId);
  if (filter.tier !== undefined) q = q.where('tier', '=', filter.tier as 'auto');
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as 'confirmed');
  if (filter.pass !== undefined) q = q.where('pass_name', '=', filter.pass);
  if (filter.minScore !== undefined) q = q.where('score', '>=', filter.minScore);
  if (filter.maxScore !== undefined) q = q.where('score', '<=', filter.maxScore);
  if (filter.minAmountDifference !== undefined) {
    q = q.where(sql<boolean>`abs(right_amount - left_amount) >= ${filter.minAmountDifference}`);
  }
  if (sort === 'match_id') {
    if (after !== undefined) q = q.where('match_id', '>', after.matchId);
    return q.orderBy('match_id').limit(limit).execute();
  }
  if (sort === 'score_desc') {
    if (after !== undefined)
      q = q.where(sql<boolean>`(score, -match_id) < (${after.score}::float8, -${after.matchId}::bigint)`);
    return q.orderBy('score', 'desc').orderBy('match_id').limit(limit).execute();
  }
  if (after !== undefined)
    q = q.where(sql<boolean>`(score, match_id) > (${after.score}::float8, ${after.matchId}::bigint)`);
  return q.orderBy('score').orderBy('match_id').limit(limit).execute();
}

export function findMatch(db: DbOrTx, jobId: string, matchId: number) {
  return db
    .selectFrom('recon_matches')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('match_id', '=', String(matchId))
    .executeTakeFirst();
}

export interface ExceptionFilter {
  status?: string | undefined;
  q?: string | undefined;
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
}

/** Unmatched records of one side with their canonical record, keyset by row number. */
export async function exceptionsPage(
  db: DbOrTx,
  jobId: string,
  dataSourceId: string,
  side: 'left' | 'right',
  filter: ExceptionFilter,
  afterRow: number,
  limit: number,
) {
  const text = filter.q === undefined ? null : `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const result = await sql<{
    row_no: string;
    nearest_row: string | null;
    nearest_score: number | null;
    nearest_pass: string | null;
    reason: string;
    status: string;
    assignee_id: string | null;
    write_off_code: string | null;
    version: number;
    updated_at: Date;
  }>`
    SELECT e.row_no::text, e.nearest_row::text, e.nearest_score, e.nearest_pass, e.reason, e.status, e.assignee_id,
           e.write_off_code, e.version, e.updated_at
    FROM recon_exceptions e
    JOIN records r ON r.data_source_id = ${dataSourceId}::uuid AND r.row_no = e.row_no
    WHERE e.job_id = ${jobId}::uuid AND e.side = ${side} AND e.row_no > ${afterRow}
      -- Records a reviewer put into a manual match are no longer unmatched unless asked for explicitly.
      AND (CASE WHEN ${filter.status ?? null}::text IS NULL THEN e.status <> 'matched' ELSE e.status = ${filter.status ?? null} END)
      AND (${text}::text IS NULL OR r.reference ILIKE ${text} OR r.description ILIKE ${text} OR r.counterparty ILIKE ${text}
           OR r.external_id ILIKE ${text})
      AND (${filter.dateFrom ?? null}::date IS NULL OR r.booking_date >= ${filter.dateFrom ?? null}::date)
      AND (${filter.dateTo ?? null}::date IS NULL OR r.booking_date <= ${filter.dateTo ?? null}::date)
    ORDER BY e.row_no LIMIT ${limit}`.execute(db);
  return result.rows;
}

/** A discrepancy belongs to a match; once the match is rejected or unmatched it no longer stands. */
const isLiveMatch = sql<boolean>`EXISTS (
  SELECT 1 FROM recon_matches m
  WHERE m.job_id = recon_discrepancies.job_id AND m.match_id = recon_discrepancies.match_id
    AND m.status IN ('confirmed', 'suggested'))`;

export function discrepanciesPage(
  db: DbOrTx,
  jobId: string,
  field: string | undefined,
  after: { matchId: string; field: string } | undefined,
  limit: number,
) {
  let q = db.selectFrom('recon_discrepancies').selectAll().where('job_id', '=', jobId).where(isLiveMatch);
  if (field !== undefined) q = q.where('field', '=', field);
  if (after !== undefined)
    q = q.where(sql<boolean>`(match_id, field) > (${after.matchId}::bigint, ${after.field}::text)`);
  return q.orderBy('match_id').orderBy('field').limit(limit).execute();
}

export async function countsBy(
  db: DbOrTx,
  jobId: string,
  column: 'tier' | 'status',
): Promise<Record<string, { count: number }>> {
  const rows = await db
    .selectFrom('recon_matches')
    .select([column, (eb) => eb.fn.countAll<string>().as('n')])
    .where('job_id', '=', jobId)
    .groupBy(column)
    .execute();
  return Object.fromEntries(rows.map((row) => [row[column], { count: Number(row.n) }]));
}

export async function countDiscrepancies(db: DbOrTx, jobId: string): Promise<number> {
  const row = await db
    .selectFrom('recon_discrepancies')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_id', '=', jobId)
    .where(isLiveMatch)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Current counts and amounts per side after review: records in a live (non-rejected) match vs exceptions. */
export async function sideTallies(db: DbOrTx, jobId: string, side: 'left' | 'right', dataSourceId: string) {
  const rowsColumn = side === 'left' ? sql.ref('left_rows') : sql.ref('right_rows');
  const result = await sql<{
    total_count: string;
    total_amount: string;
    matched_count: string;
    matched_amount: string;
  }>`
    WITH matched AS (
      SELECT DISTINCT unnest(${rowsColumn}) AS row_no FROM recon_matches
      WHERE job_id = ${jobId}::uuid AND status IN ('confirmed', 'suggested'))
    SELECT count(*)::text AS total_count, coalesce(sum(r.amount_minor), 0)::text AS total_amount,
           count(m.row_no)::text AS matched_count, coalesce(sum(r.amount_minor) FILTER (WHERE m.row_no IS NOT NULL), 0)::text AS matched_amount
    FROM records r LEFT JOIN matched m ON m.row_no = r.row_no
    WHERE r.data_source_id = ${dataSourceId}::uuid`.execute(db);
  return result.rows[0];
}
