import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { metrics } from '../src/observability/platform-metrics';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { createUserAndLogin, expectProblem, loginAdmin, testConfig, type Session } from './support/test-app';

const TOKEN = 'metrics-token-0123456789';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = (match[3] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[4]);
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  let db: TestDatabase;
  let app: App;
  let admin: Session;
  const scrape = async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({ METRICS_TOKEN: TOKEN });
    await ensureFirstAdmin(db.db, config);
    app = await buildApp(config, { db: db.db, pool: db.pool });
    await app.ready();
    admin = await loginAdmin(app);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('refuses a scrape without the token', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/metrics' }), 401, 'UNAUTHENTICATED');
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expectProblem(wrong, 401, 'UNAUTHENTICATED');
  });

  it('counts requests by route pattern, not raw URL, and observes their duration', async () => {
    const labels = { method: 'GET', route: '/api/projects/:id', status: '404' };
    const before = sample(await scrape(), 'recon_http_requests_total', labels) ?? 0;
    for (const id of ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']) {
      await app.inject({ method: 'GET', url: `/api/projects/${id}`, headers: admin.headers });
    }
    const text = await scrape();
    expect(sample(text, 'recon_http_requests_total', labels)).toBe(before + 2);
    expect(sample(text, 'recon_http_request_duration_seconds_count', labels)).toBe(before + 2);
    expect(text).not.toContain('00000000-0000-4000-8000-000000000001');
    await app.inject({ method: 'GET', url: '/no/such/thing/123' });
    expect(await scrape()).toContain('route="(unmatched)"');
  });

  it('exposes pool, job, queue, cache, WebSocket, process, event-loop and disk families', async () => {
    metrics.cacheLookup('memory', true);
    metrics.recordsProcessed('ingest', 5);
    const done = metrics.jobStarted('reconcile');
    let text = await scrape();
    expect(sample(text, 'recon_jobs_active', { kind: 'reconcile' })).toBeGreaterThanOrEqual(1);
    done('completed');
    text = await scrape();
    expect(
      sample(text, 'recon_jobs_finished_total', { kind: 'reconcile', status: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'recon_job_duration_seconds_count', { kind: 'reconcile', status: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'recon_records_processed_total', { kind: 'ingest' })).toBeGreaterThanOrEqual(5);
    expect(
      sample(text, 'recon_cache_requests_total', { level: 'memory', result: 'hit' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'recon_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'recon_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'recon_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'recon_websocket_connections')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'recon_data_dir_free_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('reports jobs by status from the database', async () => {
    const project = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: admin.headers,
      payload: { name: 'm' },
    });
    const projectId = project.json<{ id: string }>().id;
    const before = sample(await scrape(), 'recon_jobs', { status: 'failed' }) ?? 0;
    const source = await db.db
      .insertInto('data_sources')
      .values({
        project_id: projectId,
        name: 'a.csv',
        source_key: 'a',
        storage_key: 'k1',
        size_bytes: 1,
        sha256: 'x'.repeat(64),
        format: 'csv',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.db
      .insertInto('recon_jobs')
      .values({
        project_id: projectId,
        name: 'j',
        source_data_source_id: source.id,
        target_data_source_id: source.id,
        rules: '{}',
        status: 'failed',
      })
      .execute();
    expect(sample(await scrape(), 'recon_jobs', { status: 'failed' })).toBe(before + 1);
  });

  it('serves the JSON view with percentiles and rates to admins only', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/system/metrics', headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      http: { requests: number; request_rate_per_second: number; latency_ms: { p50: number; p99: number } };
      db_pool: { total: number };
      jobs: { by_status: Record<string, number>; queue_depth: number | null };
      uptime_seconds: number;
      prometheus: { name: string }[];
    }>();
    expect(body.http.requests).toBeGreaterThan(0);
    expect(body.http.request_rate_per_second).toBeGreaterThan(0);
    expect(body.http.latency_ms.p99).toBeGreaterThanOrEqual(body.http.latency_ms.p50);
    expect(body.db_pool.total).toBeGreaterThanOrEqual(1);
    expect(body.jobs.by_status.failed).toBeGreaterThanOrEqual(1);
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(body.prometheus.map((family) => family.name)).toContain('recon_http_requests_total');
    const user = await createUserAndLogin(app, admin, 'plain@example.com');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/system/metrics', headers: user.headers }),
      403,
      'FORBIDDEN',
    );
  });
});
