import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTriggerBodies, expectReportedWhenUndone, foreignKeysBetween } from './support/schema-guards';
import { copyRows, copyTransaction } from '../src/db/copy';
import type { DbOrTx } from '../src/db/database';
import { lockBulkParent } from '../src/db/parent-lock';
import { sweepResultRuns } from '../src/features/results/result-partitions';
import { runIngestJob } from '../src/features/data-sources/ingest.job';
import { LocalFileStorage } from '../src/storage/local-storage';
import { expectProblem, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  upload,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { newUsers, readFixture } from './fixtures/recon/recon-scenario';
import { seedCompletedJob } from './fixtures/security/seed-results';

// Records, row errors and job results carry no foreign key to their parent (migration 0104): a delete
// trigger on the parent replaces ON DELETE CASCADE and writers lock the parent row. These tests hold both.

const CHILDREN = {
  data_sources: { column: 'data_source_id', tables: ['records', 'data_source_errors'] },
  recon_jobs: { column: 'job_id', tables: ['recon_matches', 'recon_exceptions', 'recon_discrepancies'] },
} as const;
type Parent = keyof typeof CHILDREN;

let ctx: ReconTestContext;
let owner: Session;
let deleter: pg.Client;

beforeAll(async () => {
  // No worker: the tests below run the ingestion themselves, at the moment they choose.
  ctx = await createReconTestApp({ worker: false });
  ({ owner } = await newUsers(ctx.app, 'owner'));
  deleter = new pg.Client({ connectionString: ctx.db.url });
  await deleter.connect();
});
afterAll(async () => {
  await deleter.end();
  await ctx.close();
});

/**
 * Rows per child table of one parent, e.g. `{ records: 5, data_source_errors: 2 }`. A deleted job's results
 * are retired by the delete and dropped by the worker's sweep (migration 0108): this test app has no worker,
 * so a job's rows are counted after a sweep.
 */
async function childCounts(parent: Parent, id: string): Promise<Record<string, number>> {
  if (parent === 'recon_jobs') await sweepResultRuns(ctx.db.db, pino({ level: 'silent' }));
  const { column, tables } = CHILDREN[parent];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}
      WHERE ${sql.ref(column)} = ${id}::uuid`.execute(ctx.db.db);
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

const zeros = (parent: Parent) => Object.fromEntries(CHILDREN[parent].tables.map((table) => [table, 0]));

/** Resolves once some session of the test database waits for a lock (a blocked DELETE or writer). */
async function someoneWaitsForALock(): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(ctx.db.db);
      return Number(rows[0]?.n) > 0 ? true : undefined;
    },
    5_000,
    'a session waiting for a row lock',
  );
}

const ingestDeps = () => ({ db: ctx.db.db, storage: new LocalFileStorage(path.join(ctx.dataDir, 'files')) });
const attempt = { queueJobId: 'test', retryCount: 0, isLastAttempt: true, log: pino({ level: 'silent' }) };

/** Uploads a fixture and runs the ingestion job on it here (the test app has no worker). */
async function ingested(projectId: string, fixture: string): Promise<string> {
  const uploaded = await upload(ctx.app, owner, projectId, fixture, await readFixture(fixture));
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const id = uploaded.json<{ id: string }>().id;
  await runIngestJob(ingestDeps(), { data_source_id: id }, attempt);
  return id;
}

async function addErrorsAndDiscrepancy(jobId: string): Promise<{ sourceId: string }> {
  const job = await ctx.db.db
    .selectFrom('recon_jobs')
    .select(['source_data_source_id', 'run_no'])
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  await ctx.db.db
    .insertInto('data_source_errors')
    .values({
      data_source_id: job.source_data_source_id,
      seq: 1,
      row_no: '9',
      column_name: 'amount',
      raw: 'x',
      code: 'INVALID_AMOUNT',
      message: 'not a number',
    })
    .execute();
  await ctx.db.db
    .insertInto('recon_discrepancies')
    .values({
      job_id: jobId,
      run_no: job.run_no,
      match_id: '1',
      field: 'booking_date',
      left_value: '2024-01-02',
      right_value: '2024-01-03',
      delta: '1',
      unit: 'days',
    })
    .execute();
  return { sourceId: job.source_data_source_id };
}

/**
 * What the schema must keep for the guarantees above: no foreign key from a bulk table to its parent (those
 * from the result tables to users went too, migration 0107: see result-user-refs.test.ts), and on each parent
 * an AFTER DELETE statement trigger with a transition table whose function empties every child table: rows
 * deleted from records and data_source_errors; a job's result partitions retired (migration 0108), which the
 * worker's sweep drops (the tests below sweep before they count).
 */
async function schemaProblems(db: DbOrTx): Promise<string[]> {
  const children = Object.values(CHILDREN).flatMap((parent) => parent.tables);
  const problems = await foreignKeysBetween(db, children, Object.keys(CHILDREN));
  const triggers = await deleteTriggerBodies(db);
  for (const [parent, { tables }] of Object.entries(CHILDREN)) {
    const bodies = triggers.filter((t) => t.table === parent).map((t) => t.body);
    if (parent === 'recon_jobs') {
      if (!bodies.some((body) => /UPDATE recon_result_partitions\b[^;]*SET state = 'retired'/i.test(body)))
        problems.push(`no AFTER DELETE statement trigger on ${parent} retires its results`);
      continue;
    }
    for (const table of tables) {
      if (!bodies.some((body) => new RegExp(`DELETE FROM ${table}\\b`, 'i').test(body)))
        problems.push(`no AFTER DELETE statement trigger on ${parent} deletes from ${table}`);
    }
  }
  return problems;
}

describe('deleting a parent deletes its bulk children', () => {
  it('removes the results of a deleted job', async () => {
    const projectId = await createProject(ctx.app, owner, 'Delete a job');
    const jobId = await seedCompletedJob(ctx.db.db, projectId);
    await addErrorsAndDiscrepancy(jobId);
    expect(await childCounts('recon_jobs', jobId)).toEqual({
      recon_matches: 3,
      recon_exceptions: 3,
      recon_discrepancies: 1,
    });
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/reconciliation/jobs/${jobId}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    // Retired at once, in the deleting transaction; dropped by the sweep.
    const runs = await ctx.db.db
      .selectFrom('recon_result_partitions')
      .select('state')
      .where('job_id', '=', jobId)
      .execute();
    expect(runs.map((run) => run.state)).toEqual(['retired']);
    expect(await childCounts('recon_jobs', jobId)).toEqual(zeros('recon_jobs'));
  });

  it('removes the records and row errors of a deleted data source, and no other source’s', async () => {
    const projectId = await createProject(ctx.app, owner, 'Delete a data source');
    const badId = await ingested(projectId, 'bad-values.csv');
    const bankId = await ingested(projectId, 'bank.csv');
    const bad = await childCounts('data_sources', badId);
    expect(bad.records).toBeGreaterThan(0);
    expect(bad.data_source_errors).toBeGreaterThan(0);
    const bank = await childCounts('data_sources', bankId);
    expect(bank.records).toBeGreaterThan(0);
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/data-sources/${badId}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(await childCounts('data_sources', badId)).toEqual(zeros('data_sources'));
    expect(await childCounts('data_sources', bankId)).toEqual(bank);
  });

  it('removes records and results through the project cascade', async () => {
    const projectId = await createProject(ctx.app, owner, 'Delete a project');
    const jobIds = [
      await seedCompletedJob(ctx.db.db, projectId),
      await seedCompletedJob(ctx.db.db, projectId),
    ];
    const sourceIds: string[] = [];
    for (const jobId of jobIds) {
      sourceIds.push((await addErrorsAndDiscrepancy(jobId)).sourceId);
      expect((await childCounts('recon_jobs', jobId)).recon_matches).toBe(3);
    }
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/projects/${projectId}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    for (const jobId of jobIds) expect(await childCounts('recon_jobs', jobId)).toEqual(zeros('recon_jobs'));
    for (const id of sourceIds) expect(await childCounts('data_sources', id)).toEqual(zeros('data_sources'));
  });
});

describe('a writer racing a delete leaves no orphans', () => {
  it('a delete waits for a writer holding the parent lock, then removes what the writer wrote', async () => {
    const projectId = await createProject(ctx.app, owner, 'Writer first');
    const jobId = await seedCompletedJob(ctx.db.db, projectId);
    let deleting: Promise<unknown> | undefined;
    await copyTransaction(ctx.db.db, async (tx) => {
      await lockBulkParent(tx.trx, 'recon_jobs', jobId);
      deleting = deleter.query('DELETE FROM recon_jobs WHERE id = $1', [jobId]);
      await someoneWaitsForALock();
      await copyRows(
        tx,
        'recon_exceptions',
        ['job_id', 'run_no', 'side', 'row_no', 'reason', 'amount_minor'],
        [[jobId, 0, 'right', 99, 'written while the delete waited', 700]],
      );
    });
    await deleting;
    expect(await childCounts('recon_jobs', jobId)).toEqual(zeros('recon_jobs'));
  });

  it('an unmatch on a job being deleted answers JOB_NOT_FOUND and reopens nothing', async () => {
    const projectId = await createProject(ctx.app, owner, 'Unmatch during delete');
    const jobId = await seedCompletedJob(ctx.db.db, projectId);
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM recon_jobs WHERE id = $1', [jobId]);
    // The request reads the job before the delete commits, then waits for it on the job's row.
    const unmatching = ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${jobId}/matches/1/unmatch`,
      headers: owner.headers,
      payload: { version: 1, reason: 'racing the delete' },
    });
    await someoneWaitsForALock();
    await deleter.query('COMMIT');
    expectProblem(await unmatching, 404, 'JOB_NOT_FOUND');
    expect(await childCounts('recon_jobs', jobId)).toEqual(zeros('recon_jobs'));
  });

  it('an ingestion of a data source deleted meanwhile fails with DATA_SOURCE_NOT_FOUND, writing no record', async () => {
    const projectId = await createProject(ctx.app, owner, 'Ingest during delete');
    const uploaded = await upload(
      ctx.app,
      owner,
      projectId,
      'bad-values.csv',
      await readFixture('bad-values.csv'),
    );
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const id = uploaded.json<{ id: string }>().id;
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM data_sources WHERE id = $1', [id]);
    const ingesting = runIngestJob(ingestDeps(), { data_source_id: id }, attempt);
    await someoneWaitsForALock();
    await deleter.query('COMMIT');
    await expect(ingesting).rejects.toMatchObject({ code: 'DATA_SOURCE_NOT_FOUND' });
    expect(await childCounts('data_sources', id)).toEqual(zeros('data_sources'));
  });
});

describe('the schema keeps bulk tables without foreign keys and parents with delete triggers', () => {
  it('has no foreign key on a bulk table and a delete trigger for every child table', async () => {
    expect(await schemaProblems(ctx.db.db)).toEqual([]);
  });

  it('reports a foreign key that comes back and a trigger that goes (checked in a rolled-back transaction)', async () => {
    await expectReportedWhenUndone(
      ctx.db.db,
      async (trx) => {
        await sql`ALTER TABLE recon_matches ADD FOREIGN KEY (job_id) REFERENCES recon_jobs (id)`.execute(trx);
        await sql`DROP TRIGGER data_sources_delete_children ON data_sources`.execute(trx);
        await sql`DROP TRIGGER recon_jobs_delete_children ON recon_jobs`.execute(trx);
      },
      schemaProblems,
      [
        'recon_matches has foreign key recon_matches_job_id_fkey',
        'no AFTER DELETE statement trigger on data_sources deletes from records',
        'no AFTER DELETE statement trigger on data_sources deletes from data_source_errors',
        'no AFTER DELETE statement trigger on recon_jobs retires its results',
      ],
    );
  });
});
