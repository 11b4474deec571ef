import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  createUserAndLogin,
  expectProblem,
  loginAdmin,
  type Session,
  type TestContext,
} from './support/test-app';
import { createProject } from './fixtures/recon/recon-test-app';

const RULES = {
  version: 1,
  passes: [{ name: 'exact', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] }],
};

let ctx: TestContext;
let manager: Session;
let analyst: Session;
let outsider: Session;
let projectId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  const admin = await loginAdmin(ctx.app);
  const owner = await createUserAndLogin(ctx.app, admin, 'owner@example.com');
  manager = await createUserAndLogin(ctx.app, admin, 'manager@example.com');
  analyst = await createUserAndLogin(ctx.app, admin, 'analyst@example.com');
  outsider = await createUserAndLogin(ctx.app, admin, 'outsider@example.com');
  projectId = await createProject(ctx.app, owner, 'Rules', [
    { email: 'manager@example.com', role: 'manager' },
    { email: 'analyst@example.com', role: 'analyst' },
  ]);
});
afterAll(async () => {
  await ctx.close();
});

describe('rule sets', () => {
  it('creates version 1 with defaults filled in and keeps versions immutable on edit', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets`,
      headers: manager.headers,
      payload: { name: 'Bank', rules: RULES },
    });
    expect(created.statusCode, created.body).toBe(201);
    const set = created.json<{ id: string; version: number; rules: { confidence_threshold: number } }>();
    expect(set.version).toBe(1);
    expect(set.rules.confidence_threshold).toBe(0.6);

    const changed = { ...RULES, confidence_threshold: 0.8 };
    const updated = await ctx.app.inject({
      method: 'PUT',
      url: `/api/rule-sets/${set.id}`,
      headers: manager.headers,
      payload: { rules: changed, name: 'Bank v2' },
    });
    expect(updated.json()).toMatchObject({
      version: 2,
      name: 'Bank v2',
      rules: { confidence_threshold: 0.8 },
    });
    const v1 = await ctx.app.inject({
      method: 'GET',
      url: `/api/rule-sets/${set.id}/versions/1`,
      headers: analyst.headers,
    });
    expect(v1.json()).toMatchObject({ version: 1, rules: { confidence_threshold: 0.6 } });
    const versions = await ctx.app.inject({
      method: 'GET',
      url: `/api/rule-sets/${set.id}/versions`,
      headers: analyst.headers,
    });
    expect(versions.json<{ items: { version: number }[] }>().items.map((v) => v.version)).toEqual([2, 1]);
    const renamed = await ctx.app.inject({
      method: 'PUT',
      url: `/api/rule-sets/${set.id}`,
      headers: manager.headers,
      payload: { description: 'x' },
    });
    expect(renamed.json()).toMatchObject({ version: 2, description: 'x' });
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/rule-sets`,
      headers: analyst.headers,
    });
    expect(list.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([set.id]);
  });

  it('rejects invalid rules with errors naming the pass and field', async () => {
    const bad = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets`,
      headers: manager.headers,
      payload: {
        name: 'Bad',
        rules: {
          version: 1,
          passes: [
            { name: 'one', comparisons: [{ type: 'exact', field: 'reference' }] },
            { name: 'one', comparisons: [{ type: 'date', min_days: 3, max_days: 1 }] },
          ],
        },
      },
    });
    const problem = expectProblem(bad, 400, 'RULE_SET_INVALID');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'rules.passes.1.comparisons.0.min_days',
          message: expect.stringContaining('pass "one"'),
        }),
      ]),
    );
  });

  it('lets analysts read but not write (403) and hides other projects (404)', async () => {
    const denied = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets`,
      headers: analyst.headers,
      payload: { name: 'x', rules: RULES },
    });
    expectProblem(denied, 403, 'FORBIDDEN');
    const created = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets`,
      headers: manager.headers,
      payload: { name: 'Del', rules: RULES },
    });
    const id = created.json<{ id: string }>().id;
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/rule-sets/${id}`, headers: outsider.headers }),
      404,
      'RULE_SET_NOT_FOUND',
    );
    expectProblem(
      await ctx.app.inject({
        method: 'PUT',
        url: `/api/rule-sets/${id}`,
        headers: analyst.headers,
        payload: { name: 'y' },
      }),
      403,
      'FORBIDDEN',
    );
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: `/api/rule-sets/${id}`, headers: manager.headers }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/rule-sets/${id}`, headers: manager.headers }),
      404,
      'RULE_SET_NOT_FOUND',
    );
  });
});

describe('api documentation', () => {
  it('documents the data-source, rule-set, job, result and review routes in OpenAPI', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/projects/{id}/data-sources',
        '/api/data-sources/{id}/errors',
        '/api/projects/{id}/rule-sets',
        '/api/rule-sets/{id}/versions/{version}',
        '/api/reconciliation/jobs/',
        '/api/reconciliation/jobs/{id}/rerun',
        '/api/reconciliation/jobs/{id}/matches',
        '/api/reconciliation/jobs/{id}/unmatched',
        '/api/reconciliation/jobs/{id}/matches/{match_id}/confirm',
        '/api/reconciliation/jobs/{id}/export',
      ]),
    );
  });
});
