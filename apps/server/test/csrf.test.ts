import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  expectProblem,
  type TestContext,
} from './support/test-app';

function cookieOf(setCookie: string | string[] | undefined, name: string): string {
  const line = [setCookie ?? []].flat().find((cookie) => cookie.startsWith(`${name}=`));
  const value = line?.split(';')[0]?.slice(name.length + 1);
  if (value === undefined || value === '') throw new Error(`no ${name} cookie`);
  return value;
}

describe('CSRF protection', () => {
  let ctx: TestContext;
  let access: string;
  let bearer: { authorization: string };
  beforeAll(async () => {
    ctx = await createTestApp();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    access = cookieOf(response.headers['set-cookie'], 'recon_access');
    bearer = { authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` };
  });
  afterAll(() => ctx.close());

  it('refuses a cookie-authenticated state change without a token', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      cookies: { recon_access: access },
      payload: { name: 'no token' },
    });
    expectProblem(response, 403, 'CSRF_TOKEN_INVALID');
  });

  it('accepts it with the token from GET /api/auth/csrf, and refuses a forged token', async () => {
    const issued = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/csrf',
      cookies: { recon_access: access },
    });
    expect(issued.statusCode).toBe(200);
    const token = issued.json<{ csrf_token: string }>().csrf_token;
    const secret = cookieOf(issued.headers['set-cookie'], 'recon_csrf');
    expect([issued.headers['set-cookie']].flat().join('\n')).toMatch(
      /recon_csrf=.*HttpOnly.*SameSite=Strict/,
    );
    const accepted = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      cookies: { recon_access: access, recon_csrf: secret },
      headers: { 'x-csrf-token': token },
      payload: { name: 'with token' },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      cookies: { recon_access: access, recon_csrf: secret },
      headers: { 'x-csrf-token': `${token.slice(0, -2)}xx` },
      payload: { name: 'forged' },
    });
    expectProblem(forged, 403, 'CSRF_TOKEN_INVALID');
    // A token without its secret cookie (another browser's token) is refused too.
    const noSecret = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      cookies: { recon_access: access },
      headers: { 'x-csrf-token': token },
      payload: { name: 'no secret' },
    });
    expectProblem(noSecret, 403, 'CSRF_TOKEN_INVALID');
  });

  it('does not ask for a token on reads, bearer requests or API-key requests', async () => {
    const read = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects',
      cookies: { recon_access: access },
    });
    expect(read.statusCode).toBe(200);
    const withBearer = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer,
      payload: { name: 'bearer' },
    });
    expect(withBearer.statusCode).toBe(201);
    const key = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/api-keys',
      headers: bearer,
      payload: { name: 'ci' },
    });
    expect(key.statusCode, key.body).toBe(201);
    const apiKey = key.json<{ key: string }>().key;
    const withKey = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { 'x-api-key': apiKey },
      // A stale browser cookie next to the key does not make it a cookie request.
      cookies: { recon_access: access },
      payload: { name: 'api key' },
    });
    expect(withKey.statusCode, withKey.body).toBe(201);
  });
});
