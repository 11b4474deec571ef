import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrate';
import {
  discardStagedRun,
  ResultIndexing,
  stageResultRun,
  sweepResultRuns,
  type ResultParent,
  type ResultRun,
} from '../src/features/results/result-partitions';
import type { DbOrTx } from '../src/db/database';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  createJob,
  createJobId,
  getJob,
  newUsers,
  REFERENCE_RULES,
  runJobToCompletion,
  uploadBankAndLedger,
} from './fixtures/recon/recon-scenario';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import type { Session } from './support/test-app';

// Each run of a job writes its results into tables of its own, attached as partitions when the run completes
// (migration 0108). These tests hold the lifecycle: a rerun's partition replaces the previous run's, which is
// emptied at once and dropped by the sweep without making readers wait; tables of runs that will never
// complete are dropped; and an upgraded database keeps its results.

const log = pino({ level: 'silent' });
let ctx: ReconTestContext;
let owner: Session;
let projectId: string;
let bankId: string;
let ledgerId: string;

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Result partitions');
  ({ bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId));
});
afterAll(async () => {
  await ctx.close();
});

const job = () => ({
  name: 'Partitions',
  projectId,
  sourceId: bankId,
  targetId: ledgerId,
  rules: REFERENCE_RULES,
});

/** The job's runs in the registry, as "run:state". */
async function registered(db: DbOrTx, jobId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('recon_result_partitions')
    .select(['run_no', 'state'])
    .where('job_id', '=', jobId)
    .orderBy('run_no')
    .execute();
  return rows.map((row) => `${String(row.run_no)}:${row.state}`);
}

/** The job's tables in recon_parts, as "<parent>:<run>" ("-" when not attached), sorted. */
async function tablesOf(db: DbOrTx, jobId: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; parent: string | null }>`
    SELECT c.relname AS name, p.relname AS parent FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'recon_parts'
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
    WHERE c.relkind = 'r' AND c.relname LIKE ${`%${jobId.replaceAll('-', '')}%`}`.execute(db);
  return rows
    .map((row) => `${row.name.split('_')[0] ?? ''}:${row.name.split('_').at(-1) ?? ''}:${row.parent ?? '-'}`)
    .sort();
}

async function matchRows(jobId: string): Promise<{ run_no: number; n: number }[]> {
  const { rows } = await sql<{ run_no: number; n: string }>`SELECT run_no, count(*) AS n FROM recon_matches
    WHERE job_id = ${jobId}::uuid GROUP BY run_no`.execute(ctx.db.db);
  return rows.map((row) => ({ run_no: row.run_no, n: Number(row.n) }));
}

