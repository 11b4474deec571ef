import {
  dashboardSchema,
  projectAnalyticsSchema,
  reconciliationAnalyticsSchema,
  userActivitySchema,
  type CurrencyAmount,
  type Dashboard,
  type OutcomeTotals,
  type ProjectAnalytics,
  type ReconciliationAnalytics,
  type UserActivity,
} from '@recon/shared';
import type { TwoLevelCache } from '../../cache/two-level-cache';
import type { Db } from '../../db/database';
import type { RequestWindow } from '../../observability/request-window';
import * as repo from './analytics.repository';

export interface AnalyticsDeps {
  readonly db: Db;
  readonly cache: TwoLevelCache;
  readonly window: RequestWindow;
}

export interface Viewer {
  readonly userId: string;
  readonly isAdmin: boolean;
}

const RATE_DAYS = 30;
const ACTIVITY_LIMIT = 10;
const DAY_MS = 86_400_000;

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

type Group = repo.OutcomeGroupRow;
type ScaledGroup = Group & { scale: number };

const hasScale = (row: Group): row is ScaledGroup => row.scale !== null;
const sumOf = (rows: readonly Group[], key: 'count' | 'records' | 'auto_records') =>
  rows.reduce((sum, row) => sum + Number(row[key]), 0);
const amountOf = (row: ScaledGroup): CurrencyAmount => ({
  currency: row.currency,
  scale: row.scale,
  count: Number(row.count),
  amount: row.amount,
});

/**
 * Outcome counts, rates and amounts per currency from the grouped rows. A match without one currency and
 * scale (null on recon_matches) is counted in `*_mixed_currency` and summed nowhere: its left amount adds
 * minor units of different currencies or scales. An open exception is summed under its record's currency,
 * null included (records without a currency, as in the exception ageing); one whose record is gone (its job's
 * data sources cannot be deleted) has no scale: counted, not summed.
 */
function outcomesOf(rows: readonly Group[]): OutcomeTotals {
  const of = (outcome: Group['outcome']) => rows.filter((row) => row.outcome === outcome);
  const [confirmed, suggested, unmatched] = [of('confirmed'), of('suggested'), of('unmatched')];
  const singleCurrency = (group: readonly Group[]) =>
    group.filter(hasScale).filter((row) => row.currency !== null);
  const mixedCount = (group: readonly Group[]) =>
    sumOf(group, 'count') - sumOf(singleCurrency(group), 'count');
  const matchedRecords = sumOf(confirmed, 'records');
  const all = matchedRecords + sumOf(suggested, 'records') + sumOf(unmatched, 'records');
  return {
    matched: sumOf(confirmed, 'count'),
    matched_amounts: singleCurrency(confirmed).map(amountOf),
    matched_mixed_currency: mixedCount(confirmed),
    suggested: sumOf(suggested, 'count'),
    suggested_amounts: singleCurrency(suggested).map(amountOf),
    suggested_mixed_currency: mixedCount(suggested),
    unmatched: sumOf(unmatched, 'count'),
    unmatched_amounts: unmatched.filter(hasScale).map(amountOf),
    // Records in confirmed matches over all records with an outcome; auto = share of those matched automatically.
    match_rate: ratio(matchedRecords, all),
    auto_match_rate: ratio(sumOf(confirmed, 'auto_records'), matchedRecords),
  };
}

async function ratesOverTime(db: Db, projectIds: readonly string[]) {
  const rows = await repo.dailyRates(db, projectIds, RATE_DAYS);
  return rows.map((row) => {
    const matched = Number(row.matched_records);
    const all = matched + Number(row.suggested_records) + Number(row.unmatched);
    return {
      date: row.date,
      jobs: Number(row.jobs),
      match_rate: ratio(matched, all),
      auto_match_rate: ratio(Number(row.auto_records), matched),
    };
  });
}

async function activity(db: Db, projectIds: readonly string[], userId: string) {
  const rows = await repo.recentActivity(db, projectIds, userId, ACTIVITY_LIMIT);
  return rows.map((row) => ({
    at: row.created_at.toISOString(),
    actor: row.actor_label,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    project_id: row.project_id,
  }));
}

/**
 * The dashboard of the projects the viewer belongs to. Cached per viewer (the key holds the user id and the
 * project list, so nothing is ever served to someone who may not see it); performance figures are live.
 */
