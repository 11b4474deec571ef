import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import { newUsers, runJobToCompletion, uploadBankAndLedger } from './fixtures/recon/recon-scenario';
import { getResponseProperties } from './support/openapi';

// Two currencies on both sides: EUR in cents (scale 2) and JPY in yen (scale 0). Summed together the minor
// units mean nothing (10000 cents + 5000 yen), so the summary keeps them apart, and review moves an amount
// only within its own currency.
const BANK = [
  'Date,Reference,Description,Amount,Currency',
  '2024-01-02,INV-1,ACME,100.00,EUR',
  '2024-01-03,INV-2,Globex,250.50,EUR',
  '2024-01-04,JP-1,Tokyo,5000,JPY',
  '2024-01-05,JP-2,Osaka,1200,JPY',
  '2024-01-06,LONE-E,Stray,7.00,EUR',
  '2024-01-07,LONE-J,Stray,300,JPY',
].join('\n');
const LEDGER = [
  'Date,Reference,Description,Amount,Currency',
  '2024-01-02,INV-1,ACME,100.00,EUR',
  '2024-01-03,INV-2,Globex,250.50,EUR',
  '2024-01-04,JP-1,Tokyo,5000,JPY',
  '2024-01-05,JP-2,Osaka,1200,JPY',
  '2024-02-01,ONLY-R,Ledger only,12.00,EUR',
].join('\n');
const RULES = {
  version: 1,
  confidence_threshold: 0.5,
  auto_confirm_threshold: 0.99,
  passes: [
    {
      name: 'reference',
      comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }],
    },
  ],
};

interface Match {
  match_id: number;
  status: string;
  version: number;
  left: { row: number; amount_minor: string; currency: string | null }[];
}

let ctx: ReconTestContext;
let analyst: Session;
let viewer: Session;
let jobId: string;
const base = () => `/api/reconciliation/jobs/${jobId}`;

const eur = (count: number, amount: number) => ({ currency: 'EUR', scale: 2, count, amount: String(amount) });
const jpy = (count: number, amount: number) => ({ currency: 'JPY', scale: 0, count, amount: String(amount) });
type Amount = ReturnType<typeof eur>;
const tally = (...amounts: Amount[]) => ({
  count: amounts.reduce((sum, a) => sum + a.count, 0),
  amounts,
});

async function summary(): Promise<Record<string, unknown>> {
  const response = await ctx.app.inject({ method: 'GET', url: `${base()}/results`, headers: viewer.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Record<string, unknown>>();
}

async function post(url: string, payload: Record<string, unknown>, status = 200): Promise<void> {
  const response = await ctx.app.inject({ method: 'POST', url, headers: analyst.headers, payload });
  expect(response.statusCode, response.body).toBe(status);
}

/** The summary counted from the tables (the fallback for runs without amounts per currency). */
async function countedSummary(statistics: unknown): Promise<Record<string, unknown>> {
  const row = await ctx.db.db
    .selectFrom('recon_jobs')
    .select('statistics')
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  await ctx.db.db
    .updateTable('recon_jobs')
    .set({ statistics: JSON.stringify(statistics) })
    .where('id', '=', jobId)
    .execute();
  try {
    return await summary();
  } finally {
    await ctx.db.db
      .updateTable('recon_jobs')
      .set({ statistics: JSON.stringify(row.statistics) })
      .where('id', '=', jobId)
      .execute();
  }
}

beforeAll(async () => {
  ctx = await createReconTestApp();
  const users = await newUsers(ctx.app, 'owner', 'analyst', 'viewer');
  ({ analyst, viewer } = users);
  const projectId = await createProject(ctx.app, users.owner, 'Currencies', [
    { email: 'analyst@example.com', role: 'analyst' },
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  const uploaded = await uploadBankAndLedger(ctx.app, users.owner, projectId, BANK, LEDGER);
  jobId = await runJobToCompletion(
    ctx.app,
    users.owner,
    { name: 'Currencies', projectId, sourceId: uploaded.bankId, targetId: uploaded.ledgerId, rules: RULES },
    120_000,
  );
}, 180_000);
afterAll(async () => {
  await ctx.close();
});

describe('results summary in two currencies', () => {
  it('keeps EUR cents and JPY yen apart on each side, from the run statistics', async () => {
    const job = await ctx.db.db
      .selectFrom('recon_jobs')
      .select('statistics')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(job.statistics).toMatchObject({
      by_currency: { left: expect.any(Array), right: expect.any(Array) },
    });
    expect(await summary()).toMatchObject({
      matches: 4,
      match_rate: 8 / 11,
      left: {
        total: tally(eur(3, 35750), jpy(3, 6500)),
        matched: tally(eur(2, 35050), jpy(2, 6200)),
        unmatched: tally(eur(1, 700), jpy(1, 300)),
        match_rate: 4 / 6,
      },
      right: {
        total: tally(eur(3, 36250), jpy(2, 6200)),
        matched: tally(eur(2, 35050), jpy(2, 6200)),
        unmatched: tally(eur(1, 1200)),
        match_rate: 4 / 5,
      },
    });
  });

  it('moves an unmatched match’s amounts to unmatched in their own currency, and a manual match’s back', async () => {
    const page = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?limit=500`,
      headers: analyst.headers,
    });
    const yen = page.json<{ items: Match[] }>().items.find((m) => m.left[0]?.amount_minor === '5000');
    if (yen === undefined) throw new Error('no match of the 5,000 JPY records');
    await post(`${base()}/matches/${String(yen.match_id)}/unmatch`, {
      version: yen.version,
      reason: 'split',
    });
    // Left LONE-E (7.00 EUR, row 5) with right ONLY-R (12.00 EUR, row 5), by hand.
    await post(`${base()}/manual-matches`, { left_rows: [5], right_rows: [5], reason: 'fee' }, 201);
    expect(await summary()).toMatchObject({
      matches: 4,
      by_status: { confirmed: { count: 4 }, unmatched: { count: 1 } },
      left: {
        total: tally(eur(3, 35750), jpy(3, 6500)),
        matched: tally(eur(3, 35750), jpy(1, 1200)),
        unmatched: tally(jpy(2, 5300)),
      },
      right: {
        total: tally(eur(3, 36250), jpy(2, 6200)),
        matched: tally(eur(3, 36250), jpy(1, 1200)),
        unmatched: tally(jpy(1, 5000)),
      },
    });
  });

  it('counts the same from the tables for a run without amounts per currency', async () => {
    const stored = await summary();
    // Without statistics the passes are unknown; everything else is counted.
    expect({ ...(await countedSummary(null)), passes: [] }).toEqual({ ...stored, passes: [] });
    // A run before amounts per currency were stored: side totals summed across currencies, no by_currency.
    const row = await ctx.db.db
      .selectFrom('recon_jobs')
      .select('statistics')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    const statistics = z.record(z.string(), z.unknown()).parse(row.statistics);
    const { by_currency: dropped, ...older } = statistics;
    expect(dropped).toBeDefined();
    expect(await countedSummary(older)).toEqual(stored);
  });

  it('documents the side tallies as amounts per currency in the generated OpenAPI', async () => {
    const properties = await getResponseProperties(ctx.app, '/api/reconciliation/jobs/{id}/results');
    const total = properties.left?.properties?.total?.properties ?? {};
    expect(Object.keys(total)).toEqual(['count', 'amounts']);
    expect(Object.keys(total.amounts?.items?.properties ?? {})).toEqual([
      'currency',
      'scale',
      'count',
      'amount',
    ]);
  });
});
