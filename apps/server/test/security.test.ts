import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PAYLOADS, PATH_TRAVERSAL, SQL_INJECTION } from './fixtures/security/payloads';
import { createTestApp, loginAdmin, type Session, type TestContext } from './support/test-app';

describe('security headers and CORS', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(() => ctx.close());

  it('sends CSP, HSTS, nosniff, frame denial and a referrer policy on API responses', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('sends the same headers on error responses and on the Swagger UI', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: '/no/such/route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-frame-options']).toBe('DENY');
    const docs = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain("default-src 'self'");
    // Swagger UI loads its scripts from the same origin, so the strict script-src does not break it.
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('allows an origin on the allow-list with credentials and never answers with a wildcard', async () => {
    const preflight = await ctx.app.inject({
      method: 'OPTIONS',
      url: '/api/projects',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
  });

  it('compresses large responses with brotli or gzip and leaves small ones alone', async () => {
    const plain = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    for (const encoding of ['br', 'gzip'] as const) {
      const response = await ctx.app.inject({
        method: 'GET',
        url: '/openapi.json',
        headers: { 'accept-encoding': encoding },
      });
      expect(response.headers['content-encoding']).toBe(encoding);
      const body =
        encoding === 'br' ? brotliDecompressSync(response.rawPayload) : gunzipSync(response.rawPayload);
      expect(body.toString('utf8')).toBe(plain.body);
      expect(response.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    }
    const small = await ctx.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('gives no CORS grant to an origin that is not on the allow-list', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { origin: 'https://evil.example.net' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('injection corpus', () => {
  let ctx: TestContext;
  let admin: Session;
  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await loginAdmin(ctx.app);
  });
  afterAll(() => ctx.close());

  it('stores and returns hostile project names and descriptions byte for byte', async () => {
    for (const payload of ALL_PAYLOADS) {
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: admin.headers,
        payload: { name: payload, description: `${payload} / ${payload}` },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/json/);
      const id = created.json<{ id: string }>().id;
      const read = await ctx.app.inject({
        method: 'GET',
        url: `/api/projects/${id}`,
        headers: admin.headers,
      });
      expect(read.json()).toMatchObject({ name: payload, description: `${payload} / ${payload}` });
      const patched = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/projects/${id}`,
        headers: admin.headers,
        payload: { name: `${payload}!` },
      });
      expect(patched.json()).toMatchObject({ name: `${payload}!` });
    }
    // The tables the SQL payloads name are all still there.
    const tables = await ctx.db.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(tables.n)).toBe(ALL_PAYLOADS.length);
    const users = await ctx.app.inject({ method: 'GET', url: '/api/users', headers: admin.headers });
    expect(users.statusCode).toBe(200);
  });

  it('stores hostile user names inertly and answers emails with quotes by validation or exact storage', async () => {
    for (const [index, payload] of ALL_PAYLOADS.entries()) {
      const created = await ctx.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { email: `user${index}@example.com`, name: payload, password: 'correct horse battery' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ id: string }>().id;
      const read = await ctx.app.inject({ method: 'GET', url: `/api/users/${id}`, headers: admin.headers });
      expect(read.json()).toMatchObject({ name: payload });
    }
    for (const payload of SQL_INJECTION) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { email: `${payload}@example.com`, name: 'x', password: 'correct horse battery' },
      });
      expect([201, 400], response.body).toContain(response.statusCode);
      if (response.statusCode === 201)
        expect(response.json<{ email: string }>().email).toBe(`${payload}@example.com`.toLowerCase());
    }
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: "admin@example.com' OR '1'='1", password: "' OR '1'='1" },
    });
    expect([400, 401]).toContain(login.statusCode);
  });

  it('answers hostile path ids and query values with 4xx problems, never 500 or a file', async () => {
    const targets = ['/api/projects/', '/api/users/', '/api/reconciliation/jobs/', '/api/data-sources/'];
    for (const payload of [...SQL_INJECTION, ...PATH_TRAVERSAL]) {
      for (const prefix of targets) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `${prefix}${encodeURIComponent(payload)}`,
          headers: admin.headers,
        });
        expect(response.statusCode, `${prefix}${payload}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${prefix}${payload}`).toBeLessThan(500);
        expect(response.body).not.toContain('root:');
      }
      const listed = await ctx.app.inject({
        method: 'GET',
        url: `/api/users?limit=${encodeURIComponent(payload)}`,
        headers: admin.headers,
      });
      expect(listed.statusCode).toBe(400);
      const jobs = await ctx.app.inject({
        method: 'GET',
        url: `/api/reconciliation/jobs?project_id=${encodeURIComponent(payload)}`,
        headers: admin.headers,
      });
      expect(jobs.statusCode).toBeLessThan(500);
    }
  });

  it('does not follow raw traversal sequences in URLs', async () => {
    for (const url of [
      '/docs/../../../../etc/passwd',
      '/docs/static/..%2f..%2f..%2fetc%2fpasswd',
      '/../etc/passwd',
    ]) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body).not.toContain('root:');
    }
  });
});
