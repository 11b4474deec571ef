import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import {
  newUsers,
  REFERENCE_TOLERANCE_RULES,
  runJobToCompletion,
  uploadBankAndLedger,
} from './fixtures/recon/recon-scenario';

// Score and amount-difference pages, and match-id pages filtered by tier or status, are merged from one
// branch per (tier, status) and keyset range (matches.repository.ts, migration 0111), and the summary
// corrects the run's statistics by what review changed. These cases reach every branch kind: auto and
// suggested matches (amount differences of 0-3 cents against an auto-confirm threshold of 0.99), then
// review confirms, rejects and unmatches some, and adds a manual match.
const PAIRS = 60;
const cents = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;

function bank(): string {
  const lines = ['Date,Reference,Counterparty,Description,Amount,Currency'];
  for (let i = 1; i <= PAIRS; i += 1)
    lines.push(`2024-01-05,REF-${i},Acme,Payment ${i},${cents(10_000 + i)},EUR`);
  lines.push('2024-01-06,LONE-1,Umbrella,Stray,7.00,EUR', '2024-01-07,LONE-2,Umbrella,Stray,-3.50,EUR');
  return lines.join('\n');
}

function ledger(): string {
  const lines = ['Date,Reference,Counterparty,Description,Amount,Currency'];
  for (let i = 1; i <= PAIRS; i += 1)
    lines.push(`2024-01-05,REF-${i},Acme,Invoice ${i},${cents(10_000 + i + (i % 4))},EUR`);
  lines.push('2024-02-01,ONLY-R,Hooli,Ledger only,12.00,EUR');
  return lines.join('\n');
}

interface Side {
  row: number;
  amount_minor: string;
}
interface Match {
  match_id: number;
  score: number;
  tier: string;
  status: string;
  version: number;
  amount_difference_minor: string;
  left: Side[];
  right: Side[];
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

let ctx: ReconTestContext;
let viewer: Session;
let analyst: Session;
let jobId: string;
let all: Match[] = [];
const base = () => `/api/reconciliation/jobs/${jobId}`;

async function get<T>(url: string): Promise<T> {
  const response = await ctx.app.inject({ method: 'GET', url, headers: viewer.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

async function review(matchId: number, action: string, version: number): Promise<void> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `${base()}/matches/${matchId}/${action}`,
    headers: analyst.headers,
    payload: { version, reason: 'test' },
  });
  expect(response.statusCode, response.body).toBe(200);
}

async function pageThrough(query: string, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 500; guard += 1) {
    const after: string = cursor === null ? '' : `&cursor=${cursor}`;
    const page: Page<Match> = await get<Page<Match>>(`${base()}/matches?limit=${limit}${query}${after}`);
    ids.push(...page.items.map((m) => m.match_id));
    if (page.next_cursor === null) return ids;
    cursor = page.next_cursor;
  }
  throw new Error('too many pages');
}

const absDiff = (m: Match) => Math.abs(Number(m.amount_difference_minor));
const isLive = (m: Match) => m.status === 'confirmed' || m.status === 'suggested';

