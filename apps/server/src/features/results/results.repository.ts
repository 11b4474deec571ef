import { sql, type RawBuilder } from 'kysely';
import type { MatchSort } from '@recon/shared';
import type { DbOrTx } from '../../db/database';

export interface MatchFilter {
  tier?: string | undefined;
  status?: string | undefined;
  pass?: string | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  minAmountDifference?: number | undefined;
  q?: string | undefined;
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
}

/** Where the next keyset page starts: the last row's sort key (as Postgres text; null when sorting by id) and id. */
export interface KeysetAfter {
  key: string | null;
  id: string;
}

/** `%text%` for ILIKE with the user's `%`, `_` and `\` taken literally (backslash is Postgres' LIKE escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type Direction = 'asc' | 'desc';
interface SortSpec {
  key: RawBuilder<unknown>;
  direction: Direction;
  /**
   * Order of the id among rows tied on the key. Score and amount-difference sorts break ties the other way
   * when ascending (each ascending order is the exact reverse of its descending one), so one index per key
   * serves both directions, read backwards for ascending (migration 0105). Absent: id ascending.
   */
  tie?: Direction;
  /** The Postgres type the cursor's text key is cast back to (a fixed name, never user input). */
  type: 'float8' | 'int8' | 'date';
}

/** `>` when going up, `<` when going down: "after" in that direction. */
const afterOp = (direction: Direction) => sql.raw(direction === 'asc' ? '>' : '<');

/**
 * `(key, id)` strictly after the cursor in `ORDER BY key <direction>, id <tie>`. The leading `key >= k` (or
 * `<=`) bound is implied by the rest but lets the planner start an index scan at the cursor; the OR alone
 * cannot (measured on 500k matches: a middle page 393 ms → 0.9 ms, migration 0103).
 */
function afterKeyset(spec: SortSpec, id: RawBuilder<unknown>, after: KeysetAfter): RawBuilder<boolean> {
  const op = afterOp(spec.direction);
  const bound = sql.raw(spec.direction === 'asc' ? '>=' : '<=');
  const type = sql.raw(spec.type);
  return sql<boolean>`(${spec.key} ${bound} ${after.key}::${type} AND (${spec.key} ${op} ${after.key}::${type}
    OR (${spec.key} = ${after.key}::${type} AND ${id} ${afterOp(spec.tie ?? 'asc')} ${after.id}::bigint)))`;
}

/** The data sources whose records a job's matches point into. */
export interface JobSides {
  left: string;
  right: string;
}

/**
 * The data source ids as SQL: literal parameters when known (the planner then uses their statistics), else
 * uncorrelated subqueries on the job, evaluated once per query.
 */
function sourcesOf(jobId: string, sides: JobSides | undefined) {
  if (sides !== undefined) return { left: sql`${sides.left}::uuid`, right: sql`${sides.right}::uuid` };
  return {
    left: sql`(SELECT source_data_source_id FROM recon_jobs WHERE id = ${jobId}::uuid)`,
    right: sql`(SELECT target_data_source_id FROM recon_jobs WHERE id = ${jobId}::uuid)`,
  };
}

function matchSortSpec(sort: MatchSort): SortSpec | undefined {
  switch (sort) {
    case 'match_id':
      return undefined;
    case 'score_desc':
    case 'score_asc':
      return sort === 'score_asc'
        ? { key: sql`m.score`, direction: 'asc', tie: 'desc', type: 'float8' }
        : { key: sql`m.score`, direction: 'desc', tie: 'asc', type: 'float8' };
    case 'amount_difference_desc':
    case 'amount_difference_asc': {
      const key = sql`abs(m.right_amount - m.left_amount)`;
      return sort === 'amount_difference_asc'
        ? { key, direction: 'asc', tie: 'desc', type: 'int8' }
        : { key, direction: 'desc', tie: 'asc', type: 'int8' };
    }
    case 'date_desc':
    case 'date_asc': {
      // A match's date is its first left record's booking date (`d`, joined below). Missing dates sort
      // last either way (± infinity), which keeps the keyset comparison free of NULLs.
      const direction = sort === 'date_asc' ? 'asc' : 'desc';
      const missing = direction === 'asc' ? 'infinity' : '-infinity';
      return { key: sql`coalesce(d.booking_date, ${missing}::date)`, direction, type: 'date' };
    }
  }
}

/**
 * Matches with a record on either side whose reference, counterparty, description or external id contains
 * `q` (or whose id is `q`). Shaped as "matching records first, then the matches holding them" so PostgreSQL
 * can hash-join: measured on 1M matches about 2× faster than a per-match EXISTS (still seconds without a
 * trigram index on the record columns).
 */
