import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  TEST_PASSWORD,
  createTestApp,
  createUserAndLogin,
  expectProblem,
  login,
  loginAdmin,
  type TestContext,
} from './support/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp({
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_IP: '6',
    LOGIN_LOCKOUT_SECONDS: '120',
  });
});
afterAll(async () => {
  await ctx.close();
});

function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  const found = all.find((cookie) => cookie.startsWith(`${name}=`));
  return found?.slice(name.length + 1).split(';')[0];
}

describe('POST /api/auth/login', () => {
  it('returns tokens and sets httpOnly SameSite cookies', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ token_type: string; expires_in: number; user: Record<string, unknown> }>();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);
    expect(body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', status: 'active' });
    expect(body.user).not.toHaveProperty('password_hash');
    const cookies = [response.headers['set-cookie']].flat().join('\n');
    expect(cookies).toMatch(/recon_access=[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/recon_access=.*SameSite=Lax/);
    expect(cookies).toMatch(/recon_refresh=[^;]+;.*Path=\/api\/auth.*HttpOnly.*SameSite=Strict/);
  });

  it('answers 401 INVALID_CREDENTIALS for a wrong password or unknown email', async () => {
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: 'wrong password!' },
      remoteAddress: '10.0.0.1',
    });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.com', password: 'whatever' },
      remoteAddress: '10.0.0.1',
    });
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
  });

  it('answers 400 with field errors for a malformed body', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'x', password: '' },
    });
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['email', 'password']);
  });

  it('locks an account after repeated failures, with Retry-After, even for the right password', async () => {
    const admin = await loginAdmin(ctx.app);
    await createUserAndLogin(ctx.app, admin, 'lockme@example.com');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'lockme@example.com', password: 'bad password' },
        remoteAddress: `10.1.0.${attempt}`,
      });
      expectProblem(response, 401, 'INVALID_CREDENTIALS');
    }
    const locked = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'lockme@example.com', password: TEST_PASSWORD },
      remoteAddress: '10.1.0.9',
    });
    expectProblem(locked, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(100);
    expect(retryAfter).toBeLessThanOrEqual(120);
  });

  it('throttles a client address that fails across many accounts', async () => {
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `spray${attempt}@example.com`, password: 'guess' },
        remoteAddress: '10.9.9.9',
      });
      expectProblem(response, 401, 'INVALID_CREDENTIALS');
    }
    const blocked = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      remoteAddress: '10.9.9.9',
    });
    expectProblem(blocked, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
    // Another address is unaffected.
    await login(ctx.app, ADMIN_EMAIL, ADMIN_PASSWORD, '10.9.9.10');
  });

  it('refuses a disabled account with 403', async () => {
    const admin = await loginAdmin(ctx.app);
    const user = await createUserAndLogin(ctx.app, admin, 'disabled-login@example.com');
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.userId}`,
      headers: admin.headers,
      payload: { status: 'disabled' },
    });
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'disabled-login@example.com', password: TEST_PASSWORD },
    });
    expectProblem(response, 403, 'ACCOUNT_DISABLED');
  });
});

describe('GET /api/auth/me', () => {
  it('answers 401 without credentials', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/auth/me' });
    expectProblem(response, 401, 'UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 for a forged or malformed token', async () => {
    const forged = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expectProblem(forged, 401, 'INVALID_TOKEN');
    const malformed = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Basic xyz' },
    });
    expectProblem(malformed, 401, 'INVALID_TOKEN');
  });

  it('accepts a bearer access token', async () => {
    const session = await loginAdmin(ctx.app);
    const response = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ auth_method: 'access_token', user: { email: ADMIN_EMAIL } });
  });

  it('accepts the session cookie', async () => {
    const loginResponse = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    const access = cookieValue(loginResponse.headers['set-cookie'], 'recon_access');
    expect(access).toBeDefined();
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      cookies: { recon_access: access ?? '' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ auth_method: 'cookie' });
  });
});

describe('refresh tokens', () => {
  it('rotates: the new token works and the old one no longer does', async () => {
    const session = await loginAdmin(ctx.app);
    const first = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: session.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json<{ refresh_token: string; access_token: string }>();
    expect(rotated.refresh_token).not.toBe(session.refreshToken);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${rotated.access_token}` },
    });
    expect(me.statusCode).toBe(200);
    const second = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: rotated.refresh_token },
    });
    expect(second.statusCode).toBe(200);
  });

  it('detects reuse of a rotated token and revokes the whole family', async () => {
    const session = await loginAdmin(ctx.app);
    const rotated = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: session.refreshToken },
    });
    const successor = rotated.json<{ refresh_token: string; access_token: string }>();
    const replay = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: session.refreshToken },
    });
    expectProblem(replay, 401, 'REFRESH_TOKEN_REUSED');
    // The legitimate successor is revoked too, and so are the family's access tokens.
    const afterReplay = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: successor.refresh_token },
    });
    expectProblem(afterReplay, 401, 'REFRESH_TOKEN_REUSED');
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${successor.access_token}` },
    });
    expectProblem(me, 401, 'INVALID_TOKEN');
    // Other sessions of the same user are untouched.
    const other = await loginAdmin(ctx.app);
    const otherMe = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: other.headers });
    expect(otherMe.statusCode).toBe(200);
  });

  it('reads the refresh token from the cookie', async () => {
    const loginResponse = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    const refresh = cookieValue(loginResponse.headers['set-cookie'], 'recon_refresh') ?? '';
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      cookies: { recon_refresh: refresh },
    });
    expect(response.statusCode).toBe(200);
    expect(cookieValue(response.headers['set-cookie'], 'recon_refresh')).not.toBe(refresh);
  });

  it('answers 401 for an unknown or missing refresh token', async () => {
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: 'nope' },
    });
    expectProblem(unknown, 401, 'REFRESH_TOKEN_INVALID');
    const missing = await ctx.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: {} });
    expectProblem(missing, 401, 'REFRESH_TOKEN_INVALID');
  });

  it('answers 400 for a refresh token of the wrong type', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: 42 },
    });
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors[0]?.field).toBe('refresh_token');
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session: refresh and access tokens stop working, cookies are cleared', async () => {
    const session = await loginAdmin(ctx.app);
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: { refresh_token: session.refreshToken },
    });
    expect(response.statusCode).toBe(200);
    expect([response.headers['set-cookie']].flat().join('\n')).toMatch(/recon_access=;/);
    const refresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers });
    expectProblem(me, 401, 'INVALID_TOKEN');
  });

  it('succeeds without a token', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', payload: {} });
    expect(response.statusCode).toBe(200);
  });
});

describe('POST /api/auth/register', () => {
  it('is refused with 403 unless registration is enabled', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'new@example.com', name: 'New', password: TEST_PASSWORD },
    });
    expectProblem(response, 403, 'REGISTRATION_DISABLED');
  });

  it('creates a user when enabled; duplicate 409; weak password 400', async () => {
    const open = await createTestApp({ ALLOW_REGISTRATION: 'true' });
    try {
      const created = await open.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'New@Example.com', name: 'New', password: TEST_PASSWORD },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ user: { email: 'new@example.com', role: 'user' } });
      const duplicate = await open.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'new@example.com', name: 'Again', password: TEST_PASSWORD },
      });
      expectProblem(duplicate, 409, 'EMAIL_TAKEN');
      const weak = await open.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'weak@example.com', name: 'Weak', password: 'short' },
      });
      const problem = expectProblem(weak, 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([expect.objectContaining({ in: 'body', field: 'password' })]);
    } finally {
      await open.close();
    }
  });
});

describe('own account', () => {
  it('changes its own name', async () => {
    const admin = await loginAdmin(ctx.app);
    const user = await createUserAndLogin(ctx.app, admin, 'renamer@example.com');
    const response = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { name: 'Renamed' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Renamed', email: 'renamer@example.com' });
    const invalid = await ctx.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { name: '' },
    });
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
    const anonymous = await ctx.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { name: 'x' } });
    expectProblem(anonymous, 401, 'UNAUTHENTICATED');
  });

  it('changes its own password, logging out its other sessions', async () => {
    const admin = await loginAdmin(ctx.app);
    const current = await createUserAndLogin(ctx.app, admin, 'passwd@example.com');
    const other = await login(ctx.app, 'passwd@example.com', TEST_PASSWORD);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/me/password',
      headers: current.headers,
      payload: { current_password: 'not it', new_password: 'a brand new password' },
    });
    expectProblem(wrong, 403, 'WRONG_PASSWORD');
    const weak = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/me/password',
      headers: current.headers,
      payload: { current_password: TEST_PASSWORD, new_password: 'aaaaaaaaaaaaaaaa' },
    });
    expectProblem(weak, 400, 'VALIDATION_FAILED');
    const changed = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/me/password',
      headers: current.headers,
      payload: { current_password: TEST_PASSWORD, new_password: 'a brand new password' },
    });
    expect(changed.statusCode).toBe(200);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: current.headers })).statusCode,
    ).toBe(200);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: other.headers })).statusCode,
    ).toBe(401);
    await login(ctx.app, 'passwd@example.com', 'a brand new password');
  });
});
