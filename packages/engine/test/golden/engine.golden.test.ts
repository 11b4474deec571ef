import { describe, expect, it } from 'vitest';
import { parseRuleSet, readMatches, readUnmatched, reconcile, type RuleSetInput } from '../../src/index';
import { sessionWith, type TestRecord } from '../match/engine-fixture';

interface GoldenCase {
  name: string;
  why: string;
  rules: RuleSetInput;
  left: TestRecord[];
  right: TestRecord[];
  /** Accepted matches as [left rows, right rows, tier]. */
  matches: [number[], number[], 'auto' | 'suggested'][];
  unmatchedLeft: number[];
  unmatchedRight: number[];
}

const one = (
  name: string,
  comparisons: RuleSetInput['passes'][number]['comparisons'],
  extra: Partial<RuleSetInput> = {},
): RuleSetInput => ({
  version: 1,
  ...extra,
  passes: [{ name, comparisons }],
});

const cases: GoldenCase[] = [
  {
    name: '1:1 exact reference',
    why: 'bank line and ledger entry share invoice INV-7 once case and punctuation are ignored; amounts equal',
    rules: one('reference', [
      { type: 'exact', field: 'reference', normalisers: ['trim', 'case', 'strip_non_alphanumeric'] },
      { type: 'amount' },
    ]),
    left: [
      { row: 1, reference: 'INV-7', amount: 1200, date: '2024-01-02' },
      { row: 2, reference: 'INV-8', amount: 50 },
    ],
    right: [
      { row: 1, reference: 'inv 7', amount: 1200, date: '2024-01-02' },
      { row: 2, reference: 'INV-9', amount: 50 },
    ],
    matches: [[[1], [1], 'auto']],
    unmatchedLeft: [2],
    unmatchedRight: [2],
  },
  {
    name: '1:1 amount tolerance',
    why: 'a 30-cent bank fee is within the 50-cent tolerance; the 80-cent difference is not',
    rules: one('fee', [
      { type: 'exact', field: 'reference' },
      { type: 'amount', tolerance_minor: 50 },
    ]),
    left: [
      { row: 1, reference: 'A', amount: 10000 },
      { row: 2, reference: 'B', amount: 10000 },
    ],
    right: [
      { row: 1, reference: 'A', amount: 9970 },
      { row: 2, reference: 'B', amount: 9920 },
    ],
    matches: [[[1], [1], 'auto']],
    unmatchedLeft: [2],
    unmatchedRight: [2],
  },
  {
    name: '1:1 date lag',
    why: 'card settlements arrive 1–3 days after the ledger date; 2 days matches, 5 days and 1 day early do not',
    rules: one('settlement', [{ type: 'amount' }, { type: 'date', min_days: 1, max_days: 3 }], {
      auto_confirm_threshold: 0.8,
    }),
    left: [
      { row: 1, amount: 500, date: '2024-05-01' },
      { row: 2, amount: 600, date: '2024-05-01' },
      { row: 3, amount: 700, date: '2024-05-03' },
    ],
    right: [
      { row: 1, amount: 500, date: '2024-05-03' },
      { row: 2, amount: 600, date: '2024-05-06' },
      { row: 3, amount: 700, date: '2024-05-02' },
    ],
    matches: [[[1], [1], 'auto']],
    unmatchedLeft: [2, 3],
    unmatchedRight: [2, 3],
  },
  {
    name: '1:1 fuzzy counterparty',
    why: 'same amount and day; "Jonh Smith Ltd" is a typo of "John Smith Ltd" (Jaro-Winkler ≥ 0.9), "Jane Doe" is not',
    rules: one(
      'fuzzy',
      [{ type: 'amount' }, { type: 'date' }, { type: 'text', field: 'counterparty', threshold: 0.9 }],
      {
        auto_confirm_threshold: 0.95,
      },
    ),
    left: [
      { row: 1, amount: 4200, date: '2024-02-01', counterparty: 'John Smith Ltd' },
      { row: 2, amount: 4200, date: '2024-02-01', counterparty: 'Jane Doe' },
    ],
    right: [{ row: 1, amount: 4200, date: '2024-02-01', counterparty: 'Jonh Smith Ltd' }],
    matches: [[[1], [1], 'auto']],
    unmatchedLeft: [2],
    unmatchedRight: [],
  },
  {
    name: '1:n processor payout with a fee (subset-sum)',
    why: 'payout 297.00 = orders 100 + 200 minus a 3.00 fee (1 %); the 50.00 order belongs to another payout',
    rules: {
      version: 1,
      passes: [
        {
          name: 'payout',
          kind: 'one_to_many',
          comparisons: [
            { type: 'amount', tolerance_percent: 1.1 },
            { type: 'date', min_days: -3, max_days: 0 },
          ],
          group: { max_group_size: 4, date_span_days: 3 },
        },
      ],
    },
    left: [{ row: 1, amount: 29700, date: '2024-06-05' }],
    right: [
      { row: 1, amount: 10000, date: '2024-06-03' },
      { row: 2, amount: 20000, date: '2024-06-04' },
      { row: 3, amount: 5000, date: '2024-06-04' },
    ],
    matches: [[[1], [1, 2], 'suggested']],
    unmatchedLeft: [],
    unmatchedRight: [3],
  },
  {
    name: 'n:1 deposits batched into one bank credit',
    why: 'three ledger receipts with batch B-1 sum exactly to the single bank credit',
    rules: {
      version: 1,
      passes: [
        {
          name: 'batch',
          kind: 'many_to_one',
          comparisons: [{ type: 'amount' }],
          group: { left_key: 'extra.batch' },
        },
      ],
    },
    left: [
      { row: 1, amount: 100, extra: { batch: 'B-1' } },
      { row: 2, amount: 250, extra: { batch: 'B-1' } },
      { row: 3, amount: 650, extra: { batch: 'b-1 ' } },
      { row: 4, amount: 999, extra: { batch: 'B-2' } },
    ],
    right: [{ row: 1, amount: 1000 }],
    matches: [[[1, 2, 3], [1], 'auto']],
    unmatchedLeft: [4],
    unmatchedRight: [],
  },
  {
    name: 'n:m settlement batches',
    why: 'both sides carry settlement id S9; 3 ledger lines and 2 bank lines both total 1,000.00',
    rules: {
      version: 1,
      passes: [
        {
          name: 'settlement',
          kind: 'many_to_many',
          comparisons: [{ type: 'amount' }],
          group: { left_key: 'extra.settlement', right_key: 'extra.settlement' },
        },
      ],
    },
    left: [
      { row: 1, amount: 30000, extra: { settlement: 'S9' } },
      { row: 2, amount: 30000, extra: { settlement: 'S9' } },
      { row: 3, amount: 40000, extra: { settlement: 'S9' } },
    ],
    right: [
      { row: 1, amount: 60000, extra: { settlement: 'S9' } },
      { row: 2, amount: 40000, extra: { settlement: 'S9' } },
      { row: 3, amount: 40000, extra: { settlement: 'S8' } },
    ],
    matches: [[[1, 2, 3], [1, 2], 'auto']],
    unmatchedLeft: [],
    unmatchedRight: [3],
  },
  {
    name: 'ambiguity tie → suggested',
    why: 'two identical 20.00 payments on the same day: either pairing scores 1.0, so the engine picks one deterministically but never auto-confirms',
    rules: one('amount-date', [{ type: 'amount' }, { type: 'date' }]),
    left: [{ row: 1, amount: 2000, date: '2024-07-01' }],
    right: [
      { row: 1, amount: 2000, date: '2024-07-01' },
      { row: 2, amount: 2000, date: '2024-07-01' },
    ],
    matches: [[[1], [1], 'suggested']],
    unmatchedLeft: [],
    unmatchedRight: [2],
  },
  {
    name: 'best-first, not first candidate wins',
    why: 'left 1 could take right 1 or 2, but right 2 is its exact amount; left 2 then takes right 1 (within tolerance)',
    rules: one('tolerance', [{ type: 'amount', tolerance_minor: 100 }], {
      confidence_threshold: 0.5,
      auto_confirm_threshold: 0.99,
    }),
    left: [
      { row: 1, amount: 1000 },
      { row: 2, amount: 1080 },
    ],
    right: [
      { row: 1, amount: 1050 },
      { row: 2, amount: 1000 },
    ],
    matches: [
      [[1], [2], 'auto'],
      [[2], [1], 'suggested'],
    ],
    unmatchedLeft: [],
    unmatchedRight: [],
  },
];

describe('engine golden cases', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.why}`, async () => {
      const session = await sessionWith(c.left, c.right);
      try {
        const rules = parseRuleSet(c.rules);
        await reconcile(session, rules);
        const matches = await readMatches(session, rules);
        expect(matches.map((m) => [m.left, m.right, m.tier])).toEqual(c.matches);
        expect((await readUnmatched(session, 'left')).map((u) => u.row)).toEqual(c.unmatchedLeft);
        expect((await readUnmatched(session, 'right')).map((u) => u.row)).toEqual(c.unmatchedRight);
      } finally {
        session.close();
      }
    });
  }
});
