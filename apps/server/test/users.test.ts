import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  createTestApp,
  createUserAndLogin,
  expectProblem,
  loginAdmin,
  type Session,
  type TestContext,
} from './support/test-app';

let ctx: TestContext;
let admin: Session;
let plain: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await loginAdmin(ctx.app);
  plain = await createUserAndLogin(ctx.app, admin, 'plain@example.com');
});
afterAll(async () => {
  await ctx.close();
});

describe('user administration', () => {
  it('lists users for admins', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/users?limit=10',
      headers: admin.headers,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: { email: string }[]; total: number }>();
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.items.map((user) => user.email)).toContain('plain@example.com');
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('answers 400 for a bad page size', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/users?limit=0',
      headers: admin.headers,
    });
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors[0]).toMatchObject({ in: 'querystring', field: 'limit' });
  });

  it('answers 401 without credentials and 403 for non-admins on every user route', async () => {
    const routes = [
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', `/api/users/${plain.userId}`],
      ['PATCH', `/api/users/${plain.userId}`],
      ['DELETE', `/api/users/${plain.userId}`],
    ] as const;
    for (const [method, url] of routes) {
      expectProblem(await ctx.app.inject({ method, url, payload: {} }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await ctx.app.inject({ method, url, headers: plain.headers, payload: {} }),
        403,
        'FORBIDDEN',
      );
    }
  });

  it('creates a user, refusing duplicates (409) and invalid bodies (400)', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'Created@Example.com', name: 'Created', password: TEST_PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'created@example.com', role: 'user', status: 'active' });
    const duplicate = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'created@example.com', name: 'Again', password: TEST_PASSWORD },
    });
    expectProblem(duplicate, 409, 'EMAIL_TAKEN');
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'x@example.com', name: 'X', password: 'short', role: 'superuser' },
    });
    const problem = expectProblem(invalid, 400, 'VALIDATION_FAILED');
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['password', 'role']);
  });

  it('gets a user, 404 for an unknown id and 400 for a malformed one', async () => {
    const found = await ctx.app.inject({
      method: 'GET',
      url: `/api/users/${plain.userId}`,
      headers: admin.headers,
    });
    expect(found.json()).toMatchObject({ email: 'plain@example.com' });
    const missing = await ctx.app.inject({
      method: 'GET',
      url: '/api/users/00000000-0000-4000-8000-000000000000',
      headers: admin.headers,
    });
    expectProblem(missing, 404, 'USER_NOT_FOUND');
    const malformed = await ctx.app.inject({
      method: 'GET',
      url: '/api/users/not-a-uuid',
      headers: admin.headers,
    });
    expect(expectProblem(malformed, 400, 'VALIDATION_FAILED').errors[0]).toMatchObject({
      in: 'params',
      field: 'id',
    });
  });

  it('promotes a user to admin', async () => {
    const user = await createUserAndLogin(ctx.app, admin, 'promoted@example.com');
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.userId}`,
      headers: admin.headers,
      payload: { role: 'admin' },
    });
    expect(response.json()).toMatchObject({ role: 'admin' });
    const list = await ctx.app.inject({ method: 'GET', url: '/api/users', headers: user.headers });
    expect(list.statusCode).toBe(200);
  });

  it('disabling a user revokes its sessions at once', async () => {
    const user = await createUserAndLogin(ctx.app, admin, 'to-disable@example.com');
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.userId}`,
      headers: admin.headers,
      payload: { status: 'disabled' },
    });
    expect(response.json()).toMatchObject({ status: 'disabled' });
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers }),
      403,
      'ACCOUNT_DISABLED',
    );
    const refresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('refuses an empty update (400) and an admin changing its own role or status (409)', async () => {
    const empty = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${plain.userId}`,
      headers: admin.headers,
      payload: {},
    });
    expectProblem(empty, 400, 'VALIDATION_FAILED');
    const self = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.userId}`,
      headers: admin.headers,
      payload: { status: 'disabled' },
    });
    expectProblem(self, 409, 'CANNOT_CHANGE_SELF');
  });

  it('deletes a user, but not one who is the only owner of a project', async () => {
    const owner = await createUserAndLogin(ctx.app, admin, 'sole-owner@example.com');
    await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: owner.headers,
      payload: { name: 'Mine' },
    });
    const refused = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${owner.userId}`,
      headers: admin.headers,
    });
    expectProblem(refused, 409, 'LAST_OWNER');

    const leaving = await createUserAndLogin(ctx.app, admin, 'leaving@example.com');
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${leaving.userId}`,
      headers: admin.headers,
    });
    expect(deleted.statusCode).toBe(200);
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: leaving.headers }),
      401,
      'INVALID_TOKEN',
    );
    const again = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/users/${leaving.userId}`,
      headers: admin.headers,
    });
    expectProblem(again, 404, 'USER_NOT_FOUND');
  });
});

describe('API keys', () => {
  it('creates a key shown once, lists it by prefix, and authenticates with it', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/api-keys',
      headers: plain.headers,
      payload: { name: 'ci', expires_in_days: 30 },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json<{ id: string; key: string; prefix: string; expires_at: string }>();
    expect(key.key).toMatch(/^rk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect(key.expires_at).not.toBeNull();

    const list = await ctx.app.inject({ method: 'GET', url: '/api/auth/api-keys', headers: plain.headers });
    expect(list.body).not.toContain(key.key);
    expect(list.json<{ items: { prefix: string }[] }>().items.map((item) => item.prefix)).toContain(
      key.prefix,
    );

    const viaBearer = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(viaBearer.json()).toMatchObject({ auth_method: 'api_key', user: { email: 'plain@example.com' } });
    const viaHeader = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-api-key': key.key },
    });
    expect(viaHeader.statusCode).toBe(200);
    // A key acts with its owner's rights, no more.
    const adminOnly = await ctx.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { 'x-api-key': key.key },
    });
    expectProblem(adminOnly, 403, 'FORBIDDEN');
  });

  it('revokes a key; it stops working; others cannot revoke it', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/api-keys',
      headers: plain.headers,
      payload: { name: 'temp' },
    });
    const key = created.json<{ id: string; key: string }>();
    const foreign = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/auth/api-keys/${key.id}`,
      headers: admin.headers,
    });
    expectProblem(foreign, 404, 'API_KEY_NOT_FOUND');
    const revoked = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/auth/api-keys/${key.id}`,
      headers: plain.headers,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revoked_at: string | null }>().revoked_at).not.toBeNull();
    const use = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-api-key': key.key },
    });
    expectProblem(use, 401, 'INVALID_TOKEN');
  });

  it('validates key creation and requires authentication', async () => {
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/api-keys',
      headers: plain.headers,
      payload: { name: '', expires_in_days: 0 },
    });
    expect(expectProblem(invalid, 400, 'VALIDATION_FAILED').errors).toHaveLength(2);
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/auth/api-keys' }), 401, 'UNAUTHENTICATED');
    const bogus = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'x-api-key': 'rk_00000000_nope' },
    });
    expectProblem(bogus, 401, 'INVALID_TOKEN');
  });
});
