import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import {
  createJobId,
  newUsers,
  readFixture,
  uploadReady,
  waitForJobCompleted,
} from './fixtures/recon/recon-scenario';

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Delete checks');
});
afterAll(async () => {
  await ctx.close();
});

const uploadSource = (name: string, content: Buffer | string) =>
  uploadReady(ctx.app, owner, projectId, name, content);
const createJob = (name: string, sourceId: string, targetId: string) =>
  createJobId(ctx.app, owner, { name, projectId, sourceId, targetId });

const deleteSource = (id: string) =>
  ctx.app.inject({ method: 'DELETE', url: `/api/data-sources/${id}`, headers: owner.headers });

describe('deleting a data source that jobs use', () => {
  it('answers 409 naming a completed job that read it, and deletes it once the job is gone', async () => {
    const bankId = await uploadSource('bank.csv', await readFixture('bank.csv'));
    const ledgerId = await uploadSource('ledger.csv', await readFixture('ledger.csv'));
    const jobId = await createJob('January close', bankId, ledgerId);
    const started = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${jobId}/start`,
      headers: owner.headers,
    });
    expect(started.statusCode, started.body).toBe(200);
    await waitForJobCompleted(ctx.app, owner, jobId);

    for (const id of [bankId, ledgerId]) {
      const refused = expectProblem(await deleteSource(id), 409, 'DATA_SOURCE_IN_USE') as { detail?: string };
      expect(refused.detail).toContain('"January close" (completed');
      expect(refused.detail).toContain(jobId);
    }
    // Nothing was removed by the refused attempts.
    const still = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${bankId}/preview`,
      headers: owner.headers,
    });
    expect(still.json<{ records: unknown[] }>().records.length).toBeGreaterThan(0);

    const jobDeleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/reconciliation/jobs/${jobId}`,
      headers: owner.headers,
    });
    expect(jobDeleted.statusCode, jobDeleted.body).toBe(200);
    expect((await deleteSource(bankId)).statusCode).toBe(200);
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/data-sources/${bankId}`, headers: owner.headers }),
      404,
      'DATA_SOURCE_NOT_FOUND',
    );
    const records = await ctx.db.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('data_source_id', '=', bankId)
      .executeTakeFirstOrThrow();
    expect(Number(records.n)).toBe(0);
    expect((await deleteSource(ledgerId)).statusCode).toBe(200);
  });

  it('names every draft job (up to five, then "and more") that uses the source', async () => {
    const bankId = await uploadSource('bank-2.csv', `${(await readFixture('bank.csv')).toString()}\n`);
    const ledgerId = await uploadSource('ledger-2.csv', `${(await readFixture('ledger.csv')).toString()}\n`);
    const names = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const name of names) await createJob(`Draft ${name}`, bankId, ledgerId);
    const refused = expectProblem(await deleteSource(ledgerId), 409, 'DATA_SOURCE_IN_USE') as {
      detail?: string;
    };
    for (const name of names.slice(0, 5)) expect(refused.detail).toContain(`"Draft ${name}" (draft`);
    expect(refused.detail).not.toContain('Draft six');
    expect(refused.detail).toContain('and more');
  });
});
