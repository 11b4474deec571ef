import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  createJob,
  getJob as fetchJob,
  newUsers,
  readFixture,
  uploadReady,
} from './fixtures/recon/recon-scenario';

const HEADER = 'Date,Reference,Description,Amount,Currency\n';
const DAY_MS = 86_400_000;

type CarryView = {
  requested_job_id: string | null;
  base_source_data_source_id: string;
  base_target_data_source_id: string;
  carried_from_job_id: string | null;
  carried_from_job_name: string | null;
  carried_left: number | null;
  carried_right: number | null;
  materialised_at: string | null;
};
type Job = {
  id: string;
  status: string;
  source_data_source_id: string;
  target_data_source_id: string;
  carry_forward: CarryView | null;
};
type Carried = {
  side: string;
  row_no: string;
  from_job_id: string;
  origin_job_id: string;
  origin_row_no: string;
  first_seen_at: string;
  age_days: number;
  status: string;
  match_id: string | null;
  amount_minor: string;
  reference: string | null;
};

let ctx: ReconTestContext;
let owner: Session;
let projectId: string;

const source = (name: string, content: string | Buffer) =>
  uploadReady(ctx.app, owner, projectId, name, content);

async function runJob(name: string, left: string, right: string, extra: Record<string, unknown> = {}) {
  const job = { name, projectId, sourceId: left, targetId: right, start: true };
  const created = await createJob(ctx.app, owner, job, extra);
  expect(created.statusCode, created.body).toBe(201);
  return waitForCompleted(created.json<Job>().id);
}

function getJob(id: string): Promise<Job> {
  return fetchJob<Job>(ctx.app, owner, id);
}

function waitForCompleted(id: string): Promise<Job> {
  return waitFor(
    async () => {
      const job = await getJob(id);
      if (job.status === 'failed') {
        const { rows } = await sql<{
          output: unknown;
        }>`SELECT output FROM pgboss.job WHERE data->>'job_id' = ${id}`.execute(ctx.db.db);
        throw new Error(`job ${id} failed: ${JSON.stringify(rows)}`);
      }
      return job.status === 'completed' ? job : undefined;
    },
    30_000,
    `job ${id} to complete`,
  );
}

