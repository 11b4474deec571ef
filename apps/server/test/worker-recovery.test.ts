import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker/worker';
import { RECONCILE_JOB } from '../src/queue/job-types';
import type { Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  createJobId,
  getJob as fetchJob,
  newUsers,
  uploadBankAndLedger,
} from './fixtures/recon/recon-scenario';

const serverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const HEARTBEAT_MS = 200;
const STALE_MS = 1_000;

// A real worker in its own process (the code main.ts runs for --role=worker), beating every 200 ms.
const CHILD = `
import pino from 'pino';
import { openDatabase } from './src/db/database';
import { startWorker } from './src/worker/worker';
void (async () => {
  const handle = openDatabase(process.env.DATABASE_URL ?? '', { poolMax: 4, statementTimeoutMs: 0 });
  await startWorker({ db: handle.db, log: pino({ level: 'silent' }), dataDir: process.env.DATA_DIR ?? '',
    pollingIntervalSeconds: 0.5, heartbeatMs: ${String(HEARTBEAT_MS)}, staleMs: ${String(STALE_MS)} });
  console.log('worker ready');
})();
`;

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;
let bankId: string;
let ledgerId: string;

type Job = {
  id: string;
  status: string;
  attempt: number;
  phase: string | null;
  failure: { message: string } | null;
};

function getJob(id: string): Promise<Job> {
  return fetchJob<Job>(ctx.app, owner, id);
}

async function count(table: 'recon_matches' | 'recon_exceptions', jobId: string): Promise<number> {
  const row = await ctx.db.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_id', '=', jobId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function queueState(jobId: string) {
  const { rows } = await sql<{
    state: string;
    retry_count: number;
    worker_id: string | null;
    beat_at: Date | null;
  }>`
    SELECT j.state, j.retry_count, a.worker_id, a.beat_at FROM pgboss.job j
    LEFT JOIN queue_attempts a ON a.queue_job_id = j.id
    WHERE j.name = ${RECONCILE_JOB.name} AND j.data->>'job_id' = ${jobId}`.execute(ctx.db.db);
  return rows[0];
}

/** Output of the child workers, shown when a test fails. */
let childOutput = '';

function spawnWorker(): { child: ChildProcess; exited: Promise<unknown> } {
  // node itself with tsx's loader (not the tsx CLI, which would run the worker in a grandchild): the kill hits the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: ctx.db.url, DATA_DIR: ctx.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    childOutput += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, exited };
}

/** Holds an EXCLUSIVE lock on recon_matches: a run reaching its result write blocks there, mid-run. */
async function blockResultWrites(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: ctx.db.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE recon_matches IN EXCLUSIVE MODE');
  return client;
}

/** True when some session of the test database waits for a lock (a run blocked by `blockResultWrites`). */
async function isRunBlocked(): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(ctx.db.db);
  return Number(rows[0]?.n ?? 0) > 0;
}

function createStartedJob(name: string): Promise<string> {
  return createJobId(ctx.app, owner, { name, projectId, sourceId: bankId, targetId: ledgerId, start: true });
}

/** Runs a job in a child worker until it blocks writing its results, checks it beats, then kills it (SIGKILL). */
async function killWorkerMidRun(jobId: string): Promise<void> {
  const lock = await blockResultWrites();
  const { child, exited } = spawnWorker();
  try {
    const first = await waitFor(
      async () => {
        const [job, queue] = [await getJob(jobId), await queueState(jobId)];
        return job.status === 'running' && queue?.beat_at != null && (await isRunBlocked())
          ? queue
          : undefined;
      },
      30_000,
      'the child worker to reach the result write',
    ).catch(async (error: unknown) => {
      const { rows } = await sql<{ output: unknown }>`SELECT output FROM pgboss.job
        WHERE data->>'job_id' = ${jobId}`.execute(ctx.db.db);
      const job = JSON.stringify(await getJob(jobId));
      throw new Error(`${String(error)}; job ${job}; queue ${JSON.stringify(rows)}; child: ${childOutput}`);
    });
    // Alive and blocked: its heartbeat keeps moving.
    await waitFor(
      async () =>
        ((await queueState(jobId))?.beat_at?.getTime() ?? 0) > (first.beat_at?.getTime() ?? 0) || undefined,
      5_000,
      'a heartbeat',
    );
    expect(await count('recon_matches', jobId)).toBe(0);
  } finally {
    child.kill('SIGKILL');
    await exited;
    await lock.query('ROLLBACK');
    await lock.end();
  }
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Crash');
  ({ bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId));
  // From here on the only workers are the ones each test starts.
  await ctx.worker?.stop();
  ctx.worker = undefined;
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

async function startSweepingWorker() {
  ctx.worker = await startWorker({
    db: ctx.db.db,
    log: pino({ level: 'silent' }),
    dataDir: ctx.dataDir,
    pollingIntervalSeconds: 0.5,
    heartbeatMs: HEARTBEAT_MS,
    staleMs: STALE_MS,
  });
}

describe('worker crash recovery', () => {
  it('retries a run whose worker was killed mid-job within seconds and writes its results once', async () => {
    const jobId = await createStartedJob('Killed');
    await killWorkerMidRun(jobId);
    expect(await getJob(jobId)).toMatchObject({ status: 'running', attempt: 1 });
    expect(await count('recon_matches', jobId)).toBe(0);

    const killedAt = Date.now();
    await startSweepingWorker();
    const done = await waitFor(
      async () => {
        const job = await getJob(jobId);
        return ['completed', 'failed'].includes(job.status) ? job : undefined;
      },
      30_000,
      'the retry to finish',
    );
    const recoveryMs = Date.now() - killedAt;
    // Stale after 1 s, retried after the queue's 5 s retry delay: far from the one-hour expiry.
    expect(recoveryMs).toBeLessThan(15_000);
    expect(done).toMatchObject({ status: 'completed', attempt: 2 });
    expect(await count('recon_matches', jobId)).toBe(3);
    expect(await count('recon_exceptions', jobId)).toBe(3);
    expect(await queueState(jobId)).toMatchObject({ state: 'completed', retry_count: 1, worker_id: null });
    await ctx.worker?.stop();
    ctx.worker = undefined;
  }, 90_000);

  it('does not take over a live attempt, and fails the job when a dead attempt had no retry left', async () => {
    const jobId = await createStartedJob('Last attempt');
    const lock = await blockResultWrites();
    const { child, exited } = spawnWorker();
    try {
      await waitFor(async () => ((await isRunBlocked()) ? true : undefined), 30_000, 'the run to block');
      // A sweeping worker sees the child's fresh heartbeats for well over the stale age: it leaves the attempt be.
      await startSweepingWorker();
      await new Promise((resolve) => setTimeout(resolve, STALE_MS * 3));
      expect(await queueState(jobId)).toMatchObject({ state: 'active', retry_count: 0 });
      // No retries left: the next death is final.
      await sql`UPDATE pgboss.job SET retry_limit = 0 WHERE name = ${RECONCILE_JOB.name} AND data->>'job_id' = ${jobId}`.execute(
        ctx.db.db,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
      await lock.query('ROLLBACK');
      await lock.end();
    }
    const failed = await waitFor(
      async () => {
        const job = await getJob(jobId);
        return job.status === 'failed' ? job : undefined;
      },
      15_000,
      'the job to fail',
    );
    expect(failed.failure?.message).toMatch(/worker .* stopped/);
    expect(await count('recon_matches', jobId)).toBe(0);
    expect((await queueState(jobId))?.state).toBe('failed');
    await ctx.worker?.stop();
    ctx.worker = undefined;
  }, 90_000);
});
