import { AppError, type MatchSort, type MatchView, type RecordView } from '@recon/shared';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/database';
import { toRecordView } from '../data-sources/data-source-view';
import { recordsByRows } from '../data-sources/records.repository';
import { loadJobForMember } from '../jobs/jobs.service';
import type { JobRow } from '../jobs/jobs.repository';
import * as matchRepo from './matches.repository';
import * as repo from './results.repository';
import { textOf } from '../data-sources/cell-values';
import { summaryTallies } from './summary-tallies';

type MatchRow = NonNullable<Awaited<ReturnType<typeof matchRepo.findMatch>>>;

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The explanation of a match stored without one (migration 0112): auto-confirmed with no runner-up, not
 * ambiguous, decided by its pass alone. The object the engine's reader gives such a match.
 */
const UNCONTESTED = {
  comparisons: [],
  runnerUp: null,
  margin: null,
  ambiguous: false,
  decidedBy: null,
} as const;

async function recordMap(
  db: DbOrTx,
  dataSourceId: string,
  rows: Iterable<string>,
): Promise<Map<string, RecordView>> {
  const list = await recordsByRows(db, dataSourceId, [...new Set(rows)]);
  return new Map(list.map((row) => [row.row_no, toRecordView(row)]));
}

/** Match rows as views, with both sides' records fetched in one query per side. */
export async function matchViews(db: DbOrTx, job: JobRow, rows: readonly MatchRow[]): Promise<MatchView[]> {
  const left = await recordMap(
    db,
    job.source_data_source_id,
    rows.flatMap((row) => row.left_rows.map(String)),
  );
  const right = await recordMap(
    db,
    job.target_data_source_id,
    rows.flatMap((row) => row.right_rows.map(String)),
  );
  const pick = (map: Map<string, RecordView>, ids: readonly string[]) =>
    ids.map((id) => map.get(id)).filter((r): r is RecordView => r !== undefined);
  return rows.map((row) => ({
    match_id: Number(row.match_id),
    pass_index: row.pass_index,
    pass_name: row.pass_name,
    kind: row.kind,
    score: row.score,
    tier: row.tier,
    status: row.status,
    amount_difference_minor: (BigInt(row.right_amount) - BigInt(row.left_amount)).toString(),
    left: pick(left, row.left_rows),
    right: pick(right, row.right_rows),
    explanation: row.explanation === null ? { ...UNCONTESTED } : asObject(row.explanation),
    reason: row.reason,
    version: row.version,
    updated_at: row.updated_at.toISOString(),
  }));
}

function assertHasResults(job: JobRow): void {
  if (job.status !== 'completed')
    throw new AppError('JOB_STATE_CONFLICT', `The job is ${job.status}; results exist once it has completed`);
}

/** Groups with at least one match, as `{ name: { count } }`. */
const countMap = (counts: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => [key, { count }]),
  );

export async function summary(db: Db, userId: string, jobId: string) {
  const job = await loadJobForMember(db, userId, jobId, 'viewer');
  assertHasResults(job);
  const stats = asObject(job.statistics);
  const passes = Array.isArray(stats.passes) ? stats.passes.map(asObject) : [];
  const t = await summaryTallies(db, job);
  const { left, right } = t;
  const allRecords = left.total.count + right.total.count;
  return {
    job_id: jobId,
    status: job.status,
    matches: (t.byStatus.confirmed ?? 0) + (t.byStatus.suggested ?? 0),
    match_rate: allRecords === 0 ? 1 : (left.matched.count + right.matched.count) / allRecords,
    discrepancies: await repo.countDiscrepancies(db, jobId),
    by_tier: countMap(t.byTier),
    by_status: countMap(t.byStatus),
    passes: passes.map((p) => ({
      index: Number(p.index ?? 0),
      name: textOf(p.name),
      kind: textOf(p.kind),
      matches: Number(p.matches ?? 0),
      auto: Number(p.auto ?? 0),
      suggested: Number(p.suggested ?? 0),
    })),
    left,
    right,
  };
}

const cursorSchema = z.object({
  s: z.string(),
  k: z.string().max(40).nullable(),
  i: z.string().regex(/^\d{1,19}$/),
});

// What a sort key may look like in a cursor, by the sort's key type; anything else is a forged cursor.
const KEY_FORMAT: Record<string, RegExp | null> = {
  match_id: null,
  row: null,
  score: /^-?\d+(\.\d+)?(e-?\d+)?$/,
  amount: /^\d{1,19}$/,
  date: /^(\d{4}-\d{2}-\d{2}|-?infinity)$/,
};
const keyKind = (sort: string) =>
  sort === 'match_id' || sort === 'row' ? sort : (sort.split('_')[0] ?? sort);

