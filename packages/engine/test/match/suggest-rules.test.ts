import { describe, expect, it } from 'vitest';
import { reconcile, suggestRules } from '../../src/index';
import { sessionWith, type TestRecord } from './engine-fixture';

// 60 ledger entries; the bank books each 1–2 days later, 40 of them with the invoice reference, and
// 5 extra bank lines that have no ledger entry.
function financeData(): { left: TestRecord[]; right: TestRecord[] } {
  const left: TestRecord[] = [];
  const right: TestRecord[] = [];
  for (let i = 1; i <= 60; i += 1) {
    const day = 1 + (i % 20);
    const date = `2024-04-${String(day).padStart(2, '0')}`;
    const lagged = `2024-04-${String(day + 1 + (i % 2)).padStart(2, '0')}`;
    left.push({
      row: i,
      reference: `INV-${1000 + i}`,
      amount: 1000 + i * 37,
      date,
      counterparty: `Customer ${i % 7}`,
    });
    right.push({
      row: i,
      reference: i <= 40 ? `INV-${1000 + i}` : null,
      amount: 1000 + i * 37,
      date: lagged,
      counterparty: `Customer ${i % 7}`,
    });
  }
  for (let i = 61; i <= 65; i += 1)
    right.push({ row: i, amount: 99_999 + i, date: '2024-04-28', counterparty: 'Stranger' });
  return { left, right };
}

describe('suggestRules', () => {
  it('proposes a reference key pass, then amount with the observed date lag, and they reconcile the data', async () => {
    const { left, right } = financeData();
    const session = await sessionWith(left, right);
    try {
      const { rules, notes } = await suggestRules(session);
      expect(rules.passes.map((p) => p.name)).toEqual(['exact reference', 'amount and date']);
      const date = rules.passes[1]?.comparisons.find((c) => c.type === 'date');
      expect(date).toMatchObject({ min_days: 0, max_days: 2 });
      expect(notes.join('\n')).toMatch(/reference is a key/);
      const stats = await reconcile(session, rules);
      expect(stats.left.matched.count).toBe(60);
      expect(stats.right.unmatched.count).toBe(5);
    } finally {
      session.close();
    }
  });
});
