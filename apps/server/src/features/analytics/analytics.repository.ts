import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';

// All analytics SQL. Every query takes the project ids the caller may see: scoping happens here, in SQL.

type Ids = readonly string[];
const ids = (projectIds: Ids) => sql`${[...projectIds]}::uuid[]`;

/**
 * The ids of the projects' jobs (optionally only those completed in the last `days` days). The queries on the
 * result tables take them as a bound array, `job_id = ANY(...)`, so PostgreSQL prunes the tables' per-run
 * partitions (migration 0108) when it plans; joined from `recon_jobs` instead, it plans and scans every job's
 * partitions (measured with 300 jobs of 1,000 matches: 243 ms to plan, 300k rows read for 6 jobs' 6k).
 */
async function jobIdsOf(db: DbOrTx, projectIds: Ids, completedWithinDays?: number): Promise<string[]> {
  const recent =
    completedWithinDays === undefined
      ? sql``
      : sql`AND status = 'completed' AND finished_at >= now() - make_interval(days => ${completedWithinDays})`;
  const result = await sql<{ id: string }>`SELECT id FROM recon_jobs
    WHERE project_id = ANY(${ids(projectIds)}) ${recent}`.execute(db);
  return result.rows.map((row) => row.id);
}

/** Active administrators, whose dashboards are warmed at start. */
export async function activeAdminIds(db: DbOrTx, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Projects the user belongs to (the same rule as the project list). */
export async function visibleProjectIds(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_members')
    .select('project_id')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => row.project_id).sort();
}

export async function countTotals(db: DbOrTx, projectIds: Ids, allUsers: boolean) {
  const result = await sql<{ users: string; projects: string; jobs: string; data_sources: string }>`
    SELECT
      (CASE WHEN ${allUsers} THEN (SELECT count(*) FROM users)
            ELSE (SELECT count(DISTINCT user_id) FROM project_members WHERE project_id = ANY(${ids(projectIds)})) END)::text AS users,
      (SELECT count(*) FROM projects WHERE id = ANY(${ids(projectIds)}))::text AS projects,
      (SELECT count(*) FROM recon_jobs WHERE project_id = ANY(${ids(projectIds)}))::text AS jobs,
      (SELECT count(*) FROM data_sources WHERE project_id = ANY(${ids(projectIds)}))::text AS data_sources`.execute(
    db,
  );
  const row = result.rows[0];
  return {
    users: Number(row?.users ?? 0),
    projects: Number(row?.projects ?? 0),
    jobs: Number(row?.jobs ?? 0),
    data_sources: Number(row?.data_sources ?? 0),
  };
}

