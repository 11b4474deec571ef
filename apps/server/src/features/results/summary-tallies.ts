import { z } from 'zod';
import type { Db } from '../../db/database';
import { currencyTallySchema } from '../jobs/currency-tallies';
import type { JobRow } from '../jobs/jobs.repository';
import * as repo from './results.repository';

/** Counts and amounts in minor units of one currency and scale on one side, as bigints while corrected. */
interface Bucket {
  currency: string | null;
  scale: number;
  total: { count: bigint; amount: bigint };
  matched: { count: bigint; amount: bigint };
}
/** A side's buckets by currency and scale. */
type SideBuckets = Map<string, Bucket>;
type SideName = 'left' | 'right';

/** The bucket of a currency and scale, added empty if the side has none yet. */
function bucketOf(buckets: SideBuckets, currency: string | null, scale: number): Bucket {
  const key = JSON.stringify([currency, scale]);
  let bucket = buckets.get(key);
  if (bucket === undefined) {
    bucket = { currency, scale, total: { count: 0n, amount: 0n }, matched: { count: 0n, amount: 0n } };
    buckets.set(key, bucket);
  }
  return bucket;
}

function bucketsOf(
  rows: readonly {
    currency: string | null;
    scale: number;
    total: { count: number | string; amount: string };
    matched: { count: number | string; amount: string };
  }[],
): SideBuckets {
  const buckets: SideBuckets = new Map();
  for (const row of rows) {
    const bucket = bucketOf(buckets, row.currency, row.scale);
    bucket.total = { count: BigInt(row.total.count), amount: BigInt(row.total.amount) };
    bucket.matched = { count: BigInt(row.matched.count), amount: BigInt(row.matched.amount) };
  }
  return buckets;
}

/** What the run stored in `statistics` that the summary starts from (reconcile.job.ts). */
const runStatsSchema = z.object({
  passes: z.array(z.object({ auto: z.number().int(), suggested: z.number().int() })),
  by_currency: z.object({ left: z.array(currencyTallySchema), right: z.array(currencyTallySchema) }),
});

/**
 * Counts per tier and status and each side's totals and live matched tallies per currency and scale, from
 * the run's statistics corrected by what review changed since (a few rows of a small index). Every input
 * record ends in exactly one live match or one exception, and review only moves records between the two, so
 * nothing scans the job's matches or records (1M × 1M: ~6 s before). Carried-forward records are in the
 * run's inputs (the job's derived data sources), hence in its totals. Falls back to counting when the
 * statistics are absent or from before the run stored amounts per currency.
 */
async function runTallies(db: Db, job: JobRow) {
  const stats = runStatsSchema.safeParse(job.statistics);
  if (!stats.success) return countedTallies(db, job);
  const run = stats.data;
  const byTier: Record<string, number> = {
    auto: run.passes.reduce((sum, p) => sum + p.auto, 0),
    suggested: run.passes.reduce((sum, p) => sum + p.suggested, 0),
  };
  const byStatus: Record<string, number> = { confirmed: byTier.auto ?? 0, suggested: byTier.suggested ?? 0 };
  for (const row of await repo.reviewedTallies(db, job.id)) {
    const n = Number(row.n);
    if (row.tier === 'manual') byTier.manual = (byTier.manual ?? 0) + n;
    else {
      const written = row.tier === 'auto' ? 'confirmed' : 'suggested';
      byStatus[written] = (byStatus[written] ?? 0) - n;
    }
    byStatus[row.status] = (byStatus[row.status] ?? 0) + n;
  }
  const sides: Record<SideName, SideBuckets> = {
    left: bucketsOf(run.by_currency.left),
    right: bucketsOf(run.by_currency.right),
  };
  const isLive = (status: string) => status === 'confirmed' || status === 'suggested';
  const sources = { left: job.source_data_source_id, right: job.target_data_source_id };
  for (const row of await repo.reviewedRecordTallies(db, job.id, sources)) {
    // The run counted its own matches as matched; a dissolved one no longer is, a live manual one now is.
    const sign = row.tier === 'manual' ? (isLive(row.status) ? 1n : 0n) : isLive(row.status) ? 0n : -1n;
    const bucket = bucketOf(sides[row.side], row.currency, row.scale);
    bucket.matched.count += sign * BigInt(row.count);
    bucket.matched.amount += sign * BigInt(row.amount);
  }
  return { byTier, byStatus, left: sides.left, right: sides.right };
}

/** The same figures counted from the tables, for a job whose run left no statistics per currency. */
async function countedTallies(db: Db, job: JobRow) {
  const side = async (name: SideName, dataSourceId: string): Promise<SideBuckets> => {
    const rows = await repo.sideTallies(db, job.id, name, dataSourceId);
    return bucketsOf(
      rows.map((row) => ({
        currency: row.currency,
        scale: row.scale,
        total: { count: row.total_count, amount: row.total_amount },
        matched: { count: row.matched_count, amount: row.matched_amount },
      })),
    );
  };
  const counts = (rows: Record<string, { count: number }>) =>
    Object.fromEntries(Object.entries(rows).map(([key, { count }]) => [key, count]));
  return {
    byTier: counts(await repo.countsBy(db, job.id, 'tier')),
    byStatus: counts(await repo.countsBy(db, job.id, 'status')),
    left: await side('left', job.source_data_source_id),
    right: await side('right', job.target_data_source_id),
  };
}

// Currencies by code, those without one last, then by scale: the order the dashboard lists them in.
const byCurrency = (a: Bucket, b: Bucket) =>
  a.currency === b.currency
    ? a.scale - b.scale
    : a.currency === null
      ? 1
      : b.currency === null || a.currency < b.currency
        ? -1
        : 1;

/** A side's tallies: overall counts, and amounts per currency and scale that hold any record. */
function sideView(buckets: SideBuckets) {
  const list = [...buckets.values()].sort(byCurrency);
  const tally = (pick: (bucket: Bucket) => { count: bigint; amount: bigint }) => {
    const amounts = list
      .map((bucket) => ({ bucket, t: pick(bucket) }))
      .filter(({ t }) => t.count !== 0n)
      .map(({ bucket, t }) => ({
        currency: bucket.currency,
        scale: bucket.scale,
        count: Number(t.count),
        amount: t.amount.toString(),
      }));
    return { count: amounts.reduce((sum, entry) => sum + entry.count, 0), amounts };
  };
  const total = tally((b) => b.total);
  const matched = tally((b) => b.matched);
  return {
    total,
    matched,
    unmatched: tally((b) => ({
      count: b.total.count - b.matched.count,
      amount: b.total.amount - b.matched.amount,
    })),
    match_rate: total.count === 0 ? 1 : matched.count / total.count,
  };
}

/**
 * The results summary's counts per tier and status (match counts) and its per-side tallies: records in
 * total, matched and unmatched, with their amounts per currency and scale, never summed across currencies.
 */
export async function summaryTallies(db: Db, job: JobRow) {
  const t = await runTallies(db, job);
  return { byTier: t.byTier, byStatus: t.byStatus, left: sideView(t.left), right: sideView(t.right) };
}