function matchesText(jobId: string, sources: ReturnType<typeof sourcesOf>, q: string): RawBuilder<boolean> {
  const pattern = containsPattern(q);
  const holding = (column: 'left_rows' | 'right_rows', source: RawBuilder<unknown>) => sql`
    SELECT h.match_id FROM recon_matches h CROSS JOIN LATERAL unnest(h.${sql.ref(column)}) AS u(row_no)
    WHERE h.job_id = ${jobId}::uuid AND u.row_no IN (
      SELECT r.row_no FROM records r WHERE r.data_source_id = ${source}
        AND (r.reference ILIKE ${pattern} OR r.counterparty ILIKE ${pattern} OR r.description ILIKE ${pattern}
             OR r.external_id ILIKE ${pattern}))`;
  const byId = /^\d{1,18}$/.test(q) ? sql`m.match_id = ${q}::bigint OR ` : sql``;
  return sql<boolean>`(${byId}m.match_id IN (${holding('left_rows', sources.left)}
    UNION ALL ${holding('right_rows', sources.right)}))`;
}

/** Tiers and statuses a match can have: the columns after the job in the sort indexes of migration 0105. */
const TIERS = ['auto', 'suggested', 'manual'] as const;
const STATUSES = ['confirmed', 'suggested', 'rejected', 'unmatched'] as const;

/**
 * The cursor's remainder of `ORDER BY key <dir>, id <tie>` as two ranges an index can start at: the rows
 * tied with the cursor's key and an id after its id, then the rows beyond its key. A single OR predicate gives the
 * planner no start for the tie part, so a cursor inside a long run of ties (600k matches at score 1) read
 * the whole run.
 */
function keysetParts(spec: SortSpec, after: KeysetAfter | undefined): RawBuilder<boolean>[] {
  if (after === undefined) return [sql<boolean>`TRUE`];
  const type = sql.raw(spec.type);
  return [
    sql<boolean>`(${spec.key} = ${after.key}::${type} AND m.match_id ${afterOp(spec.tie ?? 'asc')} ${after.id}::bigint)`,
    sql<boolean>`${spec.key} ${afterOp(spec.direction)} ${after.key}::${type}`,
  ];
}

/**
 * A page of matches by keyset on (sort key, match_id): `after` comes from the previous page's last row, so
 * deep pages cost the same as the first and rows changed meanwhile never shift the window.
 * Each row carries `sort_key`, the text of its sort key, for the next cursor. Pass `sides` when known.
 */
export async function matchesKeysetPage(
  db: DbOrTx,
  jobId: string,
  filter: MatchFilter,
  sort: MatchSort,
  after: KeysetAfter | undefined,
  limit: number,
  sides?: JobSides,
) {
  const sources = sourcesOf(jobId, sides);
  const spec = matchSortSpec(sort);
  const hasDate =
    sort === 'date_asc' ||
    sort === 'date_desc' ||
    filter.dateFrom !== undefined ||
    filter.dateTo !== undefined;
  // One join for the match date (measured 4× faster than a per-row subquery when sorting 1M matches).
  let q = db
    .selectFrom('recon_matches as m')
    .$if(hasDate, (query) =>
      query.leftJoin('records as d', (join) =>
        join.on(sql<boolean>`d.data_source_id = ${sources.left} AND d.row_no = m.left_rows[1]`),
      ),
    )
    .selectAll('m')
    .select(sql<string | null>`${spec === undefined ? sql`NULL` : spec.key}::text`.as('sort_key'))
    .where('m.job_id', '=', jobId);
  if (filter.pass !== undefined) q = q.where('m.pass_name', '=', filter.pass);
  if (filter.minScore !== undefined) q = q.where('m.score', '>=', filter.minScore);
  if (filter.maxScore !== undefined) q = q.where('m.score', '<=', filter.maxScore);
  if (filter.minAmountDifference !== undefined) {
    q = q.where(sql<boolean>`abs(m.right_amount - m.left_amount) >= ${filter.minAmountDifference}`);
    // Implied by a positive minimum, but spelled out as the predicate of 0105's partial indexes (the planner
    // cannot prove it from a parameter): a page of matches with a difference then reads only those, instead
    // of walking past every exact match first (first page 226-288 ms at 1M before).
    if (filter.minAmountDifference > 0) q = q.where(sql<boolean>`m.right_amount <> m.left_amount`);
  }
  if (filter.q !== undefined) q = q.where(matchesText(jobId, sources, filter.q));
  // A match without a date is outside every date range.
  if (filter.dateFrom !== undefined) q = q.where(sql<boolean>`d.booking_date >= ${filter.dateFrom}::date`);
  if (filter.dateTo !== undefined) q = q.where(sql<boolean>`d.booking_date <= ${filter.dateTo}::date`);
  if (spec === undefined || hasDate) {
    if (filter.tier !== undefined) q = q.where('m.tier', '=', filter.tier as 'auto');
    if (filter.status !== undefined) q = q.where('m.status', '=', filter.status as 'confirmed');
    if (spec === undefined) {
      if (after !== undefined) q = q.where('m.match_id', '>', after.id);
      return q.orderBy('m.match_id').limit(limit).execute();
    }
    if (after !== undefined) q = q.where(afterKeyset(spec, sql`m.match_id`, after));
    return q
      .orderBy(spec.key, spec.direction)
      .orderBy('m.match_id', spec.tie ?? 'asc')
      .limit(limit)
      .execute();
  }
  // Score and amount difference: one branch per (tier, status) and keyset range, each the first `limit`
  // entries of a (job, tier, status, key, match_id) index, merged. A branch with no rows costs one index
  // probe; a tier or status filter keeps only its branches, so a reviewer's usual view (suggested, by
  // score) no longer walks past every auto-confirmed match first.
  const ordered = q.select(sql<number>`${spec.key}`.as('sort_value'));
  const tiers = filter.tier === undefined ? TIERS : [filter.tier];
  const statuses = filter.status === undefined ? STATUSES : [filter.status];
  const branches = tiers.flatMap((tier) =>
    statuses.flatMap((status) =>
      keysetParts(spec, after).map(
        (part) =>
          sql`(${ordered
            .where('m.tier', '=', tier as 'auto')
            .where('m.status', '=', status as 'confirmed')
            .where(part)
            .orderBy(spec.key, spec.direction)
            .orderBy('m.match_id', spec.tie ?? 'asc')
            .limit(limit)})`,
      ),
    ),
  );
  type Row = Awaited<ReturnType<typeof ordered.execute>>[number];
  const result = await sql<Row>`SELECT * FROM (${sql.join(branches, sql` UNION ALL `)}) AS page
    ORDER BY page.sort_value ${sql.raw(spec.direction)}, page.match_id ${sql.raw(spec.tie ?? 'asc')} LIMIT ${limit}`.execute(
    db,
  );
  return result.rows;
}