export async function countRecords(db: DbOrTx, projectIds: Ids): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM records r JOIN data_sources d ON d.id = r.data_source_id
    WHERE d.project_id = ANY(${ids(projectIds)})`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function jobsByStatus(db: DbOrTx, projectIds: Ids): Promise<Record<string, number>> {
  const result = await sql<{ status: string; n: string }>`
    SELECT status, count(*)::text AS n FROM recon_jobs WHERE project_id = ANY(${ids(projectIds)}) GROUP BY status`.execute(
    db,
  );
  return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.n)]));
}

export interface OutcomeGroupRow {
  outcome: 'confirmed' | 'suggested' | 'unmatched';
  currency: string | null;
  scale: number | null;
  count: string;
  amount: string;
  records: string;
  auto_records: string;
}

/**
 * An open exception of a job that a later job carried forward (migration 0102) is that later job's to show:
 * counted once, where it is open now, as the ageing buckets and the outcomes both count it.
 */
const notCarriedOn = (alias: string) => sql<boolean>`NOT EXISTS (
  SELECT 1 FROM recon_carried_records c
  WHERE c.from_job_id = ${sql.ref(`${alias}.job_id`)} AND c.side = ${sql.ref(`${alias}.side`)}
    AND c.from_row_no = ${sql.ref(`${alias}.row_no`)})`;

/**
 * Confirmed and suggested matches (their left amount, under the currency and scale the match's left records
 * share, null when they do not) and open exceptions (their record's amount as an absolute exposure, as the
 * ageing sums it, with currency and scale), grouped by
 * outcome, currency and scale: amounts are only ever summed within one currency and scale.
 */
export async function outcomeGroups(db: DbOrTx, projectIds: Ids): Promise<OutcomeGroupRow[]> {
  const jobs = await jobIdsOf(db, projectIds);
  const result = await sql<OutcomeGroupRow>`
    WITH m AS (
      SELECT m.status, m.tier, m.left_amount, m.currency, m.scale,
        cardinality(m.left_rows) + cardinality(m.right_rows) AS records
      FROM recon_matches m
      WHERE m.job_id = ANY(${jobs}::uuid[]) AND m.status IN ('confirmed', 'suggested')
    ), e AS (
      SELECT r.amount_minor, r.currency, r.scale
      FROM recon_exceptions e
      JOIN recon_jobs j ON j.id = e.job_id
      LEFT JOIN records r
        ON r.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
       AND r.row_no = e.row_no
      WHERE e.job_id = ANY(${jobs}::uuid[]) AND e.status IN ('open', 'investigating')
        AND ${notCarriedOn('e')}
    )
    SELECT status AS outcome, currency, scale, count(*)::text AS count, sum(left_amount)::text AS amount,
      sum(records)::text AS records, coalesce(sum(records) FILTER (WHERE tier = 'auto'), 0)::text AS auto_records
    FROM m GROUP BY status, currency, scale
    UNION ALL
    SELECT 'unmatched', currency, scale, count(*)::text, coalesce(sum(abs(amount_minor)), 0)::text, count(*)::text, '0'
    FROM e GROUP BY currency, scale
    ORDER BY outcome, currency NULLS LAST, scale NULLS LAST`.execute(db);
  return result.rows;
}

export interface DailyRateRow {
  date: string;
  jobs: string;
  matched_records: string;
  auto_records: string;
  suggested_records: string;
  unmatched: string;
}

/** Per day of completed jobs in the last `days` days. */
export async function dailyRates(db: DbOrTx, projectIds: Ids, days: number): Promise<DailyRateRow[]> {
  const jobs = await jobIdsOf(db, projectIds, days);
  const result = await sql<DailyRateRow>`
    WITH per_job AS (
      SELECT j.id, to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date
      FROM recon_jobs j WHERE j.id = ANY(${jobs}::uuid[])
    ), m AS (
      SELECT job_id,
        sum(cardinality(left_rows) + cardinality(right_rows)) FILTER (WHERE status = 'confirmed') AS matched_records,
        sum(cardinality(left_rows) + cardinality(right_rows)) FILTER (WHERE status = 'confirmed' AND tier = 'auto')
          AS auto_records,
        sum(cardinality(left_rows) + cardinality(right_rows)) FILTER (WHERE status = 'suggested') AS suggested_records
      FROM recon_matches WHERE job_id = ANY(${jobs}::uuid[]) GROUP BY job_id
    ), e AS (
      SELECT e.job_id, count(*) AS unmatched FROM recon_exceptions e
      WHERE e.job_id = ANY(${jobs}::uuid[]) AND e.status IN ('open', 'investigating') AND ${notCarriedOn('e')}
      GROUP BY e.job_id
    )
    SELECT p.date, count(*)::text AS jobs, coalesce(sum(m.matched_records), 0)::text AS matched_records,
      coalesce(sum(m.auto_records), 0)::text AS auto_records,
      coalesce(sum(m.suggested_records), 0)::text AS suggested_records,
      coalesce(sum(e.unmatched), 0)::text AS unmatched
    FROM per_job p LEFT JOIN m ON m.job_id = p.id LEFT JOIN e ON e.job_id = p.id
    GROUP BY p.date ORDER BY p.date`.execute(db);
  return result.rows;
}

/** Latest audit entries about the projects, or by the user. */
export async function recentActivity(db: DbOrTx, projectIds: Ids, userId: string, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['created_at', 'actor_label', 'action', 'target_type', 'target_id', 'project_id'])
    .where(sql<boolean>`project_id = ANY(${ids(projectIds)}) OR actor_user_id = ${userId}`)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Active users and actions per day or month from the audit log; `userId` null → everyone. */
export async function activityBuckets(
  db: DbOrTx,
  input: { granularity: 'day' | 'month'; from: string; to: string; userId: string | null },
) {
  const step = input.granularity === 'day' ? '1 day' : '1 month';
  const result = await sql<{ period: string; active_users: string; actions: string }>`
    WITH periods AS (
      SELECT generate_series(date_trunc(${input.granularity}, ${input.from}::date), ${input.to}::date, ${step}::interval)::date AS period
    ), entries AS (
      SELECT date_trunc(${input.granularity}, created_at AT TIME ZONE 'UTC')::date AS period, actor_user_id
      FROM audit_log
      WHERE created_at >= ${input.from}::date AT TIME ZONE 'UTC'
        AND created_at < (${input.to}::date + 1) AT TIME ZONE 'UTC'
        AND (${input.userId}::uuid IS NULL OR actor_user_id = ${input.userId}::uuid)
    )
    SELECT to_char(p.period, 'YYYY-MM-DD') AS period,
      count(DISTINCT e.actor_user_id)::text AS active_users, count(e.period)::text AS actions
    FROM periods p LEFT JOIN entries e ON e.period = p.period
    GROUP BY p.period ORDER BY p.period`.execute(db);
  return result.rows.map((row) => ({
    period: row.period,
    active_users: Number(row.active_users),
    actions: Number(row.actions),
  }));
}

export async function matchesByPass(db: DbOrTx, projectIds: Ids) {
  const jobs = await jobIdsOf(db, projectIds);
  const result = await sql<{
    pass_name: string;
    matches: string;
    confirmed: string;
    suggested: string;
    records: string;
  }>`
    SELECT m.pass_name, count(*)::text AS matches,
      count(*) FILTER (WHERE m.status = 'confirmed')::text AS confirmed,
      count(*) FILTER (WHERE m.status = 'suggested')::text AS suggested,
      coalesce(sum(cardinality(m.left_rows) + cardinality(m.right_rows)) FILTER (WHERE m.status IN ('confirmed', 'suggested')), 0)::text AS records
    FROM recon_matches m WHERE m.job_id = ANY(${jobs}::uuid[])
    GROUP BY m.pass_name ORDER BY min(m.pass_index), m.pass_name`.execute(db);
  return result.rows;
}

/**
 * Open exceptions by age (days since the record was first seen unmatched, which carry-forward keeps), per
 * bucket and currency. An exception a later job carried forward is counted there, not twice. Amounts are
 * absolute values summed: an open debit and an open credit are both still to explain, they do not cancel.
 */
export async function exceptionAgeing(db: DbOrTx, projectIds: Ids) {
  const jobs = await jobIdsOf(db, projectIds);
  const result = await sql<{
    bucket: string;
    currency: string | null;
    scale: number;
    count: string;
    amount: string;
  }>`
    WITH e AS (
      SELECT extract(day FROM now() - e.first_seen_at) AS age, r.amount_minor, r.currency, r.scale
      FROM recon_exceptions e
      JOIN recon_jobs j ON j.id = e.job_id
      JOIN records r
        ON r.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
       AND r.row_no = e.row_no
      WHERE e.job_id = ANY(${jobs}::uuid[]) AND e.status IN ('open', 'investigating')
        AND ${notCarriedOn('e')}
    )
    SELECT CASE WHEN age <= 7 THEN '0-7' WHEN age <= 30 THEN '8-30' WHEN age <= 90 THEN '31-90' ELSE '90+' END AS bucket,
      currency, scale, count(*)::text AS count, sum(abs(amount_minor))::text AS amount
    FROM e GROUP BY 1, currency, scale ORDER BY 1, currency NULLS LAST, scale`.execute(db);
  return result.rows;
}
