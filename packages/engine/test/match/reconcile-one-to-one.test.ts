import { describe, expect, it } from 'vitest';
import {
  parseRuleSet,
  readDiscrepancies,
  readMatches,
  readUnmatched,
  reconcile,
  validateRuleSet,
  type RuleSetInput,
} from '../../src/index';
import { sessionWith } from './engine-fixture';

const exactReference: RuleSetInput = {
  version: 1,
  auto_confirm_threshold: 0.95,
  passes: [
    {
      name: 'reference',
      comparisons: [
        { type: 'exact', field: 'reference', normalisers: ['trim', 'case', 'strip_non_alphanumeric'] },
        { type: 'amount', tolerance_minor: 0 },
      ],
    },
    {
      name: 'tolerance',
      comparisons: [
        { type: 'amount', tolerance_minor: 500 },
        { type: 'date', min_days: 0, max_days: 3 },
        { type: 'text', field: 'counterparty', algorithm: 'jaro_winkler', threshold: 0.85 },
      ],
    },
  ],
};

describe('reconcile one-to-one', () => {
  it('matches on a normalised reference, then on amount tolerance, date lag and fuzzy counterparty', async () => {
    const session = await sessionWith(
      [
        { row: 1, reference: 'INV-001', amount: 10000, date: '2024-03-01', counterparty: 'Acme Ltd' },
        { row: 2, reference: null, amount: 25000, date: '2024-03-02', counterparty: 'Globex Corporation' },
        { row: 3, reference: 'X-9', amount: 777, date: '2024-03-02', counterparty: 'Nobody' },
      ],
      [
        { row: 10, reference: ' inv001 ', amount: 10000, date: '2024-03-01', counterparty: 'ACME' },
        { row: 11, reference: 'other', amount: 24800, date: '2024-03-04', counterparty: 'Globex Corporaton' },
        { row: 12, reference: 'x9', amount: 770, date: '2024-03-20', counterparty: 'Nobody' },
      ],
    );
    try {
      const rules = validateRuleSet(exactReference);
      if (!rules.ok) throw new Error('rules invalid');
      const stats = await reconcile(session, rules.rules);
      expect(stats.matches).toBe(2);
      const matches = await readMatches(session, rules.rules);
      expect(matches.map((m) => [m.pass, m.left, m.right, m.tier])).toEqual([
        ['reference', [1], [10], 'auto'],
        ['tolerance', [2], [11], 'suggested'],
      ]);
      const tolerance = matches[1]?.explanation.comparisons ?? [];
      expect(tolerance.map((c) => [c.label, c.passed, c.left, c.right])).toEqual([
        ['amount', true, '25000', '24800'],
        ['date booking_date', true, '2024-03-02', '2024-03-04'],
        ['text counterparty', true, 'globex corporation', 'globex corporaton'],
      ]);
      const unmatched = await readUnmatched(session, 'left');
      expect(unmatched).toHaveLength(1);
      expect(unmatched[0]?.row).toBe(3);
      expect(unmatched[0]?.nearest).toEqual({ row: 12, score: 0.5, pass: 'reference' });
      expect(unmatched[0]?.reason).toBe('nearest candidate failed amount (777 vs 770)');
      const discrepancies = await readDiscrepancies(session);
      expect(discrepancies.map((d) => [d.field, d.delta])).toEqual([
        ['amount', -200n],
        ['booking_date', 2n],
      ]);
      expect(stats.left.matched.count).toBe(2);
      expect(stats.left.unmatched.amount).toBe(777n);
    } finally {
      session.close();
    }
  });

  it('says when an unmatched record lost its candidate to a better-scoring match', async () => {
    const session = await sessionWith(
      [{ row: 1, amount: 1000, date: '2024-01-01' }],
      [
        { row: 1, amount: 1000, date: '2024-01-01' },
        { row: 2, amount: 1000, date: '2024-01-02' },
      ],
    );
    try {
      const rules = parseRuleSet({
        version: 1,
        passes: [{ name: 'p', comparisons: [{ type: 'amount' }, { type: 'date', max_days: 2 }] }],
      });
      await reconcile(session, rules);
      expect(await readUnmatched(session, 'right')).toEqual([
        {
          row: 2,
          nearest: { row: 1, score: 0.9375, pass: 'p' },
          reason: 'the nearest candidate went to a better-scoring match',
        },
      ]);
    } finally {
      session.close();
    }
  });
  it.each([true, false])(
    'passes records without the key of an exact pass on to the next pass and the unmatched tables (diagnostics %s)',
    async (diagnostics) => {
      // The reference pass copies only records with a reference; the amount-and-date pass reads the same columns
      // and must still see the others (a blank reference, one that normalises to nothing).
      const session = await sessionWith(
        [
          { row: 1, reference: 'A-1', amount: 100, date: '2024-03-01' },
          { row: 2, reference: null, amount: 200, date: '2024-03-01' },
          { row: 3, reference: '--', amount: 300, date: '2024-03-01' },
          { row: 4, reference: null, amount: 999, date: '2024-03-01' },
        ],
        [
          { row: 10, reference: 'a1', amount: 100, date: '2024-03-05' },
          { row: 11, reference: null, amount: 200, date: '2024-03-02' },
          { row: 12, reference: 'x', amount: 300, date: '2024-03-01' },
          { row: 13, reference: null, amount: 555, date: '2024-03-01' },
        ],
      );
      try {
        const rules = parseRuleSet({
          version: 1,
          passes: [
            {
              name: 'reference',
              comparisons: [
                {
                  type: 'exact',
                  field: 'reference',
                  normalisers: ['trim', 'case', 'strip_non_alphanumeric'],
                },
                { type: 'amount' },
              ],
            },
            { name: 'amount and date', comparisons: [{ type: 'amount' }, { type: 'date', max_days: 2 }] },
          ],
        });
        await reconcile(session, rules, { diagnostics });
        const matches = await readMatches(session, rules);
        expect(matches.map((m) => [m.pass, m.left, m.right])).toEqual([
          ['reference', [1], [10]],
          ['amount and date', [2], [11]],
          ['amount and date', [3], [12]],
        ]);
        expect((await readUnmatched(session, 'left')).map((u) => u.row)).toEqual([4]);
        expect((await readUnmatched(session, 'right')).map((u) => u.row)).toEqual([13]);
      } finally {
        session.close();
      }
    },
  );
});
