import { describe, expect, it } from 'vitest';
import { dateWindow, describeComparison, describeRuleSet, fieldLabel } from './rules-describe';

describe('describeRuleSet', () => {
  it('turns each pass and comparison into a sentence a person can check', () => {
    const summary = describeRuleSet({
      version: 1,
      confidence_threshold: 0.6,
      auto_confirm_threshold: 0.9,
      passes: [
        {
          name: 'Reference and amount',
          kind: 'one_to_one',
          comparisons: [
            { type: 'exact', field: 'reference', normalisers: ['trim', 'case'] },
            { type: 'amount', tolerance_minor: 0 },
          ],
        },
        {
          name: 'Batches',
          kind: 'many_to_one',
          comparisons: [
            { type: 'amount', tolerance_minor: 150, right_sign: 'opposite' },
            { type: 'date', field: 'booking_date', min_days: -3, max_days: 3 },
            { type: 'text', field: 'description', threshold: 0.3, required: false },
          ],
          group: { max_group_size: 5, date_span_days: 2 },
        },
      ],
    });
    expect(summary.confidence).toBe(0.6);
    expect(summary.autoConfirm).toBe(0.9);
    expect(summary.passes).toEqual([
      {
        name: 'Reference and amount',
        kind: 'One to one',
        comparisons: ['Same reference, ignoring spaces and case', 'Same amount to the cent'],
      },
      {
        name: 'Batches',
        kind: 'Many left to one right',
        comparisons: [
          'Amount within ±1.50, opposite sign on the right',
          'Booking date within ±3 days',
          'Similar description (at least 30% alike) (optional, only adds to the score)',
        ],
        group: 'up to 5 records per group, spanning at most 2 days',
      },
    ]);
  });

  it('capitalises engine pass names and spells normalisers out', () => {
    const summary = describeRuleSet({
      passes: [
        {
          name: 'exact reference',
          comparisons: [
            { type: 'exact', field: 'reference', normalisers: ['trim', 'case', 'strip_non_alphanumeric'] },
          ],
        },
      ],
    });
    expect(summary.passes[0]?.name).toBe('Exact reference');
    expect(summary.passes[0]?.comparisons).toEqual(['Same reference, ignoring spaces, case and punctuation']);
  });

  it('returns no passes for something that is not a rule set', () => {
    expect(describeRuleSet('nonsense').passes).toEqual([]);
    expect(describeRuleSet({ passes: 'x' }).passes).toEqual([]);
  });

  it('names a comparison it cannot read instead of dropping it', () => {
    expect(describeComparison({ type: 'future' })).toBe('Comparison of type future');
    expect(describeComparison(42)).toBe('Unreadable comparison');
  });
});

describe('dateWindow', () => {
  it('says same day, symmetric and settlement-lag windows plainly', () => {
    expect(dateWindow(0, 0)).toBe('on the same day');
    expect(dateWindow(-1, 1)).toBe('within ±1 day');
    expect(dateWindow(0, 2)).toBe('right 0 to 2 days after left');
    expect(dateWindow(-5, 1)).toBe('from 5 days before to 1 day after');
  });
});

describe('fieldLabel', () => {
  it('shows extra columns by their column name', () => {
    expect(fieldLabel('extra.invoice_no')).toBe('column "invoice_no"');
    expect(fieldLabel('value_date')).toBe('value date');
  });
});
