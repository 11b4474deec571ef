import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/app';
import { loadConfig, type ResolvedConfig } from '../../src/config';
import { ensureFirstAdmin } from '../../src/features/users/first-admin';
import { createTestDatabase, type TestDatabase } from './test-db';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-123';
export const TEST_PASSWORD = 'correct horse battery';

export interface TestContext {
  readonly app: App;
  readonly db: TestDatabase;
  readonly config: ResolvedConfig;
  close(): Promise<void>;
}

/** A config as the environment would give it, with test defaults. */
export function testConfig(env: Record<string, string> = {}): ResolvedConfig {
  const config = loadConfig(
    {
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      ...env,
    },
    [],
  );
  const jwtSecret = config.auth.jwtSecret ?? '';
  return { ...config, auth: { ...config.auth, jwtSecret } };
}

/** An app on its own fresh, migrated database with the first admin created. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const db = await createTestDatabase();
  const config = testConfig(env);
  await ensureFirstAdmin(db.db, config);
  const app = await buildApp(config, { db: db.db });
  await app.ready();
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly userId: string;
  readonly headers: { authorization: string };
}

/** Logs in through the API and returns bearer headers. */
export async function login(app: App, email: string, password: string, ip = '127.0.0.1'): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<{ access_token: string; refresh_token: string; user: { id: string } }>();
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    userId: body.user.id,
    headers: { authorization: `Bearer ${body.access_token}` },
  };
}

export function loginAdmin(app: App): Promise<Session> {
  return login(app, ADMIN_EMAIL, ADMIN_PASSWORD);
}

/** Creates a user through the admin API and logs it in. */
export async function createUserAndLogin(
  app: App,
  admin: Session,
  email: string,
  role: 'admin' | 'user' = 'user',
  ip?: string,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: admin.headers,
    payload: { email, name: email.split('@')[0], password: TEST_PASSWORD, role },
  });
  expect(response.statusCode, response.body).toBe(201);
  return login(app, email, TEST_PASSWORD, ip);
}

/** Asserts a problem+json response with the given status and code, and returns it. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<{
    code: string;
    status: number;
    request_id: string;
    errors: { in: string; field: string; message: string }[];
  }>();
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  return body;
}
