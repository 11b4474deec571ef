import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSubscriber } from '../src/events/event-bus';
import { REALTIME_CHANNEL } from '../src/realtime/event-fanout';
import { expectProblem, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { newUsers, runJobToCompletion, uploadBankAndLedger } from './fixtures/recon/recon-scenario';

const BANK = [
  'Date,Reference,Description,Amount,Currency',
  '2024-01-02,INV-1,Payment ACME Ltd,100.00,EUR',
  '2024-01-03,INV-2,Payment Globex,200.00,EUR',
  '2024-01-04,INV-3,Payment Initech,300.00,EUR',
  '2024-01-05,"=HYPERLINK(""http://evil"")",Formula,-5.00,EUR',
  '2024-01-06,X-9,Fee,-1.00,EUR',
].join('\n');
const LEDGER = [
  'Date,Reference,Description,Amount,Currency',
  '2024-01-02,INV-1,ACME invoice,100.00,EUR',
  '2024-01-03,INV-2,Globex invoice,200.00,EUR',
  '2024-01-04,INV-3,Initech invoice,300.00,EUR',
  '2024-01-09,Y-1,@SUM(A1),-1.50,EUR',
].join('\n');
// Descriptions differ, so scores stay below the auto-confirm threshold: every match is only suggested.
const RULES = {
  version: 1,
  confidence_threshold: 0.5,
  auto_confirm_threshold: 0.99,
  passes: [
    {
      name: 'reference',
      comparisons: [
        { type: 'exact', field: 'reference' },
        { type: 'amount' },
        { type: 'text', field: 'description', threshold: 0.99, required: false },
      ],
    },
  ],
};

let ctx: ReconTestContext;
let owner: Session;
let analyst: Session;
let viewer: Session;
let outsider: Session;
let jobId: string;
/** Match ids in match order (the engine numbers them per pass). */
let ids: number[] = [];
const m = (i: number) => ids[i] ?? 0;
const base = () => `/api/reconciliation/jobs/${jobId}`;

type Match = {
  match_id: number;
  status: string;
  tier: string;
  version: number;
  amount_difference_minor: string;
  left: { row: number }[];
};

async function match(id: number): Promise<Match> {
  const page = await ctx.app.inject({
    method: 'GET',
    url: `${base()}/matches?limit=500`,
    headers: analyst.headers,
  });
  const found = page.json<{ items: Match[] }>().items.find((item) => item.match_id === id);
  if (found === undefined) throw new Error(`no match ${id}`);
  return found;
}

async function currencyOfMatch(matchId: number) {
  return ctx.db.db
    .selectFrom('recon_matches')
    .select(['currency', 'scale'])
    .where('job_id', '=', jobId)
    .where('match_id', '=', String(matchId))
    .executeTakeFirstOrThrow();
}

async function auditActions(): Promise<string[]> {
  const rows = await ctx.db.db
    .selectFrom('audit_log')
    .select(['action', 'target_id'])
    .where('target_id', 'like', `${jobId}:%`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  ({ owner, analyst, viewer, outsider } = await newUsers(ctx.app, 'owner', 'analyst', 'viewer', 'outsider'));
  const projectId = await createProject(ctx.app, owner, 'Review', [
    { email: 'analyst@example.com', role: 'analyst' },
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  const { bankId, ledgerId } = await uploadBankAndLedger(ctx.app, owner, projectId, BANK, LEDGER);
  jobId = await runJobToCompletion(ctx.app, owner, {
    name: 'Review',
    projectId,
    sourceId: bankId,
    targetId: ledgerId,
    rules: RULES,
  });
  const page = await ctx.app.inject({ method: 'GET', url: `${base()}/matches`, headers: owner.headers });
  ids = page.json<{ items: { match_id: number }[] }>().items.map((m) => m.match_id);
  expect(ids).toHaveLength(3);
});
afterAll(async () => {
  await ctx.close();
});

describe('review actions', () => {
  it('confirms a suggested match once; a stale version answers 409; the audit log records it', async () => {
    const before = await match(m(0));
    expect(before).toMatchObject({ tier: 'suggested', status: 'suggested', version: 1 });
    // Suggested matches keep the full explanation: every comparison with its outcome and values.
    const page = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?tier=suggested`,
      headers: analyst.headers,
    });
    const first = page.json<{
      items: { explanation: { comparisons: { type: string; passed: boolean }[] } }[];
    }>().items[0];
    expect(first?.explanation.comparisons.map((c) => [c.type, c.passed])).toEqual([
      ['exact', true],
      ['amount', true],
      ['text', false],
    ]);
    const confirmed = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/matches/${m(0)}/confirm`,
      headers: analyst.headers,
      payload: { version: 1 },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', version: 2 });
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/matches/${m(0)}/confirm`,
        headers: analyst.headers,
        payload: { version: 1 },
      }),
      409,
      'STALE_VERSION',
    );
    expect(await auditActions()).toEqual(['match.confirmed']);
  });

  it('rejects a suggested match and returns its records to the exceptions', async () => {
    const rejected = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/matches/${m(1)}/reject`,
      headers: analyst.headers,
      payload: { version: 1, reason: 'wrong customer' },
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    const left = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/unmatched?side=left&status=open`,
      headers: analyst.headers,
    });
    expect(left.json<{ items: { row: number; reason: string }[] }>().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 2, reason: 'suggested match rejected' })]),
    );
    const summary = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/results`,
      headers: viewer.headers,
    });
    expect(summary.json()).toMatchObject({
      matches: 2,
      by_status: { rejected: { count: 1 } },
      left: { unmatched: { count: 3 } },
    });
  });

  it('unmatches, then matches the freed records by hand with the amount difference', async () => {
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/matches/${m(0)}/unmatch`,
        headers: analyst.headers,
        payload: { version: 1, reason: 'x' },
      }),
      409,
      'STALE_VERSION',
    );
    const unmatched = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/matches/${m(0)}/unmatch`,
      headers: analyst.headers,
      payload: { version: 2, reason: 'split payment' },
    });
    expect(unmatched.json()).toMatchObject({ status: 'unmatched', version: 3 });
    const manual = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/manual-matches`,
      headers: analyst.headers,
      payload: { left_rows: [1, 5], right_rows: [1], reason: 'payment minus fee' },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    expect(manual.json()).toMatchObject({
      tier: 'manual',
      status: 'confirmed',
      amount_difference_minor: '100',
      left: [{ row: 1 }, { row: 5 }],
    });
    // Its amounts count under the currency of its left records (both EUR, scale 2), as a run's matches do.
    expect(await currencyOfMatch(manual.json<{ match_id: number }>().match_id)).toEqual({
      currency: 'EUR',
      scale: 2,
    });
    const again = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/manual-matches`,
      headers: analyst.headers,
      payload: { left_rows: [1], right_rows: [1], reason: 'again' },
    });
    expectProblem(again, 409, 'CONFLICT');

    // The summary's matched tally agrees with the live matches' records, the manual one included.
    type Live = { status: string; left: { row: number; amount_minor: string }[] };
    const all = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?limit=500`,
      headers: analyst.headers,
    });
    const liveLeft = all
      .json<{ items: Live[] }>()
      .items.filter((item) => item.status === 'confirmed' || item.status === 'suggested')
      .flatMap((item) => item.left);
    const summary = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/results`,
      headers: viewer.headers,
    });
    expect(summary.json()).toMatchObject({
      left: {
        matched: {
          count: liveLeft.length,
          amounts: [
            {
              currency: 'EUR',
              scale: 2,
              count: liveLeft.length,
              amount: liveLeft.reduce((sum, record) => sum + BigInt(record.amount_minor), 0n).toString(),
            },
          ],
        },
      },
    });
  });

  it('writes off, assigns and sets the status of exceptions with concurrency checks', async () => {
    const path = `${base()}/exceptions/right/4`;
    const writeOff = await ctx.app.inject({
      method: 'POST',
      url: `${path}/write-off`,
      headers: analyst.headers,
      payload: { version: 1, code: 'ROUNDING', reason: 'small' },
    });
    expect(writeOff.json()).toMatchObject({ status: 'written_off', write_off_code: 'ROUNDING', version: 2 });
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${path}/status`,
        headers: analyst.headers,
        payload: { version: 1, status: 'open' },
      }),
      409,
      'STALE_VERSION',
    );
    const assigned = await ctx.app.inject({
      method: 'POST',
      url: `${path}/assign`,
      headers: analyst.headers,
      payload: { version: 2, assignee_id: viewer.userId },
    });
    expect(assigned.json()).toMatchObject({ assignee_id: viewer.userId, version: 3 });
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${path}/assign`,
        headers: analyst.headers,
        payload: { version: 3, assignee_id: outsider.userId },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const reopened = await ctx.app.inject({
      method: 'POST',
      url: `${path}/status`,
      headers: analyst.headers,
      payload: { version: 3, status: 'investigating' },
    });
    expect(reopened.json()).toMatchObject({ status: 'investigating', write_off_code: null, version: 4 });
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/exceptions/right/99/status`,
        headers: analyst.headers,
        payload: { version: 1, status: 'open' },
      }),
      404,
      'EXCEPTION_NOT_FOUND',
    );
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        'match.rejected',
        'match.unmatched',
        'match.manual_created',
        'exception.written_off',
        'exception.assigned',
        'exception.status_changed',
      ]),
    );
  });

  it('keeps comments on matches and exceptions', async () => {
    const added = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/comments`,
      headers: analyst.headers,
      payload: { target_type: 'match', target_key: String(m(2)), body: 'Checked with AR' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const listed = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/comments?target_type=match&target_key=${m(2)}`,
      headers: viewer.headers,
    });
    expect(listed.json<{ items: { body: string; author_id: string }[] }>().items).toEqual([
      expect.objectContaining({ body: 'Checked with AR', author_id: analyst.userId }),
    ]);
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/comments`,
        headers: analyst.headers,
        payload: { target_type: 'exception', target_key: 'left:77', body: 'x' },
      }),
      404,
      'EXCEPTION_NOT_FOUND',
    );
    expect(await auditActions()).toContain('comment.added');
  });

  it('announces a review action to colleagues on the realtime channel once it commits', async () => {
    const subscriber = new EventSubscriber(ctx.db.url);
    const received: unknown[] = [];
    await subscriber.subscribe(REALTIME_CHANNEL, (payload) => {
      received.push(payload);
    });
    try {
      const added = await ctx.app.inject({
        method: 'POST',
        url: `${base()}/comments`,
        headers: analyst.headers,
        payload: { target_type: 'match', target_key: String(m(2)), body: 'Announced' },
      });
      expect(added.statusCode, added.body).toBe(201);
      await waitFor(() => Promise.resolve(received.length > 0 ? true : undefined), 5_000, 'realtime event');
      expect(received[0]).toMatchObject({
        user_id: null,
        message: { type: 'data_changed', entity: 'match', action: 'comment.added', job_id: jobId },
      });
    } finally {
      await subscriber.close();
    }
  });

  it('lists and counts discrepancies of live matches only, not of unmatched ones', async () => {
    // Into the completed run's partition (migration 0108): the job's first run.
    const discrepancy = (matchId: number) => ({
      job_id: jobId,
      run_no: 1,
      match_id: String(matchId),
      field: 'booking_date',
      left_value: '2024-01-02',
      right_value: '2024-01-04',
      delta: '2',
      unit: 'days',
    });
    // m(0) was unmatched above; m(2) is still a suggested match.
    await ctx.db.db
      .insertInto('recon_discrepancies')
      .values([discrepancy(m(0)), discrepancy(m(2))])
      .execute();
    const page = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/discrepancies`,
      headers: viewer.headers,
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json<{ items: { match_id: number }[] }>().items.map((item) => item.match_id)).toEqual([m(2)]);
    const summary = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/results`,
      headers: viewer.headers,
    });
    expect(summary.json<{ discrepancies: number }>().discrepancies).toBe(1);
  });

  it('applies bulk actions atomically: one stale version rolls back all', async () => {
    const m3 = await match(m(2));
    const stale = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/review/bulk`,
      headers: analyst.headers,
      payload: {
        actions: [
          { type: 'confirm', match_id: m(2), version: m3.version },
          { type: 'status', side: 'left', row: 2, version: 99, status: 'resolved' },
        ],
      },
    });
    expectProblem(stale, 409, 'STALE_VERSION');
    expect((await match(m(2))).status).toBe('suggested');
    const ok = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/review/bulk`,
      headers: analyst.headers,
      payload: { actions: [{ type: 'confirm', match_id: m(2), version: m3.version }] },
    });
    expect(ok.json()).toEqual({ applied: 1 });
    expect((await match(m(2))).status).toBe('confirmed');
  });

  it('lets viewers read but not review (403) and hides the job from other projects (404)', async () => {
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/matches/${m(2)}/unmatch`,
        headers: viewer.headers,
        payload: { version: 1, reason: 'x' },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await ctx.app.inject({
        method: 'POST',
        url: `${base()}/matches/${m(2)}/unmatch`,
        headers: outsider.headers,
        payload: { version: 1, reason: 'x' },
      }),
      404,
      'JOB_NOT_FOUND',
    );
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `${base()}/export`, headers: outsider.headers }),
      404,
      'JOB_NOT_FOUND',
    );
  });
});

describe('export', () => {
  it('streams matches and exceptions as CSV with formulas neutralised', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/export?part=all`,
      headers: viewer.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const text = response.body;
    expect(text.split('\r\n')[0]).toBe(
      'match_id,pass,tier,status,score,left_rows,right_rows,left_amount_minor,right_amount_minor,difference_minor,left_references,right_references,reason',
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`'@SUM(A1)`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    // Negative amounts are numbers, not formulas: they stay as they are.
    expect(text).toContain(',-150,');
  });

  it('streams the same rows as JSON', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/export?format=json&part=unmatched`,
      headers: viewer.headers,
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json<{ unmatched: { side: string; row: string; reference: string }[] }>();
    expect(body.unmatched.map((item) => `${item.side}:${item.row}`)).toEqual([
      'left:2',
      'left:4',
      'right:2',
      'right:4',
    ]);
  });
});

describe('manual match currency', () => {
  // Last: it claims the exceptions the exports above list.
  it('leaves the currency of a manual match null when its left records differ', async () => {
    const job = await ctx.db.db
      .selectFrom('recon_jobs')
      .select('source_data_source_id')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    await ctx.db.db
      .updateTable('records')
      .set({ currency: 'USD' })
      .where('data_source_id', '=', job.source_data_source_id)
      .where('row_no', '=', '4')
      .execute();
    const manual = await ctx.app.inject({
      method: 'POST',
      url: `${base()}/manual-matches`,
      headers: analyst.headers,
      payload: { left_rows: [2, 4], right_rows: [2], reason: 'EUR and USD together' },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    // EUR and USD share scale 2, but their minor units must never be added up under one currency.
    expect(await currencyOfMatch(manual.json<{ match_id: number }>().match_id)).toEqual({
      currency: null,
      scale: 2,
    });
  });
});