async function carried(jobId: string, side: 'left' | 'right'): Promise<Carried[]> {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/reconciliation/jobs/${jobId}/carried?side=${side}`,
    headers: owner.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Carried[] }>().items;
}

/** Open exceptions of a job by reference, with their first-seen time. */
async function exceptions(jobId: string) {
  const { rows } = await sql<{
    side: string;
    reference: string;
    status: string;
    assignee_id: string | null;
    first_seen_at: Date;
  }>`
    SELECT e.side, r.reference, e.status, e.assignee_id, e.first_seen_at FROM recon_exceptions e
    JOIN recon_jobs j ON j.id = e.job_id
    JOIN records r ON r.row_no = e.row_no
      AND r.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
    WHERE e.job_id = ${jobId} ORDER BY e.side, r.reference`.execute(ctx.db.db);
  return rows;
}

async function matchedReferences(jobId: string): Promise<string[]> {
  const { rows } = await sql<{ reference: string }>`SELECT r.reference FROM recon_matches m
    JOIN recon_jobs j ON j.id = m.job_id
    JOIN records r ON r.data_source_id = j.source_data_source_id AND r.row_no = ANY(m.left_rows)
    WHERE m.job_id = ${jobId} ORDER BY r.reference`.execute(ctx.db.db);
  return rows.map((r) => r.reference);
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner } = await newUsers(ctx.app, 'owner'));
  projectId = await createProject(ctx.app, owner, 'Monthly close');
});
afterAll(async () => {
  await ctx.close();
});

describe('carry-forward of open exceptions', () => {
  it('carries open exceptions into the next job with their age and origin, through a chain of jobs', async () => {
    // January: INV-1004 and NOREF stay open on the bank side, INV-1005 on the ledger side.
    const january = await runJob(
      'January',
      await source('bank.csv', await readFixture('bank.csv')),
      await source('ledger.csv', await readFixture('ledger.csv')),
    );
    expect(january.carry_forward).toBeNull();
    const open = await exceptions(january.id);
    expect(open.map((e) => `${e.side}:${e.reference}`)).toEqual([
      'left:INV-1004',
      'left:NOREF',
      'right:INV-1005',
    ]);
    // The bank fee is written off: it must not be carried.
    const fee = await sql<{ row_no: string; version: number }>`SELECT e.row_no::text AS row_no, e.version
      FROM recon_exceptions e JOIN records r ON r.data_source_id = ${january.source_data_source_id} AND r.row_no = e.row_no
      WHERE e.job_id = ${january.id} AND e.side = 'left' AND r.reference = 'NOREF'`.execute(ctx.db.db);
    const writeOff = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${january.id}/exceptions/left/${fee.rows[0]?.row_no ?? ''}/write-off`,
      headers: owner.headers,
      payload: { version: fee.rows[0]?.version, code: 'BANK_FEE', reason: 'booked as expense' },
    });
    expect(writeOff.statusCode, writeOff.body).toBe(200);
    // The Umbrella invoice is being looked into, by the owner: its review state goes along when carried.
    const inv1004 = await sql<{ row_no: string; version: number }>`SELECT e.row_no::text AS row_no, e.version
      FROM recon_exceptions e JOIN records r ON r.data_source_id = ${january.source_data_source_id} AND r.row_no = e.row_no
      WHERE e.job_id = ${january.id} AND e.side = 'left' AND r.reference = 'INV-1004'`.execute(ctx.db.db);
    const inv1004Url = `/api/reconciliation/jobs/${january.id}/exceptions/left/${inv1004.rows[0]?.row_no ?? ''}`;
    const investigating = await ctx.app.inject({
      method: 'POST',
      url: `${inv1004Url}/status`,
      headers: owner.headers,
      payload: { version: inv1004.rows[0]?.version, status: 'investigating' },
    });
    expect(investigating.statusCode, investigating.body).toBe(200);
    const assigned = await ctx.app.inject({
      method: 'POST',
      url: `${inv1004Url}/assign`,
      headers: owner.headers,
      payload: { version: investigating.json<{ version: number }>().version, assignee_id: owner.userId },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    // Time passes: January's exceptions were first seen ten days ago.
    const tenDaysAgo = new Date(Date.now() - 10 * DAY_MS - 60_000);
    await sql`UPDATE recon_exceptions SET first_seen_at = ${tenDaysAgo} WHERE job_id = ${january.id}`.execute(
      ctx.db.db,
    );

    // February: the Hooli payment arrives at the bank; the Umbrella invoice is still missing in the ledger.
    const bankFeb = await source(
      'bank-feb.csv',
      `${HEADER}2024-02-01,INV-1005,Payment Hooli,777.00,EUR\n2024-02-02,INV-1006,Payment Stark,50.00,EUR\n`,
    );
    const ledgerFeb = await source(
      'ledger-feb.csv',
      `${HEADER}2024-02-03,INV-1007,Wayne invoice,10.00,EUR\n`,
    );
    const february = await runJob('February', bankFeb, ledgerFeb, { carry_forward: true });
    expect(february.carry_forward).toMatchObject({
      requested_job_id: null,
      base_source_data_source_id: bankFeb,
      base_target_data_source_id: ledgerFeb,
      carried_from_job_id: january.id,
      carried_from_job_name: 'January',
      carried_left: 1,
      carried_right: 1,
    });
    // The job runs on derived inputs: the chosen file's records plus the carried ones.
    expect(february.source_data_source_id).not.toBe(bankFeb);
    expect(february.target_data_source_id).not.toBe(ledgerFeb);
    // The derived inputs are the job's: hidden from the project's list, never remapped or deleted alone.
    const listed = await ctx.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/data-sources`,
      headers: owner.headers,
    });
    const listedIds = listed.json<{ items: { id: string }[] }>().items.map((item) => item.id);
    expect(listedIds).toContain(bankFeb);
    expect(listedIds).not.toContain(february.source_data_source_id);
    const remap = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${february.source_data_source_id}/mapping`,
      headers: owner.headers,
      payload: { mapping: { amount: { column: 'Amount' } } },
    });
    expectProblem(remap, 409, 'CONFLICT');
    const deleteDerived = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/data-sources/${february.target_data_source_id}`,
      headers: owner.headers,
    });
    expectProblem(deleteDerived, 409, 'CONFLICT');
    expect(await matchedReferences(february.id)).toEqual(['INV-1005']);
    const febOpen = await exceptions(february.id);
    expect(febOpen.map((e) => `${e.side}:${e.reference}`)).toEqual([
      'left:INV-1004',
      'left:INV-1006',
      'right:INV-1007',
    ]);
    // The carried exception keeps its age and review state; new ones start now, open and unassigned.
    expect(febOpen[0]?.first_seen_at.toISOString()).toBe(tenDaysAgo.toISOString());
    expect(
      febOpen.map(
        (e) =>
          `${e.reference}:${e.status}:${e.assignee_id === owner.userId ? 'owner' : String(e.assignee_id)}`,
      ),
    ).toEqual(['INV-1004:investigating:owner', 'INV-1006:open:null', 'INV-1007:open:null']);
    expect(Date.now() - (febOpen[1]?.first_seen_at.getTime() ?? 0)).toBeLessThan(60_000);

    const febRight = await carried(february.id, 'right');
    expect(febRight).toHaveLength(1);
    expect(febRight[0]).toMatchObject({
      origin_job_id: january.id,
      from_job_id: january.id,
      status: 'matched',
      reference: 'INV-1005',
      amount_minor: '77700',
      age_days: 10,
    });
    expect(febRight[0]?.match_id).not.toBeNull();
    const febLeft = await carried(february.id, 'left');
    expect(febLeft[0]).toMatchObject({
      status: 'investigating',
      reference: 'INV-1004',
      match_id: null,
      age_days: 10,
    });

    // March carries from February by name: INV-1004 (carried twice), INV-1006 and INV-1007.
    const bankMar = await source('bank-mar.csv', `${HEADER}2024-03-01,INV-1008,Payment Acme,5.00,EUR\n`);
    const ledgerMar = await source(
      'ledger-mar.csv',
      `${HEADER}2024-03-02,INV-1004,Umbrella invoice,4000.00,EUR\n2024-03-03,INV-1006,Stark invoice,50.00,EUR\n`,
    );
    const march = await runJob('March', bankMar, ledgerMar, { carry_forward_from_job_id: february.id });
    expect(march.carry_forward).toMatchObject({
      requested_job_id: february.id,
      carried_from_job_id: february.id,
      carried_left: 2,
      carried_right: 1,
    });
    expect(await matchedReferences(march.id)).toEqual(['INV-1004', 'INV-1006']);
    const marLeft = await carried(march.id, 'left');
    const umbrella = marLeft.find((c) => c.reference === 'INV-1004');
    // Matched in March, shown with where it was first seen (January) and its age from then.
    expect(umbrella).toMatchObject({
      status: 'matched',
      from_job_id: february.id,
      origin_job_id: january.id,
      age_days: 10,
    });
    expect(umbrella?.first_seen_at).toBe(tenDaysAgo.toISOString());
    const stark = marLeft.find((c) => c.reference === 'INV-1006');
    expect(stark).toMatchObject({ status: 'matched', origin_job_id: february.id, age_days: 0 });

    // A rerun reproduces the same inputs and results.
    const rerun = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${february.id}/rerun`,
      headers: owner.headers,
    });
    expect(rerun.statusCode, rerun.body).toBe(200);
    const again = await waitForCompleted(february.id);
    expect(again.source_data_source_id).toBe(february.source_data_source_id);
    expect(again.carry_forward?.materialised_at).toBe(february.carry_forward?.materialised_at);
    expect(await matchedReferences(february.id)).toEqual(['INV-1005']);
    expect((await exceptions(february.id))[0]?.first_seen_at.toISOString()).toBe(tenDaysAgo.toISOString());

    // Deleting a job removes its derived inputs, not the chosen files.
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/reconciliation/jobs/${march.id}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    const left = await sql<{
      id: string;
    }>`SELECT id FROM data_sources WHERE id IN (${march.source_data_source_id}, ${bankMar})`.execute(
      ctx.db.db,
    );
    expect(left.rows.map((r) => r.id)).toEqual([bankMar]);

    // Turning carry-forward off keeps February's inputs (its results name their rows) until the next run.
    const off = await ctx.app.inject({
      method: 'PUT',
      url: `/api/reconciliation/jobs/${february.id}`,
      headers: owner.headers,
      payload: { carry_forward: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<Job>().carry_forward).toMatchObject({ enabled: false, rechoose: true, carried_left: 1 });
    expect(off.json<Job>().source_data_source_id).toBe(february.source_data_source_id);
    expect(await carried(february.id, 'right')).toHaveLength(1);
    const plain = await ctx.app.inject({
      method: 'POST',
      url: `/api/reconciliation/jobs/${february.id}/rerun`,
      headers: owner.headers,
    });
    expect(plain.statusCode, plain.body).toBe(200);
    const rerunPlain = await waitForCompleted(february.id);
    expect(rerunPlain).toMatchObject({
      carry_forward: null,
      source_data_source_id: bankFeb,
      target_data_source_id: ledgerFeb,
    });
    expect(await matchedReferences(february.id)).toEqual([]);
    const gone = await sql<{ n: string }>`SELECT count(*)::text AS n FROM data_sources
      WHERE id IN (${february.source_data_source_id}, ${february.target_data_source_id})`.execute(ctx.db.db);
    expect(gone.rows[0]?.n).toBe('0');
  }, 90_000);

  it('turns carry-forward on and off with PUT and validates the job to carry from', async () => {
    const bank = await source('bank-apr.csv', `${HEADER}2024-04-01,INV-2001,Payment,1.00,EUR\n`);
    const ledger = await source('ledger-apr.csv', `${HEADER}2024-04-01,INV-2001,Invoice,1.00,EUR\n`);
    const other = await createProject(ctx.app, owner, 'Other');
    const job = { projectId, sourceId: bank, targetId: ledger };
    const foreign = await createJob(
      ctx.app,
      owner,
      { ...job, name: 'x' },
      { carry_forward_from_job_id: other },
    );
    expectProblem(foreign, 404, 'JOB_NOT_FOUND');
    const created = await createJob(ctx.app, owner, { ...job, name: 'April' });
    const id = created.json<Job>().id;
    const put = (payload: Record<string, unknown>) =>
      ctx.app.inject({
        method: 'PUT',
        url: `/api/reconciliation/jobs/${id}`,
        headers: owner.headers,
        payload,
      });
    const on = await put({ carry_forward: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json<Job>().carry_forward).toMatchObject({
      enabled: true,
      rechoose: false,
      requested_job_id: null,
      materialised_at: null,
      base_source_data_source_id: bank,
    });
    expectProblem(await put({ carry_forward_from_job_id: id }), 400, 'VALIDATION_FAILED');
    const off = await put({ carry_forward: false });
    expect(off.json<Job>().carry_forward).toBeNull();
    const notCompleted = await ctx.app.inject({
      method: 'GET',
      url: `/api/reconciliation/jobs/${id}/carried`,
      headers: owner.headers,
    });
    expectProblem(notCompleted, 409, 'JOB_STATE_CONFLICT');
  });
});
