import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const users: Record<'owner' | 'manager' | 'analyst' | 'viewer' | 'outsider', Session> = {} as never;
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await loginAdmin(ctx.app);
  for (const name of ['owner', 'manager', 'analyst', 'viewer', 'outsider'] as const) {
    users[name] = await createUserAndLogin(ctx.app, admin, `${name}@example.com`);
  }
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: users.owner.headers,
    payload: { name: 'Bank vs ledger', description: 'October close' },
  });
  projectId = created.json<{ id: string }>().id;
  for (const role of ['manager', 'analyst', 'viewer'] as const) {
    const added = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.owner.headers,
      payload: { email: `${role}@example.com`, role },
    });
    expect(added.statusCode, added.body).toBe(201);
  }
  const other = await ctx.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: users.outsider.headers,
    payload: { name: 'Theirs' },
  });
  otherProjectId = other.json<{ id: string }>().id;
});
afterAll(async () => {
  await ctx.close();
});

describe('projects', () => {
  it('creates a project with the creator as owner', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}`,
      headers: users.owner.headers,
    });
    expect(response.json()).toMatchObject({
      name: 'Bank vs ledger',
      description: 'October close',
      status: 'active',
      my_role: 'owner',
      created_by: users.owner.userId,
    });
  });

  it('validates creation (400) and requires authentication (401)', async () => {
    const invalid = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: users.owner.headers,
      payload: { name: '   ' },
    });
    expect(expectProblem(invalid, 400, 'VALIDATION_FAILED').errors[0]).toMatchObject({ field: 'name' });
    expectProblem(
      await ctx.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'x' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/projects/${projectId}` }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('lists only the projects you belong to, with your role', async () => {
    const viewer = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: users.viewer.headers,
    });
    expect(viewer.json<{ items: { id: string; my_role: string }[] }>().items).toEqual([
      expect.objectContaining({ id: projectId, my_role: 'viewer' }),
    ]);
    const outsider = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: users.outsider.headers,
    });
    expect(outsider.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([
      otherProjectId,
    ]);
    // Admins see only their own projects too: membership is the rule.
    const adminList = await ctx.app.inject({ method: 'GET', url: '/api/projects', headers: admin.headers });
    expect(adminList.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('answers 404 for a project you do not belong to, on every project route', async () => {
    const routes = [
      ['GET', `/api/projects/${otherProjectId}`],
      ['PATCH', `/api/projects/${otherProjectId}`, { name: 'x' }],
      ['POST', `/api/projects/${otherProjectId}/archive`],
      ['DELETE', `/api/projects/${otherProjectId}`],
      ['GET', `/api/projects/${otherProjectId}/members`],
      ['POST', `/api/projects/${otherProjectId}/members`, { email: 'viewer@example.com', role: 'viewer' }],
      ['PATCH', `/api/projects/${otherProjectId}/members/${users.outsider.userId}`, { role: 'viewer' }],
      ['DELETE', `/api/projects/${otherProjectId}/members/${users.outsider.userId}`],
      ['GET', '/api/projects/00000000-0000-4000-8000-000000000000'],
    ] as const;
    for (const [method, url, payload] of routes) {
      const response = await ctx.app.inject({
        method,
        url,
        headers: users.owner.headers,
        ...(payload ? { payload } : {}),
      });
      expectProblem(response, 404, 'PROJECT_NOT_FOUND');
    }
  });

  it('lets managers update but not viewers or analysts (403)', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const response = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/projects/${projectId}`,
        headers: users[role].headers,
        payload: { name: 'Renamed' },
      });
      expectProblem(response, 403, 'FORBIDDEN');
    }
    const updated = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      headers: users.manager.headers,
      payload: { name: 'Renamed', description: 'November' },
    });
    expect(updated.json()).toMatchObject({ name: 'Renamed', description: 'November', my_role: 'manager' });
    const empty = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      headers: users.manager.headers,
      payload: {},
    });
    expectProblem(empty, 400, 'VALIDATION_FAILED');
  });

  it('archives and unarchives (managers), filtering the list by status', async () => {
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/projects/${projectId}/archive`,
        headers: users.analyst.headers,
      }),
      403,
      'FORBIDDEN',
    );
    const archived = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/archive`,
      headers: users.manager.headers,
    });
    expect(archived.json()).toMatchObject({ status: 'archived' });
    const active = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects?status=active',
      headers: users.viewer.headers,
    });
    expect(active.json<{ items: unknown[] }>().items).toHaveLength(0);
    const restored = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/unarchive`,
      headers: users.manager.headers,
    });
    expect(restored.json()).toMatchObject({ status: 'active' });
    const badFilter = await ctx.app.inject({
      method: 'GET',
      url: '/api/projects?status=gone',
      headers: users.viewer.headers,
    });
    expectProblem(badFilter, 400, 'VALIDATION_FAILED');
  });

  it('lets only owners delete a project', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: users.owner.headers,
      payload: { name: 'Doomed' },
    });
    const id = created.json<{ id: string }>().id;
    await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${id}/members`,
      headers: users.owner.headers,
      payload: { user_id: users.manager.userId, role: 'manager' },
    });
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: `/api/projects/${id}`, headers: users.manager.headers }),
      403,
      'FORBIDDEN',
    );
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/projects/${id}`, headers: users.owner.headers }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/projects/${id}`, headers: users.owner.headers }),
      404,
      'PROJECT_NOT_FOUND',
    );
  });
});

describe('project members', () => {
  it('lists members to any member', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/members`,
      headers: users.viewer.headers,
    });
    const roles = Object.fromEntries(
      response.json<{ items: { email: string; role: string }[] }>().items.map((m) => [m.email, m.role]),
    );
    expect(roles).toEqual({
      'owner@example.com': 'owner',
      'manager@example.com': 'manager',
      'analyst@example.com': 'analyst',
      'viewer@example.com': 'viewer',
    });
  });

  it('lets only owners add members; duplicates 409; unknown users 404; bad bodies 400', async () => {
    const byManager = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.manager.headers,
      payload: { email: 'outsider@example.com', role: 'viewer' },
    });
    expectProblem(byManager, 403, 'FORBIDDEN');
    const duplicate = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.owner.headers,
      payload: { email: 'viewer@example.com', role: 'analyst' },
    });
    expectProblem(duplicate, 409, 'ALREADY_MEMBER');
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.owner.headers,
      payload: { email: 'ghost@example.com', role: 'viewer' },
    });
    expectProblem(unknown, 404, 'USER_NOT_FOUND');
    const both = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.owner.headers,
      payload: { email: 'viewer@example.com', user_id: users.viewer.userId, role: 'viewer' },
    });
    expect(expectProblem(both, 400, 'VALIDATION_FAILED').errors.map((error) => error.field)).toEqual([
      'user_id',
    ]);
    const badRole = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/members`,
      headers: users.owner.headers,
      payload: { email: 'outsider@example.com', role: 'admin' },
    });
    expect(expectProblem(badRole, 400, 'VALIDATION_FAILED').errors.map((error) => error.field)).toEqual([
      'role',
    ]);
  });

  it('changes roles (owners only) and keeps at least one owner', async () => {
    const byAnalyst = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}/members/${users.viewer.userId}`,
      headers: users.analyst.headers,
      payload: { role: 'owner' },
    });
    expectProblem(byAnalyst, 403, 'FORBIDDEN');
    const promoted = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}/members/${users.analyst.userId}`,
      headers: users.owner.headers,
      payload: { role: 'manager' },
    });
    expect(promoted.json()).toMatchObject({ role: 'manager', email: 'analyst@example.com' });
    const lastOwner = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}/members/${users.owner.userId}`,
      headers: users.owner.headers,
      payload: { role: 'viewer' },
    });
    expectProblem(lastOwner, 409, 'LAST_OWNER');
    const notMember = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}/members/${users.outsider.userId}`,
      headers: users.owner.headers,
      payload: { role: 'viewer' },
    });
    expectProblem(notMember, 404, 'MEMBER_NOT_FOUND');
    // The promoted member now has manager rights.
    const update = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      headers: users.analyst.headers,
      payload: { description: 'by the new manager' },
    });
    expect(update.statusCode).toBe(200);
  });

  it('removes members: owners anyone, others only themselves; the last owner stays', async () => {
    const byViewer = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${users.manager.userId}`,
      headers: users.viewer.headers,
    });
    expectProblem(byViewer, 403, 'FORBIDDEN');
    const leave = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${users.viewer.userId}`,
      headers: users.viewer.headers,
    });
    expect(leave.statusCode).toBe(200);
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/projects/${projectId}`,
        headers: users.viewer.headers,
      }),
      404,
      'PROJECT_NOT_FOUND',
    );
    const lastOwner = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${users.owner.userId}`,
      headers: users.owner.headers,
    });
    expectProblem(lastOwner, 409, 'LAST_OWNER');
    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}/members/${users.manager.userId}`,
      headers: users.owner.headers,
    });
    expect(removed.statusCode).toBe(200);
  });
});
