import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  createUserAndLogin,
  expectProblem,
  login,
  loginAdmin,
  type TestContext,
} from './support/test-app';

// Each test uses its own client address so counters never leak between tests (or runs sharing Redis).
function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

const LIMITS = { RATE_LIMIT_MAX: '3', RATE_LIMIT_USER_MAX: '4', RATE_LIMIT_AUTH_MAX: '2' };

describe.each<{ store: string; env: Record<string, string> }>([
  { store: 'memory', env: {} },
  ...(process.env.REDIS_URL ? [{ store: 'redis', env: { REDIS_URL: process.env.REDIS_URL } }] : []),
])('rate limits with the $store store', ({ env }) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ ...LIMITS, ...env });
  });
  afterAll(() => ctx.close());

  it('answers 429 problem+json with Retry-After once an anonymous IP spends its budget', async () => {
    const ip = randomIp();
    for (let index = 0; index < 3; index += 1) {
      const ok = await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: ip });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - index));
    }
    const limited = await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: ip });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const otherIp = await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: randomIp() });
    expect(otherIp.statusCode).toBe(200);
  });

  it('limits login attempts per IP more strictly, apart from the general budget', async () => {
    const ip = randomIp();
    for (let index = 0; index < 2; index += 1) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        payload: { email: 'nobody@example.com', password: 'wrong password 1' },
      });
      expect(response.statusCode).toBe(401);
    }
    const limited = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expectProblem(limited, 429, 'RATE_LIMITED');
    const other = await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: ip });
    expect(other.statusCode).toBe(200);
  });

  it('counts authenticated requests per user, so one user cannot use up a shared IP', async () => {
    const admin = await login(ctx.app, ADMIN_EMAIL, ADMIN_PASSWORD, randomIp());
    const ip = randomIp();
    // Logins from 127.0.0.1 share one counter with every other test file using the same Redis.
    const user = await createUserAndLogin(
      ctx.app,
      admin,
      `u${randomInt(1e9)}@example.com`,
      'user',
      randomIp(),
    );
    for (let index = 0; index < 4; index += 1) {
      const ok = await ctx.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: user.headers,
        remoteAddress: ip,
      });
      expect(ok.statusCode).toBe(200);
    }
    const limited = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: user.headers,
      remoteAddress: ip,
    });
    expectProblem(limited, 429, 'RATE_LIMITED');
    const adminFromSameIp = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: admin.headers,
      remoteAddress: ip,
    });
    expect(adminFromSameIp.statusCode).toBe(200);
  });

  it('counts failed Bearer tokens and API keys per IP and answers 429 with Retry-After past the budget', async () => {
    const ip = randomIp();
    const admin = await login(ctx.app, ADMIN_EMAIL, ADMIN_PASSWORD, randomIp());
    const badToken = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer not-a-valid-token' },
      remoteAddress: ip,
    });
    expectProblem(badToken, 401, 'INVALID_TOKEN');
    const badKey = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: { 'x-api-key': 'recon_guessed-key' },
      remoteAddress: ip,
    });
    expect(badKey.statusCode).toBe(401);

    const limited = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer another-guess' },
      remoteAddress: ip,
    });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Refused before the credential is checked, so a guess that happens to be right teaches nothing.
    const validFromSameIp = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: admin.headers,
      remoteAddress: ip,
    });
    expectProblem(validFromSameIp, 429, 'RATE_LIMITED');
    const validElsewhere = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: admin.headers,
      remoteAddress: randomIp(),
    });
    expect(validElsewhere.statusCode).toBe(200);
    const anonymousFromSameIp = await ctx.app.inject({
      method: 'GET',
      url: '/api/auth/csrf',
      remoteAddress: ip,
    });
    expect(anonymousFromSameIp.statusCode).toBe(200);
  });

  it('never limits the health probes', async () => {
    const ip = randomIp();
    for (let index = 0; index < 6; index += 1) {
      const response = await ctx.app.inject({ method: 'GET', url: '/health/live', remoteAddress: ip });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe.runIf(process.env.REDIS_URL)('rate limits shared through Redis', () => {
  let first: TestContext;
  let second: TestContext;
  beforeAll(async () => {
    const env = { ...LIMITS, REDIS_URL: process.env.REDIS_URL ?? '' };
    first = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('holds one budget across two instances', async () => {
    const ip = randomIp();
    const apps = [first.app, second.app, first.app];
    for (const app of apps) {
      const ok = await app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: ip });
      expect(ok.statusCode).toBe(200);
    }
    const limited = await second.app.inject({ method: 'GET', url: '/api/auth/csrf', remoteAddress: ip });
    expectProblem(limited, 429, 'RATE_LIMITED');
  });

  it('holds one failed-authentication budget across two instances', async () => {
    const ip = randomIp();
    const guess = (app: TestContext['app']) =>
      app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: 'Bearer guessed' },
        remoteAddress: ip,
      });
    expect((await guess(first.app)).statusCode).toBe(401);
    expect((await guess(second.app)).statusCode).toBe(401);
    expectProblem(await guess(first.app), 429, 'RATE_LIMITED');
  });
});

describe('rate limits can be switched off', () => {
  it('lets every request through when RATE_LIMIT_ENABLED=false', async () => {
    const ctx = await createTestApp({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_MAX: '1' });
    try {
      const admin = await loginAdmin(ctx.app);
      for (let index = 0; index < 3; index += 1) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: '/api/auth/csrf',
          headers: admin.headers,
        });
        expect(response.statusCode).toBe(200);
      }
    } finally {
      await ctx.close();
    }
  });
});