beforeAll(async () => {
  ctx = await createReconTestApp();
  const users = await newUsers(ctx.app, 'owner', 'analyst', 'viewer');
  ({ viewer, analyst } = users);
  const projectId = await createProject(ctx.app, users.owner, 'Pages', [
    { email: 'analyst@example.com', role: 'analyst' },
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  const uploaded = await uploadBankAndLedger(ctx.app, users.owner, projectId, bank(), ledger());
  const job = {
    name: 'Pages',
    projectId,
    sourceId: uploaded.bankId,
    targetId: uploaded.ledgerId,
    rules: REFERENCE_TOLERANCE_RULES,
  };
  jobId = await runJobToCompletion(ctx.app, users.owner, job, 120_000);
  const first = (await get<Page<Match>>(`${base()}/matches?limit=500`)).items;
  const suggested = first.filter((m) => m.tier === 'suggested');
  const auto = first.filter((m) => m.tier === 'auto');
  // Confirm three suggested matches, reject two, unmatch one auto match and match its records by hand.
  for (const m of suggested.slice(0, 3)) await review(m.match_id, 'confirm', m.version);
  for (const m of suggested.slice(3, 5)) await review(m.match_id, 'reject', m.version);
  const freed = auto[0];
  if (freed === undefined) throw new Error('no auto match');
  await review(freed.match_id, 'unmatch', freed.version);
  const manual = await ctx.app.inject({
    method: 'POST',
    url: `${base()}/manual-matches`,
    headers: analyst.headers,
    payload: {
      left_rows: freed.left.map((r) => r.row),
      right_rows: freed.right.map((r) => r.row),
      reason: 'x',
    },
  });
  expect(manual.statusCode, manual.body).toBe(201);
  all = (await get<Page<Match>>(`${base()}/matches?limit=500`)).items;
}, 180_000);
afterAll(async () => {
  await ctx.close();
});

describe('pages merged per tier and status', () => {
  it('has every kind of branch: auto, suggested and manual; confirmed, suggested, rejected, unmatched', () => {
    expect(new Set(all.map((m) => `${m.tier}/${m.status}`))).toEqual(
      new Set([
        'auto/confirmed',
        'auto/unmatched',
        'suggested/suggested',
        'suggested/confirmed',
        'suggested/rejected',
        'manual/confirmed',
      ]),
    );
  });

  const sorts: [string, (m: Match) => number, 1 | -1][] = [
    ['match_id', (m) => m.match_id, 1],
    ['score_desc', (m) => m.score, -1],
    ['score_asc', (m) => m.score, 1],
    ['amount_difference_desc', absDiff, -1],
    ['amount_difference_asc', absDiff, 1],
  ];
  const filters: [string, (m: Match) => boolean][] = [
    ['', () => true],
    ['&tier=suggested', (m) => m.tier === 'suggested'],
    ['&status=confirmed', (m) => m.status === 'confirmed'],
    ['&tier=suggested&status=confirmed', (m) => m.tier === 'suggested' && m.status === 'confirmed'],
    ['&tier=auto&min_amount_difference=0&max_score=1', (m) => m.tier === 'auto'],
    // A positive minimum also reads the partial indexes of matches with a difference (migration 0105).
    ['&min_amount_difference=1', (m) => absDiff(m) >= 1],
  ];
  for (const [sort, key, dir] of sorts) {
    for (const [query, keep] of filters) {
      it(`pages ${sort}${query} four rows at a time in order, without skipping or repeating`, async () => {
        const expected = all
          .filter(keep)
          // Ascending orders are the descending ones reversed: ties by descending match id.
          .sort((a, b) =>
            key(a) === key(b) ? (a.match_id - b.match_id) * -dir : (key(a) < key(b) ? -1 : 1) * dir,
          )
          .map((m) => m.match_id);
        expect(expected.length).toBeGreaterThan(0);
        expect(await pageThrough(`&sort=${sort}${query}`, 4)).toEqual(expected);
      });
    }
  }
});

describe('results summary after review', () => {
  it('agrees with the matches counted one by one, on both sides', async () => {
    const summary = await get<{
      matches: number;
      by_tier: Record<string, { count: number }>;
      by_status: Record<string, { count: number }>;
      left: { total: { count: number }; matched: { count: number; amounts: unknown[] } };
      right: { total: { count: number }; matched: { count: number; amounts: unknown[] } };
    }>(`${base()}/results`);
    const countBy = (pick: (m: Match) => string) =>
      all.reduce<Record<string, { count: number }>>((acc, m) => {
        acc[pick(m)] = { count: (acc[pick(m)]?.count ?? 0) + 1 };
        return acc;
      }, {});
    const live = all.filter(isLive);
    // Every record is in EUR (scale 2): one amount per tally.
    const tally = (rows: Side[]) => ({
      count: rows.length,
      amounts: [
        {
          currency: 'EUR',
          scale: 2,
          count: rows.length,
          amount: rows.reduce((sum, r) => sum + BigInt(r.amount_minor), 0n).toString(),
        },
      ],
    });
    expect(summary).toMatchObject({
      matches: live.length,
      by_tier: countBy((m) => m.tier),
      by_status: countBy((m) => m.status),
      left: { total: { count: PAIRS + 2 }, matched: tally(live.flatMap((m) => m.left)) },
      right: { total: { count: PAIRS + 1 }, matched: tally(live.flatMap((m) => m.right)) },
    });
  });

  it('counts the same without the run statistics (the fallback that counts the tables)', async () => {
    const before = await get<unknown>(`${base()}/results`);
    await ctx.db.db.updateTable('recon_jobs').set({ statistics: null }).where('id', '=', jobId).execute();
    const after = await get<Record<string, unknown>>(`${base()}/results`);
    expect({ ...after, passes: [] }).toEqual({ ...(before as Record<string, unknown>), passes: [] });
  });
});
