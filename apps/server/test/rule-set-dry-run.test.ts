import { AppError } from '@recon/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunRuleSet } from '../src/features/rule-sets/rule-set-dry-run.service';
import { expectProblem, type Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import { newUsers, REFERENCE_RULES, uploadBankAndLedger } from './fixtures/recon/recon-scenario';

// bank.csv: INV-1001..1004 and a fee; ledger.csv: INV-1001..1003 and INV-1005. Same amounts and dates for
// the three shared references.
const RULES = {
  version: 1,
  passes: [
    ...REFERENCE_RULES.passes,
    {
      name: 'amount and date',
      comparisons: [
        { type: 'amount', tolerance_minor: 0 },
        { type: 'date', min_days: -3, max_days: 3 },
      ],
    },
  ],
};

let ctx: ReconTestContext;
let owner: Session;
let analyst: Session;
let viewer: Session;
let outsider: Session;
let projectId: string;
let secondProjectId: string;
let outsiderProjectId: string;
let bankId: string;
let ledgerId: string;

function dryRun(session: Session, project: string, body: Record<string, unknown>) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/projects/${project}/rule-sets/dry-run`,
    headers: session.headers,
    payload: { left_data_source_id: bankId, right_data_source_id: ledgerId, rules: RULES, ...body },
  });
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner, analyst, viewer, outsider } = await newUsers(ctx.app, 'owner', 'analyst', 'viewer', 'outsider'));
  projectId = await createProject(ctx.app, owner, 'Close', [
    { email: 'analyst@example.com', role: 'analyst' },
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  // The analyst is only a viewer here: roles are per project.
  secondProjectId = await createProject(ctx.app, owner, 'Audit', [
    { email: 'analyst@example.com', role: 'viewer' },
  ]);
  outsiderProjectId = await createProject(ctx.app, outsider, 'Theirs');
  ({ bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId));
});
afterAll(async () => {
  await ctx.close();
});

describe('rule set dry run', () => {
  it('returns counts per pass and tier, unmatched per side and the match rate without storing anything', async () => {
    const before = await ctx.db.db
      .selectFrom('rule_sets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const response = await dryRun(analyst, projectId, {});
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<{
      passes: { name: string; kind: string; matches: number; auto: number; suggested: number }[];
      matches: number;
      auto: number;
      suggested: number;
      left: { records: number; available: number; matched: number; unmatched: number };
      right: { records: number; available: number; matched: number; unmatched: number };
      match_rate: number;
      sampled: boolean;
      sample_limit: number;
      elapsed_ms: number;
    }>();
    expect(result.passes.map((p) => [p.name, p.kind, p.matches])).toEqual([
      ['reference', 'one_to_one', 3],
      ['amount and date', 'one_to_one', 0],
    ]);
    expect(result.matches).toBe(3);
    expect(result.auto + result.suggested).toBe(3);
    expect(result.left).toMatchObject({ records: 5, available: 5, matched: 3, unmatched: 2 });
    expect(result.right).toMatchObject({ records: 4, available: 4, matched: 3, unmatched: 1 });
    expect(result.match_rate).toBeCloseTo(6 / 9, 5);
    expect(result.sampled).toBe(false);
    expect(result.sample_limit).toBe(50_000);
    expect(result.elapsed_ms).toBeGreaterThanOrEqual(0);
    const after = await ctx.db.db
      .selectFrom('rule_sets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('reads at most sample_limit records per side and says the counts are of a sample', async () => {
    const response = await dryRun(analyst, projectId, { sample_limit: 2 });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<{
      sampled: boolean;
      left: { records: number; available: number };
      right: { records: number; available: number };
      matches: number;
    }>();
    expect(result.sampled).toBe(true);
    expect(result.left).toMatchObject({ records: 2, available: 5 });
    expect(result.right).toMatchObject({ records: 2, available: 4 });
    expect(result.matches).toBe(2);
    expectProblem(await dryRun(analyst, projectId, { sample_limit: 50_001 }), 400, 'VALIDATION_FAILED');
  });

  it('answers 400 naming the pass and field of a bad rule set', async () => {
    const bad = {
      version: 1,
      passes: [
        { name: 'fuzzy names', comparisons: [{ type: 'text', field: 'counterparty', threshold: 1.5 }] },
      ],
    };
    const body = expectProblem(await dryRun(analyst, projectId, { rules: bad }), 400, 'RULE_SET_INVALID');
    expect(body.errors).toContainEqual(
      expect.objectContaining({
        field: 'rules.passes.0.comparisons.0.threshold',
        message: expect.stringContaining('pass "fuzzy names"'),
      }),
    );
    const grouped = {
      version: 1,
      passes: [{ name: 'batches', kind: 'many_to_many', comparisons: [{ type: 'amount' }] }],
    };
    const groupBody = expectProblem(
      await dryRun(analyst, projectId, { rules: grouped }),
      400,
      'RULE_SET_INVALID',
    );
    expect(groupBody.errors.map((e) => e.field)).toContain('rules.passes.0.group.left_key');
  });

  it('lets analysts and up dry-run, per project: viewers 403, non-members 404, foreign sources 404', async () => {
    expectProblem(await dryRun(viewer, projectId, {}), 403, 'FORBIDDEN');
    expectProblem(await dryRun(analyst, secondProjectId, {}), 403, 'FORBIDDEN');
    expectProblem(await dryRun(outsider, projectId, {}), 404, 'PROJECT_NOT_FOUND');
    const foreign = expectProblem(
      await dryRun(outsider, outsiderProjectId, {}),
      404,
      'DATA_SOURCE_NOT_FOUND',
    );
    expect(foreign.errors.map((e) => e.field)).toEqual(['left_data_source_id']);
    expect((await dryRun(owner, projectId, {})).statusCode).toBe(200);
  });

  it('is documented in the OpenAPI document', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = response.json<{ paths: Record<string, Record<string, { summary?: string }>> }>();
    expect(doc.paths['/api/projects/{id}/rule-sets/dry-run']?.post?.summary).toMatch(/dry|counts/i);
  });
});

describe('dry run bounds', () => {
  const input = () => ({ rules: RULES, left_data_source_id: bankId, right_data_source_id: ledgerId });

  it('stops at its time limit with 503 and frees its slot', async () => {
    const error: unknown = await dryRunRuleSet(ctx.db.db, projectId, input(), new AbortController().signal, {
      timeLimitMs: 1,
      concurrency: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect((await dryRun(analyst, projectId, {})).statusCode).toBe(200);
  });

  it('stops when the client goes away, without a 503', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client disconnected'));
    const error: unknown = await dryRunRuleSet(ctx.db.db, projectId, input(), controller.signal).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect((await dryRun(analyst, projectId, {})).statusCode).toBe(200);
  });

  it('turns a run away with 429 when every slot is taken', async () => {
    const error: unknown = await dryRunRuleSet(ctx.db.db, projectId, input(), new AbortController().signal, {
      timeLimitMs: 30_000,
      concurrency: 0,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });
});
