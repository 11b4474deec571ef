import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { createJob, getJob, newUsers, readFixture, uploadReady } from './fixtures/recon/recon-scenario';

// Exceptions carry their record's amount and booking date (migration 0106), the keys their pages sort by.
// Every writer must fill them: the run's export, review's unmatch (reopened rows) and a carried-forward run.

type Job = { id: string; status: string };
type Match = { match_id: number; version: number; left: { row: number }[] };

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;

const HEADER = 'Date,Reference,Description,Amount,Currency\n';

async function runJob(name: string, left: string, right: string, extra: Record<string, unknown> = {}) {
  const created = await createJob(
    ctx.app,
    owner,
    { name, projectId, sourceId: left, targetId: right, start: true },
    extra,
  );
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Job>().id;
  return waitFor(
    async () => {
      const job = await getJob<Job>(ctx.app, owner, id);
      if (job.status === 'failed') throw new Error(`job ${id} failed`);
      return job.status === 'completed' ? job : undefined;
    },
    30_000,
    `job ${id} to complete`,
  );
}

/** Each exception of the job with its stored keys next to its record's values. */
async function keys(jobId: string) {
  const { rows } = await sql<{
    side: string;
    row_no: string;
    stored_amount: string;
    record_amount: string;
    stored_date: string | null;
    record_date: string | null;
  }>`SELECT e.side, e.row_no::text AS row_no, e.amount_minor::text AS stored_amount,
      r.amount_minor::text AS record_amount, e.booking_date::text AS stored_date, r.booking_date::text AS record_date
    FROM recon_exceptions e JOIN recon_jobs j ON j.id = e.job_id
    LEFT JOIN records r ON r.row_no = e.row_no
      AND r.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
    WHERE e.job_id = ${jobId} ORDER BY e.side, e.row_no`.execute(ctx.db.db);
  return rows;
}

function expectKeysOfRecords(rows: Awaited<ReturnType<typeof keys>>) {
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.record_amount, `${row.side} ${row.row_no} has a record`).not.toBeNull();
    expect(row.stored_amount, `${row.side} ${row.row_no}`).toBe(row.record_amount);
    expect(row.stored_date, `${row.side} ${row.row_no}`).toBe(row.record_date);
  }
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Sort keys');
});
afterAll(async () => {
  await ctx.close();
});

describe('exception sort keys', () => {
  it('are the records’ amount and booking date after a run, an unmatch and a carried-forward run', async () => {
    const bank = await uploadReady(ctx.app, owner, projectId, 'bank.csv', await readFixture('bank.csv'));
    const ledger = await uploadReady(
      ctx.app,
      owner,
      projectId,
      'ledger.csv',
      await readFixture('ledger.csv'),
    );
    const january = await runJob('January', bank, ledger);
    const afterRun = await keys(january.id);
    expectKeysOfRecords(afterRun);
    // Not all alike: a key copied from the wrong row or side would show.
    expect(new Set(afterRun.map((row) => row.stored_amount)).size).toBeGreaterThan(1);

    // Unmatching a match reopens its records as exceptions: they get their keys too.
    const base = `/api/reconciliation/jobs/${january.id}`;
    const page = await ctx.app.inject({ method: 'GET', url: `${base}/matches`, headers: owner.headers });
    const match = page.json<{ items: Match[] }>().items[0];
    if (match === undefined) throw new Error('January has no match');
    const unmatched = await ctx.app.inject({
      method: 'POST',
      url: `${base}/matches/${match.match_id}/unmatch`,
      headers: owner.headers,
      payload: { version: match.version, reason: 'split payment' },
    });
    expect(unmatched.statusCode, unmatched.body).toBe(200);
    const afterUnmatch = await keys(january.id);
    expect(afterUnmatch.length).toBeGreaterThan(afterRun.length);
    const reopened = afterUnmatch.filter(
      (row) => row.side === 'left' && row.row_no === String(match.left[0]?.row),
    );
    expect(reopened).toHaveLength(1);
    expectKeysOfRecords(afterUnmatch);

    // February runs on derived inputs holding January's open exceptions, renumbered: their keys are the
    // carried records' own.
    const bankFeb = await uploadReady(
      ctx.app,
      owner,
      projectId,
      'bank-feb.csv',
      `${HEADER}2024-02-01,INV-1005,Payment Hooli,777.00,EUR\n2024-02-02,INV-1006,Payment Stark,50.00,EUR\n`,
    );
    const ledgerFeb = await uploadReady(
      ctx.app,
      owner,
      projectId,
      'ledger-feb.csv',
      `${HEADER}2024-02-03,INV-1007,Wayne invoice,10.00,EUR\n`,
    );
    const february = await runJob('February', bankFeb, ledgerFeb, { carry_forward: true });
    const carried = await sql<{ n: string }>`SELECT count(*)::text AS n FROM recon_exceptions e
      JOIN recon_jobs j ON j.id = e.job_id
      JOIN recon_carried_records c ON c.row_no = e.row_no
        AND c.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
      WHERE e.job_id = ${february.id}`.execute(ctx.db.db);
    expect(Number(carried.rows[0]?.n)).toBeGreaterThan(0);
    expectKeysOfRecords(await keys(february.id));
  });
});
