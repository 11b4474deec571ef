import { describe, expect, it } from 'vitest';
import { selectionTotals } from './manual-match';

describe('selectionTotals', () => {
  it('sums both sides exactly and gives left minus right', () => {
    const totals = selectionTotals(
      [{ amount_minor: '125000' }, { amount_minor: '9007199254740993' }],
      [{ amount_minor: '-500' }],
    );
    expect(totals.left).toBe(9007199254865993n);
    expect(totals.right).toBe(-500n);
    expect(totals.difference).toBe(9007199254866493n);
  });

  it('is zero when nothing is picked', () => {
    expect(selectionTotals([], [])).toEqual({ left: 0n, right: 0n, difference: 0n });
  });
});