describe('a run’s results tables', () => {
  it('attaches a rerun’s tables, empties the previous run’s at once and the sweep drops them', async () => {
    const jobId = await runJobToCompletion(ctx.app, owner, job());
    expect(await registered(ctx.db.db, jobId)).toEqual(['1:live']);
    expect(await tablesOf(ctx.db.db, jobId)).toEqual([
      'discrepancies:1:recon_discrepancies',
      'exceptions:1:recon_exceptions',
      'matches:1:recon_matches',
    ]);
    expect(await matchRows(jobId)).toEqual([{ run_no: 1, n: 3 }]);
    // The run's indexes were built before the attach and adopted by the parents' (none built by the attach).
    const { rows: indexes } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_index x
      JOIN pg_inherits i ON i.inhrelid = x.indexrelid
      WHERE x.indrelid = to_regclass(${`recon_parts.matches_${jobId.replaceAll('-', '')}_1`})`.execute(
      ctx.db.db,
    );
    expect(Number(indexes[0]?.n)).toBe(7);

    await ctx.worker?.stop();
    ctx.worker = undefined;
    const rerun = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${jobId}/rerun`,
      headers: owner.headers,
    });
    expect(rerun.statusCode, rerun.body).toBe(200);
    // Until the rerun completes, the first run's results stay readable.
    expect(await matchRows(jobId)).toEqual([{ run_no: 1, n: 3 }]);
    await ctx.startWorker();
    await waitFor(
      async () =>
        (await getJob<{ status: string }>(ctx.app, owner, jobId)).status === 'completed' ? true : undefined,
      30_000,
      'the rerun to complete',
    );
    expect(await matchRows(jobId)).toEqual([{ run_no: 2, n: 3 }]);
    // Run 1 is retired (or already dropped, if the worker's sweep came first); run 2 is live.
    const runs = await registered(ctx.db.db, jobId);
    expect(runs.at(-1)).toBe('2:live');
    expect(runs.slice(0, -1).every((run) => run === '1:retired')).toBe(true);

    await sweepResultRuns(ctx.db.db, log);
    expect(await registered(ctx.db.db, jobId)).toEqual(['2:live']);
    expect(await tablesOf(ctx.db.db, jobId)).toEqual([
      'discrepancies:2:recon_discrepancies',
      'exceptions:2:recon_exceptions',
      'matches:2:recon_matches',
    ]);
  });

  it('retires a deleted job’s results and drops them in a later sweep when readers hold the results', async () => {
    const jobId = await runJobToCompletion(ctx.app, owner, job());
    // No worker from here on: this test runs the sweeps.
    await ctx.worker?.stop();
    ctx.worker = undefined;
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/reconciliation/jobs/${jobId}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    // Retired in the deleting transaction (no lock on its partitions there); the rows go with the sweep.
    expect(await registered(ctx.db.db, jobId)).toEqual(['1:retired']);
    const reader = new pg.Client({ connectionString: ctx.db.url });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      // A long read of another job's page holds the parent's lock, as an export does.
      await reader.query('SELECT count(*) FROM recon_matches');
      const started = Date.now();
      await sweepResultRuns(ctx.db.db, log);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await registered(ctx.db.db, jobId)).toEqual(['1:retired']);
      // Readers of results were never queued behind the sweep's DROP.
      await reader.query('COMMIT');
      await sweepResultRuns(ctx.db.db, log);
      expect(await registered(ctx.db.db, jobId)).toEqual([]);
      expect(await tablesOf(ctx.db.db, jobId)).toEqual([]);
      expect(await matchRows(jobId)).toEqual([]);
    } finally {
      await reader.end();
      await ctx.startWorker();
    }
  });

  it('drops the staged tables of a run that can no longer complete, and keeps those of a queued run', async () => {
    await ctx.worker?.stop();
    ctx.worker = undefined;
    try {
      const created = await createJob(ctx.app, owner, { ...job(), start: true });
      expect(created.statusCode, created.body).toBe(201);
      const jobId = created.json<{ id: string }>().id;
      // As an attempt leaves them when its worker dies between staging and the attach.
      await stageResultRun(ctx.db.db, { jobId, runNo: 1 });
      await sql`SELECT recon_stage_result_table('recon_matches', ${jobId}::uuid, 1)`.execute(ctx.db.db);
      await sweepResultRuns(ctx.db.db, log);
      expect(await registered(ctx.db.db, jobId)).toEqual(['1:staged']);
      expect(await tablesOf(ctx.db.db, jobId)).toEqual(['matches:1:-']);

      const cancelled = await ctx.app.inject({
        method: 'POST',
        url: `/api/reconciliation/jobs/${jobId}/cancel`,
        headers: owner.headers,
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      await sweepResultRuns(ctx.db.db, log);
      expect(await registered(ctx.db.db, jobId)).toEqual([]);
      expect(await tablesOf(ctx.db.db, jobId)).toEqual([]);
    } finally {
      await ctx.startWorker();
    }
  });

  it('refuses to stage a run whose results are live, and discarding never touches a live run', async () => {
    const jobId = await runJobToCompletion(ctx.app, owner, job());
    await expect(stageResultRun(ctx.db.db, { jobId, runNo: 1 })).rejects.toThrow(/already live/);
    await discardStagedRun(ctx.db.db, { jobId, runNo: 1 });
    expect(await registered(ctx.db.db, jobId)).toEqual(['1:live']);
    expect(await matchRows(jobId)).toEqual([{ run_no: 1, n: 3 }]);
  });
});

