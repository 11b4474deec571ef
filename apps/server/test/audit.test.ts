import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/features/audit/audit.service';
import {
  createTestApp,
  createUserAndLogin,
  expectProblem,
  loginAdmin,
  type Session,
  type TestContext,
} from './support/test-app';

let ctx: TestContext;
let admin: Session;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await loginAdmin(ctx.app);
  const user = await createUserAndLogin(ctx.app, admin, 'audited@example.com');
  const project = await ctx.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: user.headers,
    payload: { name: 'Audited' },
  });
  const projectId = project.json<{ id: string }>().id;
  await ctx.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/members`,
    headers: user.headers,
    payload: { user_id: admin.userId, role: 'viewer' },
  });
  await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/api-keys',
    headers: user.headers,
    payload: { name: 'k' },
  });
  await ctx.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'audited@example.com', password: 'wrong-password' },
  });
});
afterAll(async () => {
  await ctx.close();
});

/** Runs SQL as a superuser with triggers off, as an attacker with database access could. */
async function tamper(statement: ReturnType<typeof sql>) {
  await ctx.db.db.connection().execute(async (conn) => {
    await sql`SET session_replication_role = replica`.execute(conn);
    try {
      await statement.execute(conn);
    } finally {
      await sql`SET session_replication_role = origin`.execute(conn);
    }
  });
}

describe('audit log', () => {
  it('records auth, user, key, project and member changes with actor and request id', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/audit?limit=100',
      headers: admin.headers,
    });
    expect(response.statusCode).toBe(200);
    const items = response.json<{
      items: {
        action: string;
        actor_label: string;
        request_id: string | null;
        hash: string;
        prev_hash: string;
      }[];
    }>().items;
    const actions = items.map((item) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.bootstrap_admin',
        'auth.login',
        'user.created',
        'project.created',
        'member.added',
        'api_key.created',
        'auth.login_failed',
      ]),
    );
    const created = items.find((item) => item.action === 'project.created');
    expect(created).toMatchObject({ actor_label: 'audited@example.com' });
    expect(created?.request_id).toBeTruthy();
    // Newest first; each entry links to the one before.
    for (let index = 0; index < items.length - 1; index += 1) {
      expect(items[index]?.prev_hash).toBe(items[index + 1]?.hash);
    }
  });

  it('is admin only', async () => {
    const user = await createUserAndLogin(ctx.app, admin, 'nosy@example.com');
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/api/audit', headers: user.headers }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/audit/verify' }), 401, 'UNAUTHENTICATED');
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: '/api/audit?limit=0', headers: admin.headers }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses UPDATE and DELETE through normal SQL (append-only)', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(ctx.db.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(ctx.db.db)).rejects.toThrow(/append-only/);
  });

  it('verifies an intact chain', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: admin.headers,
    });
    const result = response.json<{ ok: boolean; checked: number }>();
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(7);
  });

  it('fails verification, naming the row, when an entry is altered', async () => {
    const target = await sql<{ id: string }>`SELECT id FROM audit_log WHERE action = 'member.added'`.execute(
      ctx.db.db,
    );
    const id = target.rows[0]?.id ?? '';
    await tamper(sql`UPDATE audit_log SET details = '{"role":"owner"}' WHERE id = ${id}`);
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: admin.headers,
    });
    expect(response.json()).toMatchObject({
      ok: false,
      first_broken_id: id,
      reason: 'hash does not match the entry content',
    });
  });

  it('fails verification when an entry is deleted', async () => {
    const fresh = await createTestApp();
    try {
      const session = await loginAdmin(fresh.app);
      await createUserAndLogin(fresh.app, session, 'a@example.com');
      expect((await verifyAuditChain(fresh.db.db)).ok).toBe(true);
      const rows = await sql<{ id: string }>`SELECT id FROM audit_log ORDER BY id`.execute(fresh.db.db);
      const middle = rows.rows[1]?.id ?? '';
      await fresh.db.db.connection().execute(async (conn) => {
        await sql`SET session_replication_role = replica`.execute(conn);
        await sql`DELETE FROM audit_log WHERE id = ${middle}`.execute(conn);
        await sql`SET session_replication_role = origin`.execute(conn);
      });
      const result = await verifyAuditChain(fresh.db.db);
      expect(result.ok).toBe(false);
      expect(result.reason).toBe('prev_hash does not match the previous entry');
    } finally {
      await fresh.close();
    }
  });
});
