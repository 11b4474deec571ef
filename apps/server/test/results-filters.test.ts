import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Session } from './support/test-app';
import { createProject, createReconTestApp, type ReconTestContext } from './fixtures/recon/recon-test-app';
import {
  newUsers,
  REFERENCE_TOLERANCE_RULES,
  runJobToCompletion,
  uploadBankAndLedger,
} from './fixtures/recon/recon-scenario';

// 120 pairs that match on reference, with amount differences of 0–3 cents (so four scores, many ties),
// 28 booking dates (more ties) and three counterparties; plus records found on one side only.
const PAIRS = 120;
const day = (i: number) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
const cents = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const COUNTERPARTIES = ['Acme Ltd', 'Globex', 'Initech'];

function bank(): string {
  const lines = ['Date,Reference,Counterparty,Description,Amount,Currency'];
  for (let i = 1; i <= PAIRS; i += 1) {
    const description = i === 7 ? '100%_done' : i === 8 ? '100x done' : `Payment ${i}`;
    lines.push(`${day(i)},REF-${i},${COUNTERPARTIES[i % 3] ?? ''},${description},${cents(10_000 + i)},EUR`);
  }
  // Left only: odd amounts in both directions.
  for (let i = 1; i <= 30; i += 1) {
    const amount = (i % 2 === 0 ? -1 : 1) * (500 + ((i * 37) % 11) * 100);
    const date = `2023-12-${String(1 + (i % 9)).padStart(2, '0')}`;
    lines.push(`${date},LONE-${i},Umbrella,Stray ${i},${cents(amount)},EUR`);
  }
  return lines.join('\n');
}

function ledger(): string {
  const lines = ['Date,Reference,Counterparty,Description,Amount,Currency'];
  for (let i = 1; i <= PAIRS; i += 1) {
    lines.push(
      `${day(i)},REF-${i},${COUNTERPARTIES[i % 3] ?? ''},Invoice ${i},${cents(10_000 + i + (i % 4))},EUR`,
    );
  }
  lines.push('2024-02-01,ONLY-R,Hooli,Ledger only,12.00,EUR');
  return lines.join('\n');
}

