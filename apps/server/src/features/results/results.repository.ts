import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';
import { afterKeyset, containsPattern, type KeysetAfter, type SortSpec } from './keyset';
import type { JobSides } from './matches.repository';

export type { KeysetAfter } from './keyset';

export interface ExceptionFilter {
  status?: string | undefined;
  q?: string | undefined;
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
}

export type UnmatchedSort = 'row' | 'amount_desc' | 'amount_asc' | 'date_asc' | 'date_desc';

function exceptionSortSpec(sort: UnmatchedSort): SortSpec | undefined {
  switch (sort) {
    case 'row':
      return undefined;
    case 'amount_desc':
    case 'amount_asc':
      // By size: the largest exposures first, whichever direction the money went. The keys are the record's,
      // stored on the exception and indexed as written here (migration 0106). Largest first is smallest first
      // reversed, ties included (by row descending): the one index read backwards, with nothing to re-sort
      // (re-sorting each run of equal amounts by ascending row took 1.7 s a page at 180k exceptions).
      return sort === 'amount_asc'
        ? { key: sql`abs(e.amount_minor)`, direction: 'asc', type: 'int8' }
        : { key: sql`abs(e.amount_minor)`, direction: 'desc', tie: 'desc', type: 'int8' };
    case 'date_asc':
      return { key: sql`coalesce(e.booking_date, 'infinity'::date)`, direction: 'asc', type: 'date' };
    case 'date_desc':
      return { key: sql`coalesce(e.booking_date, '-infinity'::date)`, direction: 'desc', type: 'date' };
  }
}

/** Unmatched records of one side with their canonical record, keyset on (sort key, row number). */
export async function exceptionsKeysetPage(
  db: DbOrTx,
  jobId: string,
  dataSourceId: string,
  side: 'left' | 'right',
  filter: ExceptionFilter,
  sort: UnmatchedSort,
  after: KeysetAfter | undefined,
  limit: number,
) {
  const text = filter.q === undefined ? null : containsPattern(filter.q);
  const spec = exceptionSortSpec(sort);
  const afterCondition =
    after === undefined
      ? sql`TRUE`
      : spec === undefined
        ? sql`e.row_no > ${after.id}::bigint`
        : afterKeyset(spec, sql`e.row_no`, after);
  const columns = sql`e.row_no::text, ${spec === undefined ? sql`NULL` : spec.key}::text AS sort_key,
    e.nearest_row::text, e.nearest_score, e.nearest_pass, e.reason, e.status, e.assignee_id, e.write_off_code,
    e.version, e.updated_at, e.first_seen_at`;
  const from = sql`FROM recon_exceptions e
    JOIN records r ON r.data_source_id = ${dataSourceId}::uuid AND r.row_no = e.row_no
    WHERE e.job_id = ${jobId}::uuid AND e.side = ${side}
      -- Records a reviewer put into a manual match are no longer unmatched unless asked for explicitly.
      AND (CASE WHEN ${filter.status ?? null}::text IS NULL THEN e.status <> 'matched' ELSE e.status = ${filter.status ?? null} END)
      AND (${text}::text IS NULL OR r.reference ILIKE ${text} OR r.description ILIKE ${text} OR r.counterparty ILIKE ${text}
           OR r.external_id ILIKE ${text})
      AND (${filter.dateFrom ?? null}::date IS NULL OR e.booking_date >= ${filter.dateFrom ?? null}::date)
      AND (${filter.dateTo ?? null}::date IS NULL OR e.booking_date <= ${filter.dateTo ?? null}::date)`;
  const order =
    spec === undefined
      ? sql`e.row_no`
      : sql`${spec.key} ${sql.raw(spec.direction)}, e.row_no ${sql.raw(spec.tie ?? 'asc')}`;
  const statement = sql`SELECT ${columns} ${from} AND ${afterCondition} ORDER BY ${order} LIMIT ${limit}`;
  const result = await sql<{
    row_no: string;
    sort_key: string | null;
    nearest_row: string | null;
    nearest_score: number | null;
    nearest_pass: string | null;
    reason: string;
    status: string;
    assignee_id: string | null;
    write_off_code: string | null;
    version: number;
    updated_at: Date;
    first_seen_at: Date;
  }>`${statement}`.execute(db);
  return result.rows;
}

/** {@link exceptionsKeysetPage} in row order after `afterRow`, the form the export stream pages with. */
export function exceptionsPage(
  db: DbOrTx,
  jobId: string,
  dataSourceId: string,
  side: 'left' | 'right',
  filter: ExceptionFilter,
  afterRow: number,
  limit: number,
) {
  const after = { key: null, id: String(afterRow) };
  return exceptionsKeysetPage(db, jobId, dataSourceId, side, filter, 'row', after, limit);
}

