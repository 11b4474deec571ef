import { sql } from 'kysely';
import { jobsFinished, recordsProcessed } from '../src/observability/platform-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, EventSubscriber } from '../src/events/event-bus';
import { RECONCILE_JOB } from '../src/queue/job-types';
import { JobQueue } from '../src/queue/job-queue';
import { transitionJob } from '../src/features/jobs/jobs.service';
import pino from 'pino';
import { expectProblem, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  upload,
  waitFor,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  createJob as postJob,
  getJob as fetchJob,
  newUsers,
  REFERENCE_RULES,
  uploadBankAndLedger,
} from './fixtures/recon/recon-scenario';

let ctx: ReconTestContext;
let owner: Session;
let manager: Session;
let viewer: Session;
let outsider: Session;
let projectId: string;
let otherProjectId: string;
let bankId: string;
let ledgerId: string;

type Job = {
  id: string;
  status: string;
  run_no: number;
  attempt: number;
  progress: number;
  provenance: Record<string, unknown> | null;
};

function getJob(id: string, session: Session = owner): Promise<Job> {
  return fetchJob<Job>(ctx.app, session, id);
}

function waitForStatus(id: string, statuses: string[]) {
  return waitFor(
    async () => {
      const job = await getJob(id);
      return statuses.includes(job.status) ? job : undefined;
    },
    30_000,
    `job ${id} to be ${statuses.join('/')}`,
  );
}

function createJob(session: Session, extra: Record<string, unknown> = {}) {
  return postJob(
    ctx.app,
    session,
    { name: 'January', projectId, sourceId: bankId, targetId: ledgerId },
    extra,
  );
}

/** Restarts the in-process worker if a test stopped it. */
async function ensureWorker(): Promise<void> {
  if (ctx.worker === undefined) await ctx.startWorker();
}

