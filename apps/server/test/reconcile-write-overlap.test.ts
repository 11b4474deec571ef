import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { createJob, getJob, newUsers, uploadBankAndLedger } from './fixtures/recon/recon-scenario';
import { stagedLeftovers } from './support/result-runs';
import type * as MatchWriter from '../src/features/jobs/match-writer';

// The matches are exported by DuckDB while PostgreSQL stages the run's exceptions and discrepancies in
// tables of its own (migration 0108). The first export fails after that staging may have run: nothing of the
// attempt may become visible or stay behind, and the retry must write every result exactly once.
const failures = vi.hoisted(() => ({ left: 1, calls: 0 }));
vi.mock('../src/features/jobs/match-writer', async (original) => {
  const actual = await original<typeof MatchWriter>();
  return {
    ...actual,
    exportMatchParts: async (...args: Parameters<typeof actual.exportMatchParts>) => {
      failures.calls += 1;
      if (failures.left > 0) {
        failures.left -= 1;
        // Let the unmatched staging run first, so there is something to discard.
        await new Promise((resolve) => setTimeout(resolve, 200));
        throw new Error('DuckDB failed while writing the matches');
      }
      return actual.exportMatchParts(...args);
    },
  };
});

let ctx: ReconTestContext;

beforeAll(async () => {
  ctx = await createReconTestApp();
});
afterAll(async () => {
  await ctx.close();
});

async function count(table: 'recon_matches' | 'recon_exceptions' | 'recon_discrepancies', jobId: string) {
  const row = await ctx.db.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_id', '=', jobId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('matches exported while the unmatched results are staged', () => {
  it('discards the staged exceptions when the matches export fails, and the retry writes them once', async () => {
    const { owner } = await newUsers(ctx.app, 'owner');
    const projectId = await createProject(ctx.app, owner, 'Overlap');
    const { bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId);
    const job = (
      await createJob(
        ctx.app,
        owner,
        { name: 'January', projectId, sourceId: bankId, targetId: ledgerId },
        { start: true },
      )
    ).json<{ id: string }>();
    // Between the failed attempt and its retry (5 s later), nothing of the attempt is visible.
    await waitFor(
      async () => {
        const current = await getJob<{ phase: string | null }>(ctx.app, owner, job.id);
        return failures.calls === 1 && current.phase === 'retrying' ? true : undefined;
      },
      20_000,
      'the failed attempt to be retried',
    );
    expect(await count('recon_exceptions', job.id)).toBe(0);
    expect(await count('recon_discrepancies', job.id)).toBe(0);
    expect(await count('recon_matches', job.id)).toBe(0);
    expect(await stagedLeftovers(ctx.db.db, job.id)).toBe(0);
    const done = await waitFor(
      async () => {
        const current = await getJob<{ status: string; attempt: number }>(ctx.app, owner, job.id);
        return ['completed', 'failed'].includes(current.status) ? current : undefined;
      },
      30_000,
      'the job to finish',
    );
    expect(failures.calls).toBe(2);
    expect(done).toMatchObject({ status: 'completed', attempt: 2 });
    // The scenario's three matches and three unmatched records (jobs.test.ts), each once.
    expect(await count('recon_matches', job.id)).toBe(3);
    expect(await count('recon_exceptions', job.id)).toBe(3);
  }, 60_000);
});
