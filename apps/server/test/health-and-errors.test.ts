import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { createTestDatabase } from './support/test-db';
import { createTestApp, expectProblem, testConfig, type TestContext } from './support/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp({ BODY_LIMIT: '2048' });
});
afterAll(async () => {
  await ctx.close();
});

describe('health', () => {
  it('answers live', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database answers and migrations are applied', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('is not ready while migrations are pending', async () => {
    const empty = await createTestDatabase({ migrated: false });
    const app = await buildApp(testConfig(), { db: empty.db });
    try {
      const response = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        status: 'not_ready',
        checks: { database: 'ok', migrations: 'pending' },
      });
    } finally {
      await app.close();
      await empty.drop();
    }
  });

  it('is not ready when the database is gone', async () => {
    const doomed = await createTestDatabase();
    const app = await buildApp(testConfig(), { db: doomed.db });
    try {
      await doomed.drop();
      const response = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'not_ready', checks: { database: 'error' } });
      const live = await app.inject({ method: 'GET', url: '/health/live' });
      expect(live.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('errors', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expectProblem(response, 404, 'ROUTE_NOT_FOUND');
  });

  it('echoes a valid X-Request-Id and generates one otherwise', async () => {
    const given = await ctx.app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(given.headers['x-request-id']).toBe('trace-42');
    expect(given.json<{ request_id: string }>().request_id).toBe('trace-42');
    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'has spaces\u0000' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@example.com', password: 'x'.repeat(5000) },
    });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'hello',
    });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists every invalid field of a body', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'not-an-email' },
    });
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors.map((error) => `${error.in}:${error.field}`).sort()).toEqual([
      'body:email',
      'body:password',
    ]);
  });

  it('never leaks internals in a 5xx', async () => {
    const db = await createTestDatabase();
    const app = await buildApp(testConfig(), { db: db.db });
    app.get('/boom', () => {
      throw new Error('secret connection string postgres://user:pw@host');
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/boom' });
      const problem = expectProblem(response, 500, 'INTERNAL_ERROR');
      expect(response.body).not.toContain('secret');
      expect(response.body).not.toContain('postgres://');
      expect(problem).not.toHaveProperty('stack');
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

describe('API documentation', () => {
  it('serves OpenAPI generated from the route schemas', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/projects/{id}/members',
        '/api/users/{id}',
        '/health/ready',
      ]),
    );
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).not.toHaveLength(0);
      }
    }
    expect(doc.paths['/api/auth/login']?.post?.responses).toHaveProperty('429');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});
