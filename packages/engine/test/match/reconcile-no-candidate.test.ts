import { describe, expect, it } from 'vitest';
import { readUnmatched, reconcile, type RuleSetInput } from '../../src/index';
import { sessionWith } from './engine-fixture';

const rules: RuleSetInput = {
  version: 1,
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
        { type: 'amount', tolerance_minor: 100 },
        { type: 'date', min_days: 0, max_days: 3 },
        {
          type: 'text',
          field: 'counterparty',
          algorithm: 'jaro_winkler',
          threshold: 0.85,
          normalisers: ['trim', 'case', 'strip_non_alphanumeric'],
        },
      ],
    },
  ],
};

describe('reconcile: records without any candidate', () => {
  it('says "no candidate" when no record on the other side shares a pass’s blocking keys', async () => {
    const session = await sessionWith(
      [
        { row: 1, reference: 'INV-1', amount: 1000, date: '2024-03-01', counterparty: 'ACME Ltd.' },
        { row: 2, reference: 'ZZZ-9', amount: 555_00, date: '2024-06-01', counterparty: 'Nobody' },
      ],
      [
        { row: 10, reference: 'inv 1', amount: 1000, date: '2024-03-01', counterparty: 'acme ltd' },
        { row: 11, reference: 'QQQ-7', amount: 9_00, date: '2024-01-01', counterparty: 'Someone Else' },
      ],
    );
    try {
      const stats = await reconcile(session, rules);
      expect(stats.matches).toBe(1);
      for (const side of ['left', 'right'] as const) {
        const unmatched = await readUnmatched(session, side);
        expect(unmatched).toHaveLength(1);
        expect(unmatched[0]?.reason).toMatch(/^no candidate/);
      }
    } finally {
      session.close();
    }
  });
});
