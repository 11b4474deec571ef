import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { cacheRequests } from '../src/observability/platform-metrics';
import { seedCompletedJob } from './fixtures/security/seed-results';
import { attachEmptyResults } from './support/result-runs';
import {
  createTestApp,
  createUserAndLogin,
  expectProblem,
  loginAdmin,
  type Session,
  type TestContext,
} from './support/test-app';
import { getResponseProperties } from './support/openapi';

interface CurrencyAmount {
  currency: string | null;
  scale: number;
  count: number;
  amount: string;
}

interface Outcomes {
  matched: number;
  matched_amounts: CurrencyAmount[];
  matched_mixed_currency: number;
  suggested: number;
  suggested_amounts: CurrencyAmount[];
  suggested_mixed_currency: number;
  unmatched: number;
  unmatched_amounts: CurrencyAmount[];
  match_rate: number | null;
  auto_match_rate: number | null;
}

interface DashboardBody {
  totals: { users: number; projects: number; jobs: number; data_sources: number };
  jobs_by_status: Record<string, number>;
  outcomes: Outcomes;
  rates_over_time: { date: string; jobs: number; match_rate: number | null }[];
  performance: { latency_ms: { p50: number } };
  recent_activity: { action: string; project_id: string | null }[];
}

type Db = TestContext['db']['db'];

