import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../src/storage/local-storage';
import {
  createProject,
  createReconTestApp,
  upload,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { newUsers, REFERENCE_RULES, runJobToCompletion } from './fixtures/recon/recon-scenario';
import type { Session } from './support/test-app';

// An ingestion stores a Parquet snapshot of the canonical records it wrote (migration 0109), which a
// reconciliation job reads instead of dumping the records back out of PostgreSQL. The snapshot must follow
// the records: replaced by a re-ingestion, deleted with the data source or its project (as the upload is),
// and give the job the same results.

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Snapshots');
});
afterAll(async () => {
  await ctx.close();
});

const storage = () => new LocalFileStorage(path.join(ctx.dataDir, 'files'));

async function snapshotKey(id: string): Promise<string | null> {
  const row = await ctx.db.db
    .selectFrom('data_sources')
    .select('snapshot_key')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.snapshot_key;
}

const FEED = 'date,reference,amount\n2024-01-02,R-1,12.50\n2024-01-03,R-2,-3.00\n2024-01-04,R-3,7.25\n';

async function ingested(name: string, body: string): Promise<string> {
  const uploaded = await upload(ctx.app, owner, projectId, name, body);
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const id = uploaded.json<{ id: string }>().id;
  expect(await waitForIngestion(ctx.app, owner, id)).toMatchObject({ status: 'ready', loaded_count: 3 });
  return id;
}

describe('canonical snapshots', () => {
  it('is stored by an ingestion, replaced by a re-ingestion and deleted with the data source', async () => {
    const id = await ingested('feed.csv', FEED);
    const first = await snapshotKey(id);
    expect(first).not.toBeNull();
    const firstFile = storage().localPath(first ?? '');
    expect(existsSync(firstFile)).toBe(true);

    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${id}/mapping`,
      headers: owner.headers,
      payload: {
        mapping: {
          booking_date: { column: 'date', format: 'YYYY-MM-DD' },
          reference: 'reference',
          amount: { kind: 'signed', column: 'amount' },
          currency: { fixed: 'EUR' },
        },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await waitForIngestion(ctx.app, owner, id)).toMatchObject({ status: 'ready', loaded_count: 3 });
    const second = await snapshotKey(id);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(existsSync(firstFile)).toBe(false);
    const secondFile = storage().localPath(second ?? '');
    expect(existsSync(secondFile)).toBe(true);

    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/data-sources/${id}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(existsSync(secondFile)).toBe(false);
  });

  it('is removed with its project, and so is the upload', async () => {
    const keep = await ingested('kept.csv', FEED.replace('R-3', 'R-4'));
    const doomed = await createProject(ctx.app, owner, 'Deleted with its files');
    const uploaded = await upload(ctx.app, owner, doomed, 'doomed.csv', FEED);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const id = uploaded.json<{ id: string }>().id;
    expect(await waitForIngestion(ctx.app, owner, id)).toMatchObject({ status: 'ready' });
    const row = await ctx.db.db
      .selectFrom('data_sources')
      .select(['storage_key', 'snapshot_key'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const files = [row.storage_key, row.snapshot_key ?? ''].map((key) => storage().localPath(key));
    expect(files.map((file) => existsSync(file))).toEqual([true, true]);

    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${doomed}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(files.map((file) => existsSync(file))).toEqual([false, false]);
    // The other project's files stay.
    expect(existsSync(storage().localPath((await snapshotKey(keep)) ?? ''))).toBe(true);
  });

  it('gives a job the same results as the records dumped from PostgreSQL', async () => {
    const left = await ingested('left.csv', FEED);
    const right = await ingested(
      'right.csv',
      'date,reference,amount\n2024-01-02,R-1,12.50\n2024-01-05,R-2,-3.00\n2024-01-04,R-9,7.25\n',
    );
    const job = { name: 'Snapshot', projectId, sourceId: left, targetId: right, rules: REFERENCE_RULES };
    const matches = async (jobId: string) =>
      await ctx.db.db
        .selectFrom('recon_matches')
        .select(['match_id', 'left_rows', 'right_rows', 'score', 'tier', 'explanation'])
        .where('job_id', '=', jobId)
        .orderBy('match_id')
        .execute();
    const fromSnapshots = await runJobToCompletion(ctx.app, owner, job);
    // Without snapshots (as an ingestion before migration 0109 left them), the job dumps PostgreSQL's records.
    await ctx.db.db
      .updateTable('data_sources')
      .set({ snapshot_key: null })
      .where('id', 'in', [left, right])
      .execute();
    const fromDumps = await runJobToCompletion(ctx.app, owner, job);
    const expected = await matches(fromDumps);
    expect(expected.length).toBeGreaterThan(0);
    expect(await matches(fromSnapshots)).toEqual(expected);
  });
});