async function matchCount(jobId: string): Promise<number> {
  const row = await ctx.db.db
    .selectFrom('recon_matches')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_id', '=', jobId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner, manager, viewer, outsider } = await newUsers(ctx.app, 'owner', 'manager', 'viewer', 'outsider'));
  projectId = await createProject(ctx.app, owner, 'Close', [
    { email: 'manager@example.com', role: 'manager' },
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  otherProjectId = await createProject(ctx.app, outsider, 'Theirs');
  ({ bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId));
});
afterAll(async () => {
  await ctx.close();
});

describe('job lifecycle', () => {
  it('runs a started job in the worker and exposes its results', async () => {
    const created = await createJob(manager);
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<Job>();
    expect(draft.status).toBe('draft');
    const started = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${draft.id}/start`,
      headers: manager.headers,
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<Job>()).toMatchObject({ status: 'queued', run_no: 1 });
    const done = await waitForStatus(draft.id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', progress: 100, attempt: 1 });
    expect(done.provenance).toMatchObject({
      engine_version: expect.any(String),
      source: { data_source_id: bankId, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), records: 5 },
      target: { data_source_id: ledgerId, records: 4 },
    });

    const summary = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/results`,
      headers: viewer.headers,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json()).toMatchObject({
      matches: 3,
      left: { total: { count: 5 }, matched: { count: 3 }, unmatched: { count: 2 } },
      right: { total: { count: 4 }, matched: { count: 3 }, unmatched: { count: 1 } },
    });

    const page = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/matches?limit=2`,
      headers: viewer.headers,
    });
    const body = page.json<{
      items: {
        match_id: number;
        left: { reference: string }[];
        right: { reference: string }[];
        explanation: object;
      }[];
      next_cursor: string;
    }>();
    expect(body.items).toHaveLength(2);
    expect(body.items[0]?.left[0]?.reference).toBe(body.items[0]?.right[0]?.reference);
    expect(body.items[0]?.explanation).toHaveProperty('comparisons');
    const next = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/matches?limit=2&cursor=${body.next_cursor}`,
      headers: viewer.headers,
    });
    expect(next.json<{ items: unknown[]; next_cursor: null }>()).toMatchObject({
      items: [expect.anything()],
      next_cursor: null,
    });

    const left = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/unmatched?side=left`,
      headers: viewer.headers,
    });
    expect(
      left.json<{ items: { record: { reference: string } }[] }>().items.map((item) => item.record.reference),
    ).toEqual(['INV-1004', 'NOREF']);
    const searched = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/unmatched?side=left&q=fee`,
      headers: viewer.headers,
    });
    expect(searched.json<{ items: { row: number }[] }>().items.map((item) => item.row)).toEqual([5]);
    const right = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${draft.id}/unmatched?side=right`,
      headers: viewer.headers,
    });
    expect(
      right.json<{ items: { record: { reference: string } }[] }>().items.map((item) => item.record.reference),
    ).toEqual(['INV-1005']);
  });

  it('counts finished jobs and processed records in the Prometheus metrics', async () => {
    const finished = async () =>
      (await jobsFinished.get()).values.find(
        (v) => v.labels.kind === 'reconcile' && v.labels.status === 'completed',
      )?.value ?? 0;
    const processed = async () =>
      (await recordsProcessed.get()).values.find((v) => v.labels.kind === 'reconcile')?.value ?? 0;
    const [finishedBefore, processedBefore] = [await finished(), await processed()];
    const created = await createJob(manager);
    const id = created.json<Job>().id;
    await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${id}/start`,
      headers: manager.headers,
    });
    expect(await waitForStatus(id, ['completed', 'failed'])).toMatchObject({ status: 'completed' });
    expect(await finished()).toBe(finishedBefore + 1);
    // 5 bank records and 4 ledger records.
    expect(await processed()).toBe(processedBefore + 9);
  });

  it('answers 409 on results of a job that has not completed', async () => {
    const draft = (await createJob(manager)).json<Job>();
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/reconciliation/jobs/${draft.id}/results`,
        headers: owner.headers,
      }),
      409,
      'JOB_STATE_CONFLICT',
    );
  });

  it('refuses PUT while queued, cancels, reruns and deletes', async () => {
    await ctx.worker?.stop();
    ctx.worker = undefined;
    try {
      const job = (await createJob(manager, { start: true })).json<Job>();
      expect(job.status).toBe('queued');
      const put = await ctx.app.inject({
        method: 'PUT',
        url: `/api/reconciliation/jobs/${job.id}`,
        headers: manager.headers,
        payload: { name: 'Renamed' },
      });
      expectProblem(put, 409, 'JOB_STATE_CONFLICT');
      expectProblem(
        await ctx.app.inject({
          method: 'POST',
          url: `/api/reconciliation/jobs/${job.id}/start`,
          headers: manager.headers,
        }),
        409,
        'JOB_STATE_CONFLICT',
      );
      const cancelled = await ctx.app.inject({
        method: 'POST',
        url: `/api/reconciliation/jobs/${job.id}/cancel`,
        headers: manager.headers,
      });
      expect(cancelled.json<Job>().status).toBe('cancelled');
      const renamed = await ctx.app.inject({
        method: 'PUT',
        url: `/api/reconciliation/jobs/${job.id}`,
        headers: manager.headers,
        payload: { name: 'Renamed', confidence_threshold: 0.7 },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: 'Renamed', confidence_threshold: 0.7 });
      const rerun = await ctx.app.inject({
        method: 'POST',
        url: `/api/reconciliation/jobs/${job.id}/rerun`,
        headers: manager.headers,
      });
      expect(rerun.json<Job>()).toMatchObject({ status: 'queued', run_no: 2 });
      await ctx.startWorker();
      await waitForStatus(job.id, ['completed']);
      // The cancelled run's queue entry (run 1) was skipped: one set of results.
      expect(await matchCount(job.id)).toBe(3);
      const deleted = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/reconciliation/jobs/${job.id}`,
        headers: manager.headers,
      });
      expect(deleted.statusCode, deleted.body).toBe(200);
      // Retired by the delete, dropped by the worker's sweep (migration 0108).
      await waitFor(
        async () => ((await matchCount(job.id)) === 0 ? true : undefined),
        15_000,
        'the sweep to drop the deleted job’s results',
      );
      expectProblem(
        await ctx.app.inject({
          method: 'GET',
          url: `/api/reconciliation/jobs/${job.id}`,
          headers: manager.headers,
        }),
        404,
        'JOB_NOT_FOUND',
      );
    } finally {
      await ensureWorker();
    }
  });

  it('refuses to delete a data source while a queued job reads it', async () => {
    await ctx.worker?.stop();
    ctx.worker = undefined;
    try {
      const job = (await createJob(manager, { start: true })).json<Job>();
      expectProblem(
        await ctx.app.inject({
          method: 'DELETE',
          url: `/api/data-sources/${bankId}`,
          headers: owner.headers,
        }),
        409,
        'DATA_SOURCE_IN_USE',
      );
      await ctx.app.inject({
        method: 'POST',
        url: `/api/reconciliation/jobs/${job.id}/cancel`,
        headers: manager.headers,
      });
    } finally {
      await ctx.startWorker();
    }
  });

  it('validates rules and names the pass and field in errors', async () => {
    const bad = await createJob(manager, {
      rules: {
        version: 1,
        passes: [{ name: 'fuzzy', comparisons: [{ type: 'text', field: 'description', threshold: 2 }] }],
      },
    });
    const problem = expectProblem(bad, 400, 'RULE_SET_INVALID');
    expect(problem.errors).toEqual([
      expect.objectContaining({
        field: 'rules.passes.0.comparisons.0.threshold',
        message: expect.stringContaining('pass "fuzzy"'),
      }),
    ]);
  });

  it('lists jobs of a project with status filter and keyset paging', async () => {
    const first = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs?project_id=${projectId}&limit=1`,
      headers: viewer.headers,
    });
    const page = first.json<{ items: Job[]; next_cursor: string }>();
    expect(page.items).toHaveLength(1);
    const second = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs?project_id=${projectId}&limit=1&cursor=${page.next_cursor}`,
      headers: viewer.headers,
    });
    expect(second.json<{ items: Job[] }>().items[0]?.id).not.toBe(page.items[0]?.id);
    const completed = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs?project_id=${projectId}&status=completed`,
      headers: viewer.headers,
    });
    expect(completed.json<{ items: Job[] }>().items.every((job) => job.status === 'completed')).toBe(true);
  });
});

describe('larger inputs', () => {
  it('loads every record exactly once across batches and row numbers past 9 (numeric, not text, order)', async () => {
    const rows = (n: number) =>
      [
        'Date,Reference,Amount,Currency',
        ...Array.from(
          { length: n },
          (_, i) => `2024-02-${String(1 + (i % 28)).padStart(2, '0')},R-${i + 1},${i + 1}.00,EUR`,
        ),
      ].join('\n');
    const a = (await upload(ctx.app, owner, projectId, 'many-a.csv', rows(25))).json<{ id: string }>().id;
    const b = (await upload(ctx.app, owner, projectId, 'many-b.csv', `${rows(25)}\n`)).json<{ id: string }>()
      .id;
    await waitForIngestion(ctx.app, owner, a);
    await waitForIngestion(ctx.app, owner, b);
    const preview = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${a}/preview?limit=30`,
      headers: owner.headers,
    });
    expect(preview.json<{ records: { row: number }[] }>().records.map((r) => r.row)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const job = (
      await createJob(manager, { source_data_source_id: a, target_data_source_id: b, start: true })
    ).json<Job>();
    await waitForStatus(job.id, ['completed']);
    expect(await matchCount(job.id)).toBe(25);
    const summary = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${job.id}/results`,
      headers: owner.headers,
    });
    expect(summary.json()).toMatchObject({
      matches: 25,
      left: { total: { count: 25 }, unmatched: { count: 0 } },
    });
  });
});

describe('job events', () => {
  it('publishes status and progress (with phase) over LISTEN/NOTIFY while a job runs', async () => {
    const subscriber = new EventSubscriber(ctx.db.url);
    const events: Record<string, unknown>[] = [];
    await subscriber.subscribe(EVENT_CHANNELS.jobs, (event) => events.push(event));
    try {
      const job = (await createJob(manager, { start: true })).json<Job>();
      await waitForStatus(job.id, ['completed']);
      await waitFor(
        () => Promise.resolve(events.some((e) => e.status === 'completed') ? true : undefined),
        5_000,
        'completed event',
      );
      const mine = events.filter((e) => e.job_id === job.id);
      expect(mine.filter((e) => e.type === 'job.status').map((e) => e.status)).toEqual([
        'queued',
        'running',
        'completed',
      ]);
      expect(
        mine.some(
          (e) => e.type === 'job.progress' && typeof e.phase === 'string' && typeof e.progress === 'number',
        ),
      ).toBe(true);
    } finally {
      await subscriber.close();
    }
  });
});

describe('rule suggestion', () => {
  it('proposes a valid rule set from two ingested sources, which a job can run', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets/suggest`,
      headers: manager.headers,
      payload: { source_data_source_id: bankId, target_data_source_id: ledgerId },
    });
    expect(response.statusCode, response.body).toBe(200);
    const suggestion = response.json<{ rules: { passes: unknown[] }; notes: string[] }>();
    expect(suggestion.rules.passes.length).toBeGreaterThan(0);
    expect(suggestion.notes.length).toBeGreaterThan(0);
    const job = await createJob(manager, { rules: suggestion.rules, start: true });
    expect(job.statusCode, job.body).toBe(201);
    expect((await waitForStatus(job.json<Job>().id, ['completed', 'failed'])).status).toBe('completed');
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${otherProjectId}/rule-sets/suggest`,
      headers: outsider.headers,
      payload: { source_data_source_id: bankId, target_data_source_id: ledgerId },
    });
    expectProblem(foreign, 404, 'DATA_SOURCE_NOT_FOUND');
    const viewerTry = await ctx.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/rule-sets/suggest`,
      headers: viewer.headers,
      payload: { source_data_source_id: bankId, target_data_source_id: ledgerId },
    });
    expectProblem(viewerTry, 403, 'FORBIDDEN');
  });
});

