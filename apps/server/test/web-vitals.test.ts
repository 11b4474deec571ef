import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { errorsPlugin } from '../src/plugins/errors.plugin';
import { securityPlugin } from '../src/plugins/security.plugin';
import { webAppPlugin } from '../src/plugins/web-app.plugin';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { ADMIN_EMAIL, ADMIN_PASSWORD, expectProblem, testConfig } from './support/test-app';

/** The value of one sample line (`name{labels} value`), or 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair)) && present.length === wanted.length)
      return Number(match[3]);
  }
  return 0;
}

/** What `navigator.sendBeacon(url, JSON.stringify(body))` sends. */
function beacon(body: unknown, headers: Record<string, string> = {}) {
  return {
    method: 'POST' as const,
    url: '/api/web-vitals',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-site': 'same-origin', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('POST /api/web-vitals', () => {
  let db: TestDatabase;
  let app: App;
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig();
    await ensureFirstAdmin(db.db, config);
    app = await buildApp(config, { db: db.db, pool: db.pool });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('counts a beacon in the LCP, INP and CLS histograms of its route, in seconds', async () => {
    const route = '/projects/:projectId/jobs';
    const before = await scrape();
    const response = await app.inject(
      beacon({
        route,
        metrics: [
          { name: 'LCP', id: 'v5-1-1', value: 1800 },
          { name: 'INP', id: 'v5-1-2', value: 120 },
          { name: 'CLS', id: 'v5-1-3', value: 0.04 },
        ],
      }),
    );
    expect(response.statusCode, response.body).toBe(204);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('web_vitals_lcp_seconds_count', { route })).toBe(1);
    expect(delta('web_vitals_lcp_seconds_sum', { route })).toBeCloseTo(1.8, 6);
    // 1.8 s falls in the 2 s bucket and not in the 1.5 s one.
    expect(delta('web_vitals_lcp_seconds_bucket', { le: '2', route })).toBe(1);
    expect(delta('web_vitals_lcp_seconds_bucket', { le: '1.5', route })).toBe(0);
    expect(delta('web_vitals_inp_seconds_sum', { route })).toBeCloseTo(0.12, 6);
    expect(delta('web_vitals_cls_count', { route })).toBe(1);
    expect(delta('web_vitals_cls_sum', { route })).toBeCloseTo(0.04, 6);
  });

  it('accepts a JSON body too, and a session cookie without a CSRF token (the route reads no cookie)', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    const access = login.cookies.find((cookie) => cookie.name === 'recon_access')?.value ?? '';
    expect(access).not.toBe('');
    const before = sample(await scrape(), 'web_vitals_cls_count', { route: '/dashboard' });
    const response = await app.inject({
      ...beacon({ route: '/dashboard', metrics: [{ name: 'CLS', id: 'v5-2-1', value: 0 }] }),
      headers: { 'content-type': 'application/json' },
      cookies: { recon_access: access },
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(sample(await scrape(), 'web_vitals_cls_count', { route: '/dashboard' })).toBe(before + 1);
  });

  it('answers 400 for a body that is not a report and counts nothing', async () => {
    const before = await scrape();
    expectProblem(await app.inject(beacon('{"route": "/dashboard", ')), 400, 'BAD_REQUEST');
    expectProblem(await app.inject(beacon({ route: '/dashboard', metrics: [] })), 400, 'VALIDATION_FAILED');
    // Out of bounds: a negative paint, an hour-long interaction, a shift of 50.
    for (const metric of [
      { name: 'LCP', id: 'a', value: -1 },
      { name: 'INP', id: 'a', value: 3_600_000 },
      { name: 'CLS', id: 'a', value: 50 },
      { name: 'TTFB', id: 'a', value: 100 },
    ])
      expectProblem(
        await app.inject(beacon({ route: '/dashboard', metrics: [metric] })),
        400,
        'VALIDATION_FAILED',
      );
    expectProblem(
      await app.inject(
        beacon({ route: '/dashboard', metrics: [{ name: 'CLS', id: 'a', value: 0 }], user: 'x' }),
      ),
      400,
      'VALIDATION_FAILED',
    );
    const after = await scrape();
    expect(sample(after, 'web_vitals_cls_count', { route: '/dashboard' })).toBe(
      sample(before, 'web_vitals_cls_count', { route: '/dashboard' }),
    );
  });

  it('refuses a body larger than a beacon with 413', async () => {
    const metrics = Array.from({ length: 10 }, (_, index) => ({
      name: 'CLS',
      id: `v5-${String(index)}-${'x'.repeat(600)}`,
      value: 0,
    }));
    const response = await app.inject(beacon({ route: '/dashboard', metrics }));
    expect(response.statusCode).toBe(413);
  });

  it('never takes the route label from arbitrary input', async () => {
    const raw = '/projects/6f1d1c1e-0000-4000-8000-000000000000/jobs';
    const response = await app.inject(
      beacon({ route: raw, metrics: [{ name: 'LCP', id: 'v5-3-1', value: 900 }] }),
    );
    expectProblem(response, 400, 'VALIDATION_FAILED');
    const text = await scrape();
    expect(text).not.toContain('6f1d1c1e');
    const routes = new Set(
      [...text.matchAll(/^web_vitals_\w+\{.*route="([^"]*)"/gm)].map((match) => match[1] ?? ''),
    );
    expect([...routes].every((route) => route === 'other' || route.startsWith('/'))).toBe(true);
    expect(routes.has(raw)).toBe(false);
  });

  it('refuses a beacon a browser marks as cross-site', async () => {
    const body = { route: '/dashboard', metrics: [{ name: 'CLS', id: 'v5-4-1', value: 0.2 }] };
    expectProblem(await app.inject(beacon(body, { 'sec-fetch-site': 'cross-site' })), 403, 'FORBIDDEN');
    // Programs (no Sec-Fetch-Site) may report.
    const { 'sec-fetch-site': _site, ...headers } = beacon(body).headers;
    expect((await app.inject({ ...beacon(body), headers })).statusCode).toBe(204);
  });

  it('is rate-limited per address like every other route', async () => {
    const limited = await buildApp(testConfig({ RATE_LIMIT_MAX: '3' }), { db: db.db });
    try {
      await limited.ready();
      const body = { route: '/sign-in', metrics: [{ name: 'CLS', id: 'v5-5-1', value: 0 }] };
      const statuses: number[] = [];
      for (let index = 0; index < 4; index += 1)
        statuses.push((await limited.inject({ ...beacon(body), remoteAddress: '10.9.8.7' })).statusCode);
      expect(statuses).toEqual([204, 204, 204, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('the service worker as the server serves it', () => {
  const root = mkdtempSync(join(tmpdir(), 'recon-web-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1);');
    await app.register(errorsPlugin);
    await app.register(securityPlugin);
    await app.register(webAppPlugin, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves sw.js revalidated on every check, with the root scope allowed', async () => {
    const response = await app.inject({ method: 'GET', url: '/sw.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['service-worker-allowed']).toBe('/');
    // Hashed assets stay immutable; the worker is the one file that must not be.
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['service-worker-allowed']).toBeUndefined();
  });

  it('allows same-origin workers in the CSP and nothing wider', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("worker-src 'self'");
    expect(csp).not.toMatch(/worker-src[^;]*(blob:|data:|\*)/);
  });
});