export async function dashboard(deps: AnalyticsDeps, viewer: Viewer): Promise<Dashboard> {
  const projectIds = await repo.visibleProjectIds(deps.db, viewer.userId);
  const key = `dashboard:${viewer.userId}:${viewer.isAdmin ? 'a' : 'u'}:${projectIds.join(',')}`;
  const cached = await deps.cache.getOrLoad(
    key,
    async () => {
      const [totals, jobs, outcomes, rates, recent] = await Promise.all([
        repo.countTotals(deps.db, projectIds, viewer.isAdmin),
        repo.jobsByStatus(deps.db, projectIds),
        repo.outcomeGroups(deps.db, projectIds),
        ratesOverTime(deps.db, projectIds),
        activity(deps.db, projectIds, viewer.userId),
      ]);
      return {
        totals,
        jobs_by_status: jobs,
        outcomes: outcomesOf(outcomes),
        rates_over_time: rates,
        recent_activity: recent,
        generated_at: new Date().toISOString(),
      };
    },
    (value) => dashboardSchema.omit({ performance: true }).parse(value),
  );
  const stats = deps.window.stats();
  return {
    ...cached,
    performance: {
      request_rate_per_second: stats.request_rate_per_second,
      latency_ms: stats.latency_ms,
      error_rate: stats.error_rate,
    },
  };
}

const WARM_ADMINS = 10;

/** Fills the cache with the administrators' dashboards, so the first look after a start is fast. */
export async function warmDashboards(deps: AnalyticsDeps): Promise<number> {
  const admins = await repo.activeAdminIds(deps.db, WARM_ADMINS);
  for (const userId of admins) await dashboard(deps, { userId, isAdmin: true });
  return admins.length;
}

/** One project's figures; the caller's membership is checked by the route. */
export async function projectAnalytics(
  deps: AnalyticsDeps,
  viewer: Viewer,
  projectId: string,
): Promise<ProjectAnalytics> {
  return deps.cache.getOrLoad(
    `project:${projectId}`,
    async () => {
      const one = [projectId];
      const [totals, records, jobs, outcomes, rates, recent] = await Promise.all([
        repo.countTotals(deps.db, one, false),
        repo.countRecords(deps.db, one),
        repo.jobsByStatus(deps.db, one),
        repo.outcomeGroups(deps.db, one),
        ratesOverTime(deps.db, one),
        // Project activity only: the viewer id matches nobody's project-less entries here.
        activity(deps.db, one, viewer.userId),
      ]);
      return {
        project_id: projectId,
        totals: { jobs: totals.jobs, data_sources: totals.data_sources, records },
        jobs_by_status: jobs,
        outcomes: outcomesOf(outcomes),
        rates_over_time: rates,
        recent_activity: recent.filter((entry) => entry.project_id === projectId),
      };
    },
    (value) => projectAnalyticsSchema.parse(value),
  );
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Active users and actions per period; admins see everyone, others only themselves. */
export async function userActivity(
  deps: AnalyticsDeps,
  viewer: Viewer,
  query: { granularity: 'day' | 'month'; from?: string | undefined; to?: string | undefined },
): Promise<UserActivity> {
  const to = query.to ?? isoDay(Date.now());
  const from = query.from ?? isoDay(Date.parse(to) - 29 * DAY_MS);
  const buckets = await repo.activityBuckets(deps.db, {
    granularity: query.granularity,
    from,
    to,
    userId: viewer.isAdmin ? null : viewer.userId,
  });
  return userActivitySchema.parse({ granularity: query.granularity, from, to, buckets });
}

const BUCKETS = ['0-7', '8-30', '31-90', '90+'] as const;

/** Match rate by pass and exception ageing across the viewer's projects. */
export async function reconciliationAnalytics(
  deps: AnalyticsDeps,
  viewer: Viewer,
): Promise<ReconciliationAnalytics> {
  const projectIds = await repo.visibleProjectIds(deps.db, viewer.userId);
  return deps.cache.getOrLoad(
    `reconciliation:${viewer.userId}:${projectIds.join(',')}`,
    async () => {
      const [passes, ageing] = await Promise.all([
        repo.matchesByPass(deps.db, projectIds),
        repo.exceptionAgeing(deps.db, projectIds),
      ]);
      const totalRecords = passes.reduce((sum, row) => sum + Number(row.records), 0);
      return {
        by_pass: passes.map((row) => ({
          pass_name: row.pass_name,
          matches: Number(row.matches),
          confirmed: Number(row.confirmed),
          suggested: Number(row.suggested),
          records: Number(row.records),
          share_of_matched_records: ratio(Number(row.records), totalRecords),
        })),
        exception_ageing: BUCKETS.map((bucket) => {
          const rows = ageing.filter((entry) => entry.bucket === bucket);
          return {
            bucket,
            count: rows.reduce((sum, row) => sum + Number(row.count), 0),
            amounts: rows.map((row) => ({
              currency: row.currency,
              scale: row.scale,
              count: Number(row.count),
              amount: row.amount,
            })),
          };
        }),
      };
    },
    (value) => reconciliationAnalyticsSchema.parse(value),
  );
}