describe('a run’s index builds', () => {
  /** Bare staged tables of the run, as a run's write makes them before its COPY. */
  async function stagedRun(run: ResultRun): Promise<void> {
    await stageResultRun(ctx.db.db, run);
    await sql`SELECT recon_stage_result_table(p, ${run.jobId}::uuid, ${run.runNo}::int)
      FROM unnest(recon_result_parents()) AS p`.execute(ctx.db.db);
  }

  /** The staged table's index count and planner row estimate (-1 until it is analysed). */
  async function built(
    run: ResultRun,
    parent: ResultParent,
  ): Promise<{ indexes: number; reltuples: number }> {
    const { rows } = await sql<{ indexes: string; reltuples: number }>`
      SELECT (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) AS indexes, c.reltuples
      FROM pg_class c WHERE c.oid = recon_result_table(${parent}, ${run.jobId}::uuid, ${run.runNo}::int)::regclass`.execute(
      ctx.db.db,
    );
    return { indexes: Number(rows[0]?.indexes), reltuples: Number(rows[0]?.reltuples) };
  }

  /** The endings of the staged table's index names after its own name, sorted. */
  async function indexSuffixes(run: ResultRun, parent: ResultParent): Promise<string[]> {
    const { rows } = await sql<{ name: string; table: string }>`
      SELECT i.relname AS name, t.relname AS table FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE x.indrelid = recon_result_table(${parent}, ${run.jobId}::uuid, ${run.runNo}::int)::regclass`.execute(
      ctx.db.db,
    );
    return rows.map((row) => row.name.slice(row.table.length)).sort();
  }

  it('builds tables queued after its lanes went idle, analyses each, and a failed build stops the queue', async () => {
    const jobId = await createJobId(ctx.app, owner, job());
    const run = { jobId, runNo: 1 };
    await stagedRun(run);
    const indexing = new ResultIndexing(ctx.db.db, run);
    await indexing.add('recon_exceptions');
    indexing.widen(2);
    await indexing.done();
    // Primary key and four sort indexes (migrations 0106, 0108), then ANALYZE.
    expect(await built(run, 'recon_exceptions')).toEqual({ indexes: 5, reltuples: 0 });
    // Each named for its table and place (0114): two lanes building the date indexes, ascending and
    // descending on the same columns, could otherwise pick one derived name and one of them fail.
    expect(await indexSuffixes(run, 'recon_exceptions')).toEqual(['_i1', '_i2', '_i3', '_i4', '_pkey']);
    expect(await built(run, 'recon_discrepancies')).toEqual({ indexes: 0, reltuples: -1 });
    // Queued with every lane stopped: a lane starts for it.
    await indexing.add('recon_discrepancies');
    await indexing.done();
    expect(await built(run, 'recon_discrepancies')).toEqual({ indexes: 2, reltuples: 0 });

    const failing = { jobId, runNo: 2 };
    await stagedRun(failing);
    await sql`DROP TABLE ${sql.raw(`recon_parts.matches_${jobId.replaceAll('-', '')}_2`)}`.execute(ctx.db.db);
    const broken = new ResultIndexing(ctx.db.db, failing);
    await broken.add('recon_matches');
    await broken.add('recon_exceptions');
    broken.widen(1);
    await expect(broken.done()).rejects.toThrow(/does not exist/);
    expect(await built(failing, 'recon_exceptions')).toEqual({ indexes: 0, reltuples: -1 });
    for (const staged of [run, failing]) await discardStagedRun(ctx.db.db, staged);
  });
});