async function insertSource(db: Db, projectId: string, name: string): Promise<string> {
  const row = await db
    .insertInto('data_sources')
    .values({
      project_id: projectId,
      name,
      source_key: name,
      storage_key: `k-${name}`,
      size_bytes: 1,
      sha256: name.padEnd(64, '0'),
      format: 'csv',
      status: 'ready',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const record = (dataSourceId: string, rowNo: number, amount: number, currency: string, scale: number) => ({
  data_source_id: dataSourceId,
  row_no: rowNo,
  amount_minor: amount,
  currency,
  scale,
});

async function insertCompletedJob(
  db: Db,
  projectId: string,
  name: string,
  [left, right]: [string, string],
  finishedAt: Date,
): Promise<string> {
  const row = await db
    .insertInto('recon_jobs')
    .values({
      project_id: projectId,
      name,
      source_data_source_id: left,
      target_data_source_id: right,
      rules: '{}',
      status: 'completed',
      progress: 100,
      finished_at: finishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function hits(level: string): Promise<number> {
  const values = (await cacheRequests.get()).values;
  return values.find((sample) => sample.labels.level === level && sample.labels.result === 'hit')?.value ?? 0;
}

describe('analytics', () => {
  let ctx: TestContext;
  let admin: Session;
  let analyst: Session;
  let sharedId: string;
  let privateId: string;

  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await loginAdmin(ctx.app);
    analyst = await createUserAndLogin(ctx.app, admin, 'analyst@example.com');
    const create = async (name: string) =>
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/projects',
          headers: admin.headers,
          payload: { name },
        })
      ).json<{ id: string }>().id;
    sharedId = await create('shared');
    privateId = await create('admin only');
    await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${sharedId}/members`,
      headers: admin.headers,
      payload: { user_id: analyst.userId, role: 'analyst' },
    });
    await seedCompletedJob(ctx.db.db, sharedId, { tag: 'a' });
    await seedCompletedJob(ctx.db.db, privateId, { tag: 'b', finishedDaysAgo: 40 });
  });
  afterAll(() => ctx.close());

  const get = (url: string, session: Session) =>
    ctx.app.inject({ method: 'GET', url, headers: session.headers });

  it('counts on the dashboard what SQL counts directly, within the caller’s projects', async () => {
    const response = await get('/api/analytics/dashboard', analyst);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<DashboardBody>();
    const direct = await sql<{
      jobs: string;
      sources: string;
      matched: string;
      suggested: string;
      unmatched: string;
    }>`
      SELECT
        (SELECT count(*) FROM recon_jobs WHERE project_id = ${sharedId})::text AS jobs,
        (SELECT count(*) FROM data_sources WHERE project_id = ${sharedId})::text AS sources,
        (SELECT count(*) FROM recon_matches m JOIN recon_jobs j ON j.id = m.job_id WHERE j.project_id = ${sharedId} AND m.status = 'confirmed')::text AS matched,
        (SELECT count(*) FROM recon_matches m JOIN recon_jobs j ON j.id = m.job_id WHERE j.project_id = ${sharedId} AND m.status = 'suggested')::text AS suggested,
        (SELECT count(*) FROM recon_exceptions e JOIN recon_jobs j ON j.id = e.job_id WHERE j.project_id = ${sharedId} AND e.status IN ('open', 'investigating'))::text AS unmatched
    `.execute(ctx.db.db);
    const row = direct.rows[0];
    expect(body.totals).toEqual({
      users: 2,
      projects: 1,
      jobs: Number(row?.jobs),
      data_sources: Number(row?.sources),
    });
    expect(body.jobs_by_status).toEqual({ completed: 1 });
    expect(body.outcomes).toEqual({
      matched: Number(row?.matched),
      // The seeded matches carry no currency (as those written before migration 0108): counted, not summed.
      matched_amounts: [],
      matched_mixed_currency: Number(row?.matched),
      suggested: Number(row?.suggested),
      suggested_amounts: [],
      suggested_mixed_currency: Number(row?.suggested),
      unmatched: Number(row?.unmatched),
      unmatched_amounts: [{ currency: 'EUR', scale: 2, count: 2, amount: '4700' }],
      // 4 records in confirmed matches of 4 + 2 suggested + 2 open; all confirmed ones automatic.
      match_rate: 0.5,
      auto_match_rate: 1,
    });
    expect(body.rates_over_time).toEqual([
      { date: new Date().toISOString().slice(0, 10), jobs: 1, match_rate: 0.5, auto_match_rate: 1 },
    ]);
    expect(body.recent_activity.every((entry) => entry.project_id !== privateId)).toBe(true);
  });

  it('shows an admin every user and all of the admin’s projects', async () => {
    const body = (await get('/api/analytics/dashboard', admin)).json<DashboardBody>();
    const users = await ctx.db.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(body.totals.users).toBe(Number(users.n));
    expect(body.totals.projects).toBe(2);
    expect(body.totals.jobs).toBe(2);
    expect(body.outcomes.matched).toBe(4);
  });

  it('answers project analytics to members and 404 to others', async () => {
    const response = await get(`/api/analytics/projects/${sharedId}`, analyst);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      project_id: sharedId,
      totals: { jobs: 1, data_sources: 2, records: 9 },
    });
    expectProblem(await get(`/api/analytics/projects/${privateId}`, analyst), 404, 'PROJECT_NOT_FOUND');
  });

  it('buckets user activity by day and month from the audit log', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const response = await get(
      `/api/analytics/users/activity?granularity=day&from=${from}&to=${today}`,
      admin,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ buckets: { period: string; active_users: number; actions: number }[] }>();
    expect(body.buckets.map((bucket) => bucket.period)).toHaveLength(3);
    const direct = await sql<{ n: string; users: string }>`
      SELECT count(*)::text AS n, count(DISTINCT actor_user_id)::text AS users FROM audit_log
      WHERE created_at >= ${today}::date AT TIME ZONE 'UTC'`.execute(ctx.db.db);
    expect(body.buckets.at(-1)).toEqual({
      period: today,
      actions: Number(direct.rows[0]?.n),
      active_users: Number(direct.rows[0]?.users),
    });
    const monthly = await get(
      `/api/analytics/users/activity?granularity=month&from=${today}&to=${today}`,
      analyst,
    );
    const own = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM audit_log WHERE actor_user_id = ${analyst.userId}
      AND date_trunc('month', created_at AT TIME ZONE 'UTC') = date_trunc('month', now() AT TIME ZONE 'UTC')`.execute(
      ctx.db.db,
    );
    expect(monthly.json<{ buckets: { actions: number }[] }>().buckets).toEqual([
      {
        period: `${today.slice(0, 8)}01`,
        active_users: Number(own.rows[0]?.n) > 0 ? 1 : 0,
        actions: Number(own.rows[0]?.n),
      },
    ]);
    expectProblem(
      await get('/api/analytics/users/activity?granularity=week', admin),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await get(`/api/analytics/users/activity?from=${today}&to=2000-01-01`, admin),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('reports match rate by pass and exception ageing', async () => {
    const body = (await get('/api/analytics/reconciliation', admin)).json<{
      by_pass: {
        pass_name: string;
        matches: number;
        records: number;
        share_of_matched_records: number | null;
      }[];
      exception_ageing: { bucket: string; count: number; amounts: unknown[] }[];
    }>();
    expect(body.by_pass).toEqual([
      {
        pass_name: 'exact',
        matches: 4,
        confirmed: 4,
        suggested: 0,
        records: 8,
        share_of_matched_records: 0.6667,
      },
      {
        pass_name: 'fuzzy',
        matches: 2,
        confirmed: 0,
        suggested: 2,
        records: 4,
        share_of_matched_records: 0.3333,
      },
    ]);
    const eur = (count: number, amount: string) => [{ currency: 'EUR', scale: 2, count, amount }];
    expect(body.exception_ageing).toEqual([
      { bucket: '0-7', count: 2, amounts: eur(2, '4700') },
      { bucket: '8-30', count: 0, amounts: [] },
      { bucket: '31-90', count: 2, amounts: eur(2, '4700') },
      { bucket: '90+', count: 0, amounts: [] },
    ]);
  });

  it('warms the administrators’ dashboards at start', async () => {
    const fresh = await buildApp(ctx.config, { db: ctx.db.db });
    try {
      await fresh.ready();
      expect(fresh.cache.memorySize).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('serves the dashboard from the cache and drops it after a write', async () => {
    const first = (await get('/api/analytics/dashboard', analyst)).json<DashboardBody>();
    const hitsBefore = await hits('memory');
    const again = (await get('/api/analytics/dashboard', analyst)).json<DashboardBody>();
    expect(await hits('memory')).toBe(hitsBefore + 1);
    expect(again.totals).toEqual(first.totals);
    // A write through the API: the very next read sees it.
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: analyst.headers,
      payload: { name: 'new one' },
    });
    expect(created.statusCode).toBe(201);
    const after = (await get('/api/analytics/dashboard', analyst)).json<DashboardBody>();
    expect(after.totals.projects).toBe(first.totals.projects + 1);
    // The analyst's cached entry never reaches the admin, whose view differs.
    const adminView = (await get('/api/analytics/dashboard', admin)).json<DashboardBody>();
    expect(adminView.totals.projects).toBe(2);
  });

  it('ages each open exception once, from its first sighting, with amounts per currency', async () => {
    const treasurer = await createUserAndLogin(ctx.app, admin, 'treasurer@example.com');
    const projectId = (
      await ctx.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: treasurer.headers,
        payload: { name: 'ageing' },
      })
    ).json<{ id: string }>().id;
    const db = ctx.db.db;
    const source = (name: string) => insertSource(db, projectId, name);
    const [bank, ledger, carried] = [await source('bank'), await source('ledger'), await source('carried')];
    await db
      .insertInto('records')
      .values([
        record(bank, 1, -5000, 'USD', 2),
        record(bank, 2, 2500, 'USD', 2),
        record(bank, 3, 1200, 'USD', 2),
        record(ledger, 1, 300, 'JPY', 0),
        // The later job's input: rows 1-2 of the bank statement, carried forward.
        record(carried, 1, -5000, 'USD', 2),
        record(carried, 2, 2500, 'USD', 2),
      ])
      .execute();
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    const march = await insertCompletedJob(db, projectId, 'march', [bank, ledger], daysAgo(40));
    const april = await insertCompletedJob(db, projectId, 'april', [carried, ledger], daysAgo(1));
    // Each job's results in its run-0 partition (migration 0108), as a completed run leaves them.
    await attachEmptyResults(db, march, 0);
    await attachEmptyResults(db, april, 0);
    const open = (jobId: string, side: 'left' | 'right', rowNo: number, firstSeen: Date, amount: number) => ({
      job_id: jobId,
      run_no: 0,
      side,
      row_no: rowNo,
      reason: 'no candidate',
      first_seen_at: firstSeen,
      amount_minor: amount,
    });
    await db
      .insertInto('recon_exceptions')
      .values([
        open(march, 'left', 1, daysAgo(40), -5000),
        open(march, 'left', 2, daysAgo(40), 2500),
        open(march, 'left', 3, daysAgo(40), 1200),
        // April carried rows 1-2 and still has row 1 open: it keeps its 40 days; row 2 got matched.
        open(april, 'left', 1, daysAgo(40), -5000),
        open(april, 'right', 1, daysAgo(1), 300),
      ])
      .execute();
    await sql`INSERT INTO recon_carried_records (data_source_id, row_no, side, from_job_id, from_row_no,
        origin_job_id, origin_data_source_id, origin_row_no, first_seen_at)
      VALUES (${carried}, 1, 'left', ${march}, 1, ${march}, ${bank}, 1, ${daysAgo(40)}),
             (${carried}, 2, 'left', ${march}, 2, ${march}, ${bank}, 2, ${daysAgo(40)})`.execute(db);

    const body = (await get('/api/analytics/reconciliation', treasurer)).json<{
      exception_ageing: { bucket: string; count: number; amounts: unknown[] }[];
    }>();
    // March's rows 1-2 live on in April: counted there only. Debits and credits do not cancel (-50 + 12).
    expect(body.exception_ageing).toEqual([
      { bucket: '0-7', count: 1, amounts: [{ currency: 'JPY', scale: 0, count: 1, amount: '300' }] },
      { bucket: '8-30', count: 0, amounts: [] },
      { bucket: '31-90', count: 2, amounts: [{ currency: 'USD', scale: 2, count: 2, amount: '6200' }] },
      { bucket: '90+', count: 0, amounts: [] },
    ]);
  });

  it('sums outcome amounts per currency, never EUR with JPY, and keeps a mixed-currency match apart', async () => {
    const cashier = await createUserAndLogin(ctx.app, admin, 'cashier@example.com');
    const projectId = (
      await ctx.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: cashier.headers,
        payload: { name: 'two currencies' },
      })
    ).json<{ id: string }>().id;
    const db = ctx.db.db;
    const [bank, ledger] = [
      await insertSource(db, projectId, 'fx-bank'),
      await insertSource(db, projectId, 'fx-ledger'),
    ];
    await db
      .insertInto('records')
      .values([
        record(bank, 1, 1000, 'EUR', 2),
        record(bank, 2, 2500, 'EUR', 2),
        record(bank, 3, 300, 'JPY', 0),
        record(bank, 4, 5000, 'JPY', 0),
        record(bank, 5, 700, 'EUR', 2),
        record(bank, 6, 300, 'USD', 2),
        record(bank, 7, 1200, 'EUR', 2),
        // A debit: open exceptions are summed as exposures (absolute), as the ageing chart sums them.
        record(bank, 8, -90, 'JPY', 0),
        record(bank, 9, 400, 'EUR', 2),
        record(ledger, 1, 4000, 'JPY', 0),
      ])
      .execute();
    const jobId = await insertCompletedJob(db, projectId, 'fx', [bank, ledger], new Date());
    await attachEmptyResults(db, jobId, 0);
    const match = (
      id: number,
      tier: 'auto' | 'suggested' | 'manual',
      status: 'confirmed' | 'suggested' | 'rejected',
      left: number[],
      amount: number,
      currency: string | null,
      scale: number | null,
    ) => ({
      job_id: jobId,
      run_no: 0,
      match_id: id,
      pass_index: 0,
      pass_name: 'exact',
      kind: 'one_to_one',
      score: 1,
      tier,
      status,
      left_rows: `{${left.join(',')}}`,
      // Counterparts do not matter to the amounts (left side); one right record each.
      right_rows: `{${String(100 + id)}}`,
      left_amount: amount,
      right_amount: amount,
      currency,
      scale,
      explanation: '{}',
    });
    await db
      .insertInto('recon_matches')
      .values([
        match(1, 'auto', 'confirmed', [1], 1000, 'EUR', 2),
        match(2, 'auto', 'confirmed', [2], 2500, 'EUR', 2),
        match(3, 'auto', 'confirmed', [3], 300, 'JPY', 0),
        match(4, 'manual', 'confirmed', [4], 5000, 'JPY', 0),
        // 7.00 EUR and 3.00 USD on the left (one scale, two currencies): 1000 cents of nothing.
        match(5, 'auto', 'confirmed', [5, 6], 1000, null, 2),
        match(6, 'suggested', 'suggested', [9], 400, 'EUR', 2),
        // One currency but two scales (the writer leaves the scale null): not summable either.
        match(7, 'suggested', 'suggested', [9], 400, 'EUR', null),
        match(8, 'suggested', 'rejected', [8], 90, 'JPY', 0),
      ])
      .execute();
    const open = (side: 'left' | 'right', rowNo: number, amount: number) => ({
      job_id: jobId,
      run_no: 0,
      side,
      row_no: rowNo,
      reason: 'no candidate',
      amount_minor: amount,
    });
    await db
      .insertInto('recon_exceptions')
      .values([open('left', 7, 1200), open('left', 8, 90), open('right', 1, 4000)])
      .execute();

    const expected: Outcomes = {
      matched: 5,
      matched_amounts: [
        { currency: 'EUR', scale: 2, count: 2, amount: '3500' },
        { currency: 'JPY', scale: 0, count: 2, amount: '5300' },
      ],
      matched_mixed_currency: 1,
      suggested: 2,
      suggested_amounts: [{ currency: 'EUR', scale: 2, count: 1, amount: '400' }],
      suggested_mixed_currency: 1,
      unmatched: 3,
      unmatched_amounts: [
        { currency: 'EUR', scale: 2, count: 1, amount: '1200' },
        { currency: 'JPY', scale: 0, count: 2, amount: '4090' },
      ],
      // 11 records in confirmed matches (9 automatic) of 11 + 4 suggested + 3 open.
      match_rate: 0.6111,
      auto_match_rate: 0.8182,
    };
    const dashboard = await get('/api/analytics/dashboard', cashier);
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    expect(dashboard.json<DashboardBody>().outcomes).toEqual(expected);
    const project = await get(`/api/analytics/projects/${projectId}`, cashier);
    expect(project.json<{ outcomes: Outcomes }>().outcomes).toEqual(expected);

    // A later job carried the EUR exception forward: it is that later job's to count, not this one's too.
    await sql`INSERT INTO recon_carried_records (data_source_id, row_no, side, from_job_id, from_row_no,
        origin_job_id, origin_data_source_id, origin_row_no, first_seen_at)
      VALUES (${ledger}, 1000, 'left', ${jobId}, 7, ${jobId}, ${bank}, 7, now())`.execute(db);
    // Any write through the API drops the cached analytics; this one only serves that purpose.
    const write = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: cashier.headers,
      payload: { name: 'cache buster' },
    });
    expect(write.statusCode).toBe(201);
    const carried = await get(`/api/analytics/projects/${projectId}`, cashier);
    expect(carried.json<{ outcomes: Outcomes }>().outcomes).toMatchObject({
      unmatched: 2,
      unmatched_amounts: [{ currency: 'JPY', scale: 0, count: 2, amount: '4090' }],
    });
  });

  it('documents the outcome amounts per currency in the generated OpenAPI', async () => {
    const properties = await getResponseProperties(ctx.app, '/api/analytics/dashboard');
    const outcomes = properties.outcomes?.properties ?? {};
    expect(Object.keys(outcomes)).not.toContain('matched_amount');
    expect(outcomes.matched_amounts?.type).toBe('array');
    expect(Object.keys(outcomes.unmatched_amounts?.items?.properties ?? {})).toEqual([
      'currency',
      'scale',
      'count',
      'amount',
    ]);
    expect(outcomes.matched_mixed_currency?.type).toBe('integer');
  });
});