/** {@link matchesKeysetPage} in the original (match id or score) form the export stream pages with. */
export function matchesPage(
  db: DbOrTx,
  jobId: string,
  filter: MatchFilter,
  sort: 'match_id' | 'score_desc' | 'score_asc',
  after: { matchId: string; score: number } | undefined,
  limit: number,
) {
  const keyset =
    after === undefined
      ? undefined
      : { key: sort === 'match_id' ? null : String(after.score), id: after.matchId };
  return matchesKeysetPage(db, jobId, filter, sort, keyset, limit);
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

/** Per tier and status, the matches review changed since the run, with their records' counts and amounts. */
export async function reviewedTallies(db: DbOrTx, jobId: string) {
  const result = await sql<{
    tier: string;
    status: string;
    n: string;
    left_count: string;
    left_amount: string;
    right_count: string;
    right_amount: string;
  }>`
    SELECT m.tier, m.status, count(*)::text AS n,
           sum(cardinality(m.left_rows))::text AS left_count, sum(m.left_amount)::text AS left_amount,
           sum(cardinality(m.right_rows))::text AS right_count, sum(m.right_amount)::text AS right_amount
    FROM recon_matches m WHERE m.job_id = ${jobId}::uuid AND ${isReviewed('m')}
    GROUP BY m.tier, m.status`.execute(db);
  return result.rows;
}

/** Current counts and amounts per side after review: records in a live (non-rejected) match vs exceptions. */
export async function sideTallies(db: DbOrTx, jobId: string, side: 'left' | 'right', dataSourceId: string) {
  const rows = side === 'left' ? sql.ref('left_rows') : sql.ref('right_rows');
  const amount = side === 'left' ? sql.ref('left_amount') : sql.ref('right_amount');
  // Matches are exclusive (a record is in at most one confirmed or suggested match; manual matches take
  // only unmatched records), so the matched tally adds up the matches' own counts and amounts instead of
  // unnesting their rows and joining every record (1M × 1M: seconds instead of tens of seconds).
  const result = await sql<{
    total_count: string;
    total_amount: string;
    matched_count: string;
    matched_amount: string;
  }>`
    SELECT t.total_count, t.total_amount, m.matched_count, m.matched_amount
    FROM (SELECT count(*)::text AS total_count, coalesce(sum(amount_minor), 0)::text AS total_amount
          FROM records WHERE data_source_id = ${dataSourceId}::uuid) t,
         (SELECT coalesce(sum(cardinality(${rows})), 0)::text AS matched_count,
                 coalesce(sum(${amount}), 0)::text AS matched_amount
          FROM recon_matches WHERE job_id = ${jobId}::uuid AND status IN ('confirmed', 'suggested')) m`.execute(
    db,
  );
  return result.rows[0];
}