describe('migration 0108 on a database with results', () => {
  let upgraded: TestDatabase;
  beforeAll(async () => {
    upgraded = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await upgraded.drop();
  });

  it('moves each job’s rows into a partition of its current run, indexed and live', async () => {
    const migrations = await loadMigrations();
    await migrate(
      upgraded.db,
      migrations.filter((m) => m.name < '0108'),
    );
    const db = upgraded.db;
    await sql`INSERT INTO projects (id, name) VALUES ('aaaaaaaa-0000-4000-8000-000000000001', 'p')`.execute(
      db,
    );
    await sql`INSERT INTO data_sources (id, project_id, name, storage_key, format, sha256, size_bytes, source_key)
      VALUES ('bbbbbbbb-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', 'a', 'k1', 'csv', 'x', 1, 's'),
             ('bbbbbbbb-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001', 'b', 'k2', 'csv', 'y', 1, 's')`.execute(
      db,
    );
    for (const [id, run] of [
      ['cccccccc-0000-4000-8000-000000000001', 2],
      ['cccccccc-0000-4000-8000-000000000002', 1],
    ] as const) {
      await sql`INSERT INTO recon_jobs (id, project_id, name, rules, source_data_source_id, target_data_source_id, run_no, status)
        VALUES (${id}::uuid, 'aaaaaaaa-0000-4000-8000-000000000001', 'j', '{}', 'bbbbbbbb-0000-4000-8000-000000000001',
                'bbbbbbbb-0000-4000-8000-000000000002', ${run}, 'completed')`.execute(db);
      await sql`INSERT INTO recon_matches (job_id, match_id, pass_index, pass_name, kind, score, tier, status,
          left_rows, right_rows, left_amount, right_amount, explanation)
        SELECT ${id}::uuid, g, 0, 'p', 'one_to_one', 0.9, 'auto', 'confirmed', ARRAY[g], ARRAY[g], g, g + 1, '{}'
        FROM generate_series(1, 40) g`.execute(db);
      await sql`INSERT INTO recon_exceptions (job_id, side, row_no, reason, amount_minor, status)
        SELECT ${id}::uuid, 'left', g, 'no candidate', g, 'investigating' FROM generate_series(41, 45) g`.execute(
        db,
      );
      await sql`INSERT INTO recon_discrepancies (job_id, match_id, field, left_value, right_value, delta, unit)
        SELECT ${id}::uuid, g, 'amount', '1', '2', 1, 'minor' FROM generate_series(1, 40) g`.execute(db);
    }
    // Left records of the matches: EUR, except row 40 in USD; match 40 holds rows 39 and 40, so it has no
    // single currency.
    await sql`UPDATE recon_matches SET left_rows = ARRAY[39, 40] WHERE match_id = 40`.execute(db);
    await sql`INSERT INTO records (data_source_id, row_no, amount_minor, currency, scale)
      SELECT 'bbbbbbbb-0000-4000-8000-000000000001', g, g, CASE WHEN g = 40 THEN 'USD' ELSE 'EUR' END, 2
      FROM generate_series(1, 45) g`.execute(db);
    await migrate(db, migrations);

    const { rows } = await sql<{ job_id: string; run_no: number; m: string; e: string; d: string }>`
      SELECT p.job_id, p.run_no,
        (SELECT count(*) FROM recon_matches m WHERE m.job_id = p.job_id AND m.run_no = p.run_no) AS m,
        (SELECT count(*) FROM recon_exceptions e WHERE e.job_id = p.job_id AND e.run_no = p.run_no
           AND e.status = 'investigating') AS e,
        (SELECT count(*) FROM recon_discrepancies d WHERE d.job_id = p.job_id AND d.run_no = p.run_no) AS d
      FROM recon_result_partitions p WHERE p.state = 'live' ORDER BY p.job_id`.execute(db);
    expect(rows.map((r) => [r.job_id, r.run_no, Number(r.m), Number(r.e), Number(r.d)])).toEqual([
      ['cccccccc-0000-4000-8000-000000000001', 2, 40, 5, 40],
      ['cccccccc-0000-4000-8000-000000000002', 1, 40, 5, 40],
    ]);
    // The moved matches carry the currency and scale their left records share (match 40: no currency, scale 2).
    const { rows: currencies } = await sql<{ currency: string | null; scale: number | null; n: string }>`
      SELECT currency, scale, count(*) AS n FROM recon_matches GROUP BY currency, scale
      ORDER BY currency NULLS LAST`.execute(db);
    expect(currencies.map((r) => [r.currency, r.scale, Number(r.n)])).toEqual([
      ['EUR', 2, 78],
      [null, 2, 2],
    ]);
    const { rows: old } = await sql<{
      t: string | null;
    }>`SELECT to_regclass('recon_matches_0107')::text AS t`.execute(db);
    expect(old[0]?.t).toBeNull();
    // Pages use the run's own indexes: a filtered, sorted page is an index scan of the job's partition.
    const { rows: plan } = await sql<{
      'QUERY PLAN': string;
    }>`EXPLAIN (COSTS OFF) SELECT match_id FROM recon_matches
      WHERE job_id = 'cccccccc-0000-4000-8000-000000000001' AND tier = 'auto' AND status = 'confirmed'
      ORDER BY score DESC, match_id LIMIT 10`.execute(db);
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toContain('matches_cccccccc000040008000000000000001_2');
    expect(text).not.toContain('matches_cccccccc000040008000000000000002_1');
  });
});