interface Record_ {
  row: number;
  reference: string | null;
  counterparty: string | null;
  booking_date: string | null;
  amount_minor: string;
}
interface Match {
  match_id: number;
  score: number;
  status: string;
  amount_difference_minor: string;
  left: Record_[];
  right: Record_[];
}
interface Exception {
  row: number;
  status: string;
  record: Record_;
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

let ctx: ReconTestContext;
let viewer: Session;
let outsider: Session;
let jobId: string;
let all: Match[] = [];

const base = () => `/api/reconciliation/jobs/${jobId}`;

async function get<T>(url: string, session = viewer): Promise<Page<T>> {
  const response = await ctx.app.inject({ method: 'GET', url, headers: session.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page<T>>();
}

/** Every item of a listing, `limit` at a time, following next_cursor. */
async function pageThrough<T>(path: string, query: string, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard += 1) {
    const after: string = cursor === null ? '' : `&cursor=${cursor}`;
    const page: Page<T> = await get<T>(`${base()}/${path}?limit=${limit}${query}${after}`);
    items.push(...page.items);
    if (page.next_cursor === null) return items;
    cursor = page.next_cursor;
  }
  throw new Error('too many pages');
}

const absDiff = (m: Match) => {
  const d = BigInt(m.amount_difference_minor);
  return d < 0n ? -d : d;
};
const matchDate = (m: Match) => m.left[0]?.booking_date ?? null;
const byThenId =
  <T>(key: (m: T) => number | bigint | string, dir: 1 | -1, id: (m: T) => number) =>
  (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * dir;
    return id(a) - id(b);
  };

beforeAll(async () => {
  ctx = await createReconTestApp();
  const users = await newUsers(ctx.app, 'owner', 'viewer', 'outsider');
  const owner = users.owner;
  ({ viewer, outsider } = users);
  const projectId = await createProject(ctx.app, owner, 'Filters', [
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  const { bankId: left, ledgerId: right } = await uploadBankAndLedger(
    ctx.app,
    owner,
    projectId,
    bank(),
    ledger(),
  );
  const job = {
    name: 'Filters',
    projectId,
    sourceId: left,
    targetId: right,
    rules: REFERENCE_TOLERANCE_RULES,
  };
  jobId = await runJobToCompletion(ctx.app, owner, job, 120_000);
  // Readers refuse a row whose date cannot be read; a source mapped without a date column has none at all.
  // Two records lose theirs here, so the date sorts meet NULLs (which must come last either way).
  await ctx.db.db
    .updateTable('records')
    .set({ booking_date: null })
    .where('data_source_id', '=', left)
    .where('reference', 'in', ['LONE-30', 'REF-120'])
    .execute();
  // An exception carries its record's date as its sort key (migration 0106), written by the run: as if the
  // source had had no date for these records all along.
  await ctx.db.db
    .updateTable('recon_exceptions')
    .set({ booking_date: null })
    .where('job_id', '=', jobId)
    .where('side', '=', 'left')
    .where('row_no', 'in', (eb) =>
      eb
        .selectFrom('records')
        .select('row_no')
        .where('data_source_id', '=', left)
        .where('booking_date', 'is', null),
    )
    .execute();
  all = (await get<Match>(`${base()}/matches?limit=500`)).items;
}, 180_000);
afterAll(async () => {
  await ctx.close();
});

describe('match listing: sorts keep keyset pages exact', () => {
  it('has the data the cases below rely on: ties in score, amount difference and date', () => {
    expect(all).toHaveLength(PAIRS);
    expect(new Set(all.map((m) => m.score)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((m) => absDiff(m))).size).toBe(4);
    expect(all.map((m) => m.match_id)).toEqual([...all.map((m) => m.match_id)].sort((a, b) => a - b));
  });

  const id = (m: Match) => m.match_id;
  const cases: [string, (a: Match, b: Match) => number][] = [
    ['score_desc', byThenId((m: Match) => m.score, -1, id)],
    // Ascending score and amount difference are their descending orders reversed: ties by descending id.
    [
      'score_asc',
      byThenId(
        (m: Match) => m.score,
        1,
        (m: Match) => -m.match_id,
      ),
    ],
    ['amount_difference_desc', byThenId(absDiff, -1, id)],
    ['amount_difference_asc', byThenId(absDiff, 1, (m: Match) => -m.match_id)],
    ['date_desc', byThenId((m: Match) => matchDate(m) ?? '', -1, id)],
    ['date_asc', byThenId((m: Match) => matchDate(m) ?? '\uffff', 1, id)],
  ];
  for (const [sort, compare] of cases) {
    it(`pages through ${sort} seven rows at a time without skipping or repeating a row`, async () => {
      const paged = await pageThrough<Match>('matches', `&sort=${sort}`, 7);
      const ids = paged.map((m) => m.match_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...all].sort(compare).map((m) => m.match_id));
    });
  }

  it('refuses a cursor made for another sort, or a forged one', async () => {
    const first = await get<Match>(`${base()}/matches?limit=5&sort=score_desc`);
    expect(first.next_cursor).not.toBeNull();
    const other = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?limit=5&sort=date_asc&cursor=${first.next_cursor ?? ''}`,
      headers: viewer.headers,
    });
    expectProblem(other, 400, 'VALIDATION_FAILED');
    const forged = Buffer.from(JSON.stringify({ s: 'date_asc', k: "2024-01-01'; --", i: '1' })).toString(
      'base64url',
    );
    const bad = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?sort=date_asc&cursor=${forged}`,
      headers: viewer.headers,
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
  });
});

describe('match listing: search and filters', () => {
  const ids = (items: Match[]) => items.map((m) => m.match_id);

  it('searches counterparty and reference on either side, case-insensitively', async () => {
    const globex = await pageThrough<Match>('matches', '&q=gLoBeX', 50);
    expect(ids(globex)).toEqual(ids(all.filter((m) => m.left[0]?.counterparty === 'Globex')));
    const one = await get<Match>(`${base()}/matches?q=ref-42`);
    expect(one.items.map((m) => m.left[0]?.reference)).toEqual(['REF-42']);
    // "Invoice 17" is only on the right side.
    const right = await get<Match>(`${base()}/matches?q=${encodeURIComponent('invoice 17')}`);
    expect(right.items.map((m) => m.right[0]?.reference)).toEqual(['REF-17']);
  });

  it('takes % and _ in the search literally', async () => {
    const percent = await get<Match>(`${base()}/matches?q=${encodeURIComponent('100%_')}`);
    expect(percent.items.map((m) => m.left[0]?.reference)).toEqual(['REF-7']);
    // Unescaped, `_` would match the x of "100x done".
    const underscore = await get<Match>(`${base()}/matches?q=${encodeURIComponent('x_done')}`);
    expect(underscore.items).toEqual([]);
    const literal = await get<Match>(`${base()}/matches?q=${encodeURIComponent('%_done')}`);
    expect(literal.items.map((m) => m.left[0]?.reference)).toEqual(['REF-7']);
  });

  it('combines status, score, amount difference and date range with a sort', async () => {
    const query =
      '&status=suggested&min_amount_difference=2&date_from=2024-01-05&date_to=2024-01-20&sort=amount_difference_desc';
    const got = await pageThrough<Match>('matches', query, 4);
    const expected = all
      .filter((m) => m.status === 'suggested' && absDiff(m) >= 2n)
      .filter((m) => (matchDate(m) ?? '') >= '2024-01-05' && (matchDate(m) ?? '') <= '2024-01-20')
      .sort(byThenId(absDiff, -1, (m) => m.match_id));
    expect(expected.length).toBeGreaterThan(4);
    expect(ids(got)).toEqual(ids(expected));
    const scored = await pageThrough<Match>('matches', '&max_score=0.99&sort=score_asc', 9);
    expect(ids(scored)).toEqual(
      ids(
        all
          .filter((m) => m.score <= 0.99)
          .sort(
            byThenId(
              (m) => m.score,
              1,
              (m) => -m.match_id,
            ),
          ),
      ),
    );
    expect(scored.length).toBeGreaterThan(0);
  });

  it('answers 404 to a non-member and 400 to a bad date', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?q=ref`,
      headers: outsider.headers,
    });
    expectProblem(response, 404, 'JOB_NOT_FOUND');
    const bad = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/matches?date_from=2024-13-01`,
      headers: viewer.headers,
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
  });
});

describe('unmatched listing', () => {
  const rows = (items: Exception[]) => items.map((e) => e.row);

  it('pages through every sort three rows at a time in the order the records say', async () => {
    const everything = (await get<Exception>(`${base()}/unmatched?side=left&limit=500`)).items;
    expect(everything).toHaveLength(30);
    const abs = (e: Exception) => {
      const amount = BigInt(e.record.amount_minor);
      return amount < 0n ? -amount : amount;
    };
    const row = (e: Exception) => e.row;
    const expectations: [string, (a: Exception, b: Exception) => number][] = [
      ['row', byThenId(row, 1, row)],
      // Largest first is smallest first reversed, ties included.
      ['amount_desc', byThenId(abs, -1, (e: Exception) => -row(e))],
      ['amount_asc', byThenId(abs, 1, row)],
      ['date_asc', byThenId((e: Exception) => e.record.booking_date ?? '\uffff', 1, row)],
      ['date_desc', byThenId((e: Exception) => e.record.booking_date ?? '', -1, row)],
    ];
    for (const [sort, compare] of expectations) {
      const paged = await pageThrough<Exception>('unmatched', `&side=left&sort=${sort}`, 3);
      expect(rows(paged), sort).toEqual(rows([...everything].sort(compare)));
    }
    // The record without a date comes last both ways.
    const oldest = await pageThrough<Exception>('unmatched', '&side=left&sort=date_asc', 3);
    const newest = await pageThrough<Exception>('unmatched', '&side=left&sort=date_desc', 3);
    expect(oldest.at(-1)?.record.booking_date).toBeNull();
    expect(newest.at(-1)?.record.booking_date).toBeNull();
  });

  it('narrows by search and date range, and refuses a cursor of another sort', async () => {
    const found = await get<Exception>(`${base()}/unmatched?side=left&q=LONE-1&sort=amount_desc`);
    expect(found.items.map((e) => e.record.reference).sort()).toEqual(
      [
        'LONE-1',
        'LONE-10',
        'LONE-11',
        'LONE-12',
        'LONE-13',
        'LONE-14',
        'LONE-15',
        'LONE-16',
        'LONE-17',
        'LONE-18',
        'LONE-19',
      ].sort(),
    );
    const dated = await get<Exception>(
      `${base()}/unmatched?side=left&date_from=2023-12-03&date_to=2023-12-04`,
    );
    expect(dated.items.length).toBeGreaterThan(0);
    for (const e of dated.items) expect(['2023-12-03', '2023-12-04']).toContain(e.record.booking_date);
    const first = await get<Exception>(`${base()}/unmatched?side=left&limit=2&sort=amount_desc`);
    const mixed = await ctx.app.inject({
      method: 'GET',
      url: `${base()}/unmatched?side=left&sort=row&cursor=${first.next_cursor ?? ''}`,
      headers: viewer.headers,
    });
    expectProblem(mixed, 400, 'VALIDATION_FAILED');
  });
});
