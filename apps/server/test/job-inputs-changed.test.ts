import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProject,
  createReconTestApp,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  createJobId,
  getJob,
  newUsers,
  runJobToCompletion,
  uploadBankAndLedger,
  uploadReady,
  waitForJobCompleted,
} from './fixtures/recon/recon-scenario';
import type { Session } from './support/test-app';

// A completed job's results describe the records its run read. When one of its data sources is ingested
// again (a new column mapping), the job says so (`inputs_changed_at`, migration 0113) until a rerun
// reconciles the current records.

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Remapped inputs');
});
afterAll(async () => {
  await ctx.close();
});

type Job = { status: string; run_no: number; inputs_changed_at: string | null };

async function remap(dataSourceId: string): Promise<void> {
  const current = await ctx.app.inject({
    method: 'GET',
    url: `/api/data-sources/${dataSourceId}`,
    headers: owner.headers,
  });
  const mapping = current.json<{ mapping: Record<string, unknown> }>().mapping;
  const put = await ctx.app.inject({
    method: 'PUT',
    url: `/api/data-sources/${dataSourceId}/mapping`,
    headers: owner.headers,
    payload: { mapping },
  });
  expect(put.statusCode, put.body).toBe(200);
  expect(await waitForIngestion(ctx.app, owner, dataSourceId)).toMatchObject({ status: 'ready' });
}

describe('a completed job whose data source is ingested again', () => {
  it('says its inputs changed until a rerun completes, and leaves other jobs alone', async () => {
    const { bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId);
    const feed = (date: string) => `Date,Reference,Amount,Currency\n${date},X-1,1.00,EUR\n`;
    const other = {
      bankId: await uploadReady(ctx.app, owner, projectId, 'other-bank.csv', feed('2024-02-01')),
      ledgerId: await uploadReady(ctx.app, owner, projectId, 'other-ledger.csv', feed('2024-02-02')),
    };
    const input = { projectId, sourceId: bankId, targetId: ledgerId };
    const jobId = await runJobToCompletion(ctx.app, owner, { ...input, name: 'January' });
    const draftId = await createJobId(ctx.app, owner, { ...input, name: 'February (draft)' });
    const otherId = await runJobToCompletion(ctx.app, owner, {
      projectId,
      sourceId: other.bankId,
      targetId: other.ledgerId,
      name: 'Other feeds',
    });
    expect((await getJob<Job>(ctx.app, owner, jobId)).inputs_changed_at).toBeNull();

    const before = Date.now();
    await remap(ledgerId);
    const stale = await getJob<Job>(ctx.app, owner, jobId);
    expect(stale.status).toBe('completed');
    expect(Date.parse(stale.inputs_changed_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    // A draft has no results to go stale; a job on other data sources is untouched.
    expect((await getJob<Job>(ctx.app, owner, draftId)).inputs_changed_at).toBeNull();
    expect((await getJob<Job>(ctx.app, owner, otherId)).inputs_changed_at).toBeNull();

    const rerun = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${jobId}/rerun`,
      headers: owner.headers,
    });
    expect(rerun.statusCode, rerun.body).toBe(200);
    await waitForJobCompleted(ctx.app, owner, jobId);
    expect(await getJob<Job>(ctx.app, owner, jobId)).toMatchObject({ run_no: 2, inputs_changed_at: null });
  });
});
