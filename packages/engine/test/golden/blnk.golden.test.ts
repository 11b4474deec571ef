import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleSet, readMatches, readUnmatched, reconcile, type RuleSetInput } from '../../src/index';
import { parseSimpleCsv } from '../match/engine-fixture';
import { sessionWith } from '../match/engine-fixture';
import { BLNK_DIR, blnkRecords, readScenario } from './blnk-loader';

interface Expected {
  expected_matches: [string, string][];
  expected_unmatched_external?: string[];
  expected_unmatched_internal?: string[];
}

/** Runs a scenario; returns matched [external id, internal id] pairs and unmatched ids per side. */
async function run(name: string, rules: RuleSetInput) {
  const { left, right, expected } = readScenario(name);
  const session = await sessionWith(left, right);
  try {
    const ruleSet = parseRuleSet(rules);
    await reconcile(session, ruleSet);
    const idOf = (side: typeof left, row: number) => side.find((r) => r.row === row)?.id ?? '?';
    const matches = await readMatches(session, ruleSet);
    const pairs = matches.flatMap((m) =>
      m.left.flatMap((l) => m.right.map((r) => [idOf(left, l), idOf(right, r)])),
    );
    const unmatched = await readUnmatched(session, 'left');
    const unmatchedLeft = unmatched.map((u) => idOf(left, u.row));
    const unmatchedReasons = unmatched.map((u) => u.reason);
    const unmatchedRight = (await readUnmatched(session, 'right')).map((u) => idOf(right, u.row));
    return {
      pairs,
      unmatchedLeft,
      unmatchedRight,
      unmatchedReasons,
      expected: expected as Expected,
      matches,
    };
  } finally {
    session.close();
  }
}

// Blnk's rule: amount equal within 1 % drift, reference contained either way, same currency.
const blnkGroupComparisons = [
  { type: 'amount', tolerance_percent: 1 },
  { type: 'contains', field: 'reference' },
] as const;

describe('Blnk golden scenarios', () => {
  it('S5: exact one-to-one matches the equal amount and leaves the orphan unmatched', async () => {
    const result = await run('S5_one_to_one_exact', {
      version: 1,
      passes: [{ name: 'amount', comparisons: [{ type: 'amount' }] }],
    });
    expect(result.pairs).toEqual(result.expected.expected_matches);
    expect(result.unmatchedLeft).toEqual(result.expected.expected_unmatched_external);
    expect(result.unmatchedRight).toEqual([]);
  });

  it('S1: one payout of 300 matches the three internal rows of its parent transaction (303, within 1 %)', async () => {
    const result = await run('S1_one_to_many_match', {
      version: 1,
      passes: [
        {
          name: 'payout',
          kind: 'one_to_many',
          comparisons: [...blnkGroupComparisons],
          group: { right_key: 'extra.ParentTransaction' },
        },
      ],
    });
    expect(result.pairs).toEqual(result.expected.expected_matches);
    expect(result.unmatchedLeft).toEqual([]);
    expect(result.matches[0]?.explanation.decidedBy).toMatch(/3 records summing to 30300/);
    expect(
      result.matches[0]?.explanation.comparisons.map((c) => [c.label, c.passed, c.left, c.right]),
    ).toEqual([
      ['amount', true, '30000', '30300'],
      ['contains reference', true, 'ref1', 'ref1-a | ref1-b | ref1-c'],
    ]);
  });

  it('S1 without a group key: the subset-sum search finds the same three rows', async () => {
    const result = await run('S1_one_to_many_match', {
      version: 1,
      passes: [
        {
          name: 'payout',
          kind: 'one_to_many',
          comparisons: [...blnkGroupComparisons],
          group: { max_group_size: 5 },
        },
      ],
    });
    expect(result.pairs).toEqual(result.expected.expected_matches);
    expect(result.matches[0]?.explanation.decidedBy).toMatch(
      /^subset-sum: 3 of 3 candidates sum to 30300 against 30000/,
    );
  });

  it('S2: 304 against 300 is outside 1 %, so the payout stays unmatched, with the reason', async () => {
    for (const group of [{ right_key: 'extra.ParentTransaction' }, {}]) {
      const result = await run('S2_one_to_many_no_match', {
        version: 1,
        passes: [{ name: 'payout', kind: 'one_to_many', comparisons: [...blnkGroupComparisons], group }],
      });
      expect(result.pairs).toEqual([]);
      expect(result.unmatchedLeft).toEqual(result.expected.expected_unmatched_external);
    }
    const subset = await run('S2_one_to_many_no_match', {
      version: 1,
      passes: [{ name: 'payout', kind: 'one_to_many', comparisons: [...blnkGroupComparisons], group: {} }],
    });
    expect(subset.unmatchedLeft).toEqual(['ext1']);
    expect(subset.unmatchedReasons[0]).toMatch(
      /^no group of at most 10 of 3 candidates sums within tolerance/,
    );
  });

  it('S3: three external rows grouped by their key match one internal row (many-to-one)', async () => {
    const result = await run('S3_many_to_one_match', {
      version: 1,
      passes: [
        {
          name: 'batch',
          kind: 'many_to_one',
          comparisons: [...blnkGroupComparisons],
          group: { left_key: 'extra.GroupKey' },
        },
      ],
    });
    expect(result.pairs).toEqual(result.expected.expected_matches);
    expect(result.unmatchedRight).toEqual(result.expected.expected_unmatched_internal);
  });

  describe('S4: pairwise rules on one external/internal pair', () => {
    const rows = parseSimpleCsv(readFileSync(join(BLNK_DIR, 'S4_pairwise_rules', 'pair.csv'), 'utf8'));
    const left = blnkRecords(rows.filter((r) => r.side === 'external'));
    const right = blnkRecords(rows.filter((r) => r.side === 'internal'));
    const expected = JSON.parse(
      readFileSync(join(BLNK_DIR, 'S4_pairwise_rules', 'expected.json'), 'utf8'),
    ) as {
      cases: { rule: { field: string; operator: string; allowable_drift?: number }[]; match: boolean }[];
    };
    // Blnk's rule vocabulary mapped onto comparisons: drift on amounts is a fraction (0.01 = 1 %),
    // date drift of an hour is "same calendar day", contains is case-insensitive either way.
    const toComparison = (r: { field: string; operator: string; allowable_drift?: number }) => {
      if (r.field === 'amount')
        return { type: 'amount', tolerance_percent: (r.allowable_drift ?? 0) * 100 } as const;
      if (r.field === 'date') return { type: 'date', min_days: 0, max_days: 0 } as const;
      const field = r.field as 'description' | 'reference' | 'currency';
      return r.operator === 'contains'
        ? ({ type: 'contains', field } as const)
        : ({ type: 'exact', field, normalisers: ['trim', 'case'] } as const);
    };
    expected.cases.forEach((c, i) => {
      it(`case ${i + 1}: ${c.rule.map((r) => `${r.field} ${r.operator}`).join(' + ')} → ${c.match ? 'match' : 'no match'}`, async () => {
        const session = await sessionWith(left, right);
        try {
          const rules = parseRuleSet({
            version: 1,
            confidence_threshold: 0.5,
            passes: [{ name: 'pair', same_currency: false, comparisons: c.rule.map(toComparison) }],
          });
          const stats = await reconcile(session, rules);
          expect(stats.matches).toBe(c.match ? 1 : 0);
        } finally {
          session.close();
        }
      });
    });
  });
});