describe('job authorization', () => {
  it('lets viewers read but not create or start jobs (403), and hides other projects (404)', async () => {
    expectProblem(await createJob(viewer), 403, 'FORBIDDEN');
    const draft = (await createJob(manager)).json<Job>();
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/reconciliation/jobs/${draft.id}/start`,
        headers: viewer.headers,
      }),
      403,
      'FORBIDDEN',
    );
    expect((await getJob(draft.id, viewer)).status).toBe('draft');
    for (const [method, url] of [
      ['GET', `/api/reconciliation/jobs/${draft.id}`],
      ['POST', `/api/reconciliation/jobs/${draft.id}/start`],
      ['DELETE', `/api/reconciliation/jobs/${draft.id}`],
      ['GET', `/api/reconciliation/jobs/${draft.id}/results`],
    ] as const) {
      expectProblem(await ctx.app.inject({ method, url, headers: outsider.headers }), 404, 'JOB_NOT_FOUND');
    }
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: '/api/reconciliation/jobs',
      headers: outsider.headers,
      payload: {
        name: 'x',
        project_id: otherProjectId,
        source_data_source_id: bankId,
        target_data_source_id: ledgerId,
        rules: REFERENCE_RULES,
      },
    });
    expectProblem(foreign, 404, 'DATA_SOURCE_NOT_FOUND');
    expectProblem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/reconciliation/jobs?project_id=${projectId}`,
        headers: outsider.headers,
      }),
      404,
      'PROJECT_NOT_FOUND',
    );
  });
});