/** An opaque cursor: the sort it belongs to, the last row's sort key and its id. */
function encodeCursor(sort: string, key: string | null, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key, i: id })).toString('base64url');
}

function decodeCursor(cursor: string | undefined, sort: string): repo.KeysetAfter | undefined {
  if (cursor === undefined) return undefined;
  let parsed: z.infer<typeof cursorSchema> | undefined;
  try {
    const result = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  const format = KEY_FORMAT[keyKind(sort)];
  const isKeyValid =
    format === null || format === undefined ? parsed?.k === null : format.test(parsed?.k ?? '');
  if (parsed === undefined || parsed.s !== sort || !isKeyValid) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The cursor is not valid for this sort; start again from the first page',
    );
  }
  return { key: parsed.k, id: parsed.i };
}

export async function matches(
  db: Db,
  userId: string,
  jobId: string,
  query: {
    limit: number;
    cursor?: string | undefined;
    tier?: string | undefined;
    status?: string | undefined;
    pass?: string | undefined;
    min_score?: number | undefined;
    max_score?: number | undefined;
    min_amount_difference?: number | undefined;
    q?: string | undefined;
    date_from?: string | undefined;
    date_to?: string | undefined;
    sort: MatchSort;
  },
) {
  const job = await loadJobForMember(db, userId, jobId, 'viewer');
  assertHasResults(job);
  const rows = await matchRepo.matchesKeysetPage(
    db,
    jobId,
    {
      tier: query.tier,
      status: query.status,
      pass: query.pass,
      minScore: query.min_score,
      maxScore: query.max_score,
      minAmountDifference: query.min_amount_difference,
      q: query.q,
      dateFrom: query.date_from,
      dateTo: query.date_to,
    },
    query.sort,
    decodeCursor(query.cursor, query.sort),
    query.limit,
    { left: job.source_data_source_id, right: job.target_data_source_id },
  );
  const last = rows.at(-1);
  return {
    items: await matchViews(db, job, rows),
    next_cursor:
      rows.length === query.limit && last !== undefined
        ? encodeCursor(query.sort, last.sort_key, last.match_id)
        : null,
  };
}

export async function unmatched(
  db: Db,
  userId: string,
  jobId: string,
  query: {
    side: 'left' | 'right';
    limit: number;
    cursor?: string | undefined;
    status?: string | undefined;
    q?: string | undefined;
    date_from?: string | undefined;
    date_to?: string | undefined;
    sort: repo.UnmatchedSort;
  },
) {
  const job = await loadJobForMember(db, userId, jobId, 'viewer');
  assertHasResults(job);
  const dataSourceId = query.side === 'left' ? job.source_data_source_id : job.target_data_source_id;
  const rows = await repo.exceptionsKeysetPage(
    db,
    jobId,
    dataSourceId,
    query.side,
    { status: query.status, q: query.q, dateFrom: query.date_from, dateTo: query.date_to },
    query.sort,
    decodeCursor(query.cursor, query.sort),
    query.limit,
  );
  const records = await recordMap(
    db,
    dataSourceId,
    rows.map((row) => row.row_no),
  );
  const last = rows.at(-1);
  return {
    items: rows.flatMap((row) => {
      const record = records.get(row.row_no);
      if (record === undefined) return [];
      return [
        {
          side: query.side,
          row: Number(row.row_no),
          record,
          nearest:
            row.nearest_row === null
              ? null
              : { row: Number(row.nearest_row), score: row.nearest_score ?? 0, pass: row.nearest_pass ?? '' },
          reason: row.reason,
          status: row.status as 'open',
          assignee_id: row.assignee_id,
          write_off_code: row.write_off_code,
          version: row.version,
          updated_at: row.updated_at.toISOString(),
          first_seen_at: row.first_seen_at.toISOString(),
        },
      ];
    }),
    next_cursor:
      rows.length === query.limit && last !== undefined
        ? encodeCursor(query.sort, last.sort_key, last.row_no)
        : null,
  };
}

export async function discrepancies(
  db: Db,
  userId: string,
  jobId: string,
  query: { limit: number; cursor?: string | undefined; field?: string | undefined },
) {
  const job = await loadJobForMember(db, userId, jobId, 'viewer');
  assertHasResults(job);
  const [matchId, field] = query.cursor?.split(':') ?? [];
  const after = matchId !== undefined && field !== undefined ? { matchId, field } : undefined;
  const rows = await repo.discrepanciesPage(db, jobId, query.field, after, query.limit);
  const last = rows.at(-1);
  return {
    items: rows.map((row) => ({
      match_id: Number(row.match_id),
      field: row.field,
      left_value: row.left_value,
      right_value: row.right_value,
      delta: row.delta,
      unit: row.unit,
    })),
    next_cursor: rows.length === query.limit && last !== undefined ? `${last.match_id}:${last.field}` : null,
  };
}