/**
 * Matches whose status is not the one the run wrote (auto → confirmed, suggested → suggested), manual ones
 * included: what review changed since the run. The same expression is the predicate of the partial index
 * of migration 0105, which holds no entry when a run's results are written (so it costs their COPY
 * nothing) and only the reviewed matches afterwards. Spelled with IN and OR rather than a CASE so that the
 * planner's (tier, status) statistics estimate it as the few rows it is and take the index.
 */
const isReviewed = (m: string) => {
  const status = sql.ref(`${m}.status`);
  const tier = sql.ref(`${m}.tier`);
  return sql<boolean>`(${status} IN ('rejected', 'unmatched') OR ${tier} = 'manual'
    OR (${tier} = 'auto' AND ${status} = 'suggested') OR (${tier} = 'suggested' AND ${status} = 'confirmed'))`;
};

/**
 * A discrepancy belongs to a match; once the match is rejected or unmatched it no longer stands. Asked as
 * "no dissolved match" so the planner probes the small reviewed-match index instead of walking every
 * match of the job (a page of one field at 1M matches: 270 ms → under 1 ms).
 */
const isLiveMatch = sql<boolean>`NOT EXISTS (
  SELECT 1 FROM recon_matches m
  WHERE m.job_id = recon_discrepancies.job_id AND m.match_id = recon_discrepancies.match_id
    AND ${isReviewed('m')} AND m.status NOT IN ('confirmed', 'suggested'))`;

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

/** Per tier and status, how many matches review changed since the run. */
export async function reviewedTallies(db: DbOrTx, jobId: string) {
  const result = await sql<{ tier: string; status: string; n: string }>`
    SELECT m.tier, m.status, count(*)::text AS n
    FROM recon_matches m WHERE m.job_id = ${jobId}::uuid AND ${isReviewed('m')}
    GROUP BY m.tier, m.status`.execute(db);
  return result.rows;
}

/** Counts and amounts of records of one side in one currency and scale. */
export interface RecordTally {
  side: 'left' | 'right';
  currency: string | null;
  scale: number;
  count: string;
  amount: string;
}

/**
 * The records of the matches review changed since the run, per side, tier, status, currency and scale:
 * the few matches of the reviewed-match index, their rows joined to their records by primary key.
 */
export async function reviewedRecordTallies(db: DbOrTx, jobId: string, sources: JobSides) {
  const result = await sql<RecordTally & { tier: string; status: string }>`
    WITH reviewed AS (
      SELECT m.tier, m.status, m.left_rows, m.right_rows
      FROM recon_matches m WHERE m.job_id = ${jobId}::uuid AND ${isReviewed('m')})
    SELECT side, tier, status, currency, scale, count(*)::text AS count, sum(amount_minor)::text AS amount
    FROM (
      SELECT 'left' AS side, v.tier, v.status, r.currency, r.scale, r.amount_minor
      FROM reviewed v CROSS JOIN LATERAL unnest(v.left_rows) AS u(row_no)
        JOIN records r ON r.data_source_id = ${sources.left}::uuid AND r.row_no = u.row_no
      UNION ALL
      SELECT 'right', v.tier, v.status, r.currency, r.scale, r.amount_minor
      FROM reviewed v CROSS JOIN LATERAL unnest(v.right_rows) AS u(row_no)
        JOIN records r ON r.data_source_id = ${sources.right}::uuid AND r.row_no = u.row_no) t
    GROUP BY side, tier, status, currency, scale`.execute(db);
  return result.rows;
}

/**
 * Current counts and amounts of one side per currency and scale after review: all of its records, and those
 * in a live (confirmed or suggested) match. Counts every record and unnests every live match: the fallback
 * for jobs whose run stored no amounts per currency.
 */
export async function sideTallies(db: DbOrTx, jobId: string, side: 'left' | 'right', dataSourceId: string) {
  const rows = side === 'left' ? sql.ref('left_rows') : sql.ref('right_rows');
  // Matches are exclusive (a record is in at most one confirmed or suggested match; manual matches take
  // only unmatched records), so the left join neither drops nor repeats a record.
  const result = await sql<{
    currency: string | null;
    scale: number;
    total_count: string;
    total_amount: string;
    matched_count: string;
    matched_amount: string;
  }>`
    SELECT r.currency, r.scale, count(*)::text AS total_count, sum(r.amount_minor)::text AS total_amount,
           count(l.row_no)::text AS matched_count,
           coalesce(sum(r.amount_minor) FILTER (WHERE l.row_no IS NOT NULL), 0)::text AS matched_amount
    FROM records r
      LEFT JOIN (SELECT unnest(${rows}) AS row_no FROM recon_matches
                 WHERE job_id = ${jobId}::uuid AND status IN ('confirmed', 'suggested')) l ON l.row_no = r.row_no
    WHERE r.data_source_id = ${dataSourceId}::uuid
    GROUP BY r.currency, r.scale`.execute(db);
  return result.rows;
}