describe('exactly-once results', () => {
  it('writes results once when a run is delivered twice and after a worker died mid-run', async () => {
    const job = (await createJob(manager, { start: true })).json<Job>();
    await waitForStatus(job.id, ['completed']);
    expect(await matchCount(job.id)).toBe(3);

    // A second delivery of the same run (a lost acknowledgement) finds the job completed and changes nothing.
    const queue = new JobQueue(ctx.db.db, pino({ level: 'silent' }));
    const redelivered = await queue.sendUnchecked(RECONCILE_JOB.name, { job_id: job.id, run_no: 1 });
    await waitFor(
      async () =>
        (await queue.stateOf(RECONCILE_JOB.name, redelivered ?? ''))?.state === 'completed' || undefined,
      20_000,
      'redelivery',
    );
    expect(await matchCount(job.id)).toBe(3);
    expect((await getJob(job.id)).attempt).toBe(1);

    // A worker killed mid-run leaves the job running with no results; the queue's retry completes it once.
    await ctx.db.db.deleteFrom('recon_matches').where('job_id', '=', job.id).execute();
    await ctx.db.db.deleteFrom('recon_exceptions').where('job_id', '=', job.id).execute();
    await ctx.db.db
      .updateTable('recon_jobs')
      .set({ status: 'running', run_no: 2, progress: 40 })
      .where('id', '=', job.id)
      .execute();
    await queue.sendUnchecked(RECONCILE_JOB.name, { job_id: job.id, run_no: 2 });
    const done = await waitForStatus(job.id, ['completed']);
    expect(done.attempt).toBe(2);
    expect(await matchCount(job.id)).toBe(3);
    const duplicates = await ctx.db.db
      .selectFrom('recon_exceptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(Number(duplicates.n)).toBe(3);
    await queue.stop();
  });

  it('retries a run whose worker died mid-job (pg-boss expiry) and writes its results once', async () => {
    await ctx.worker?.stop();
    ctx.worker = undefined;
    // A "worker" that takes the run, marks it running like the real handler, then never finishes: as if killed.
    const zombie = new JobQueue(ctx.db.db, pino({ level: 'silent' }), { pollingIntervalSeconds: 0.5 });
    let release: () => void = () => undefined;
    let taken = false;
    await zombie.work(RECONCILE_JOB, async (payload) => {
      await transitionJob(ctx.db.db, payload.job_id, 'run', { attempt: 1, phase: 'load' });
      taken = true;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    try {
      const job = (await createJob(manager, { start: true })).json<Job>();
      await waitFor(() => Promise.resolve(taken ? true : undefined), 15_000, 'the zombie to take the run');
      expect((await getJob(job.id)).status).toBe('running');
      // The dead attempt expires (1 s instead of an hour), maintenance fails it into a retry, the real worker runs it.
      await sql`UPDATE pgboss.job SET expire_in = interval '1 second' WHERE name = ${RECONCILE_JOB.name} AND data->>'job_id' = ${job.id}`.execute(
        ctx.db.db,
      );
      await ctx.startWorker({ maintenanceIntervalSeconds: 1 });
      const done = await waitForStatus(job.id, ['completed', 'failed']);
      expect(done).toMatchObject({ status: 'completed', attempt: 2 });
      expect(await matchCount(job.id)).toBe(3);
    } finally {
      release();
      await zombie.stop(1_000);
      await ensureWorker();
    }
  }, 60_000);
});
