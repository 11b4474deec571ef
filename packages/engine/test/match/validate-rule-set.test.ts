import { describe, expect, it } from 'vitest';
import { mirrorRuleSet, parseRuleSet, validateRuleSet } from '../../src/rules/index';

describe('validateRuleSet', () => {
  it('fills defaults for a minimal rule set', () => {
    const result = validateRuleSet({
      version: 1,
      passes: [{ name: 'p', comparisons: [{ type: 'amount' }] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rules.confidence_threshold).toBe(0.6);
    expect(result.rules.passes[0]).toMatchObject({ kind: 'one_to_one', same_currency: true, blocking: [] });
    expect(result.rules.passes[0]?.comparisons[0]).toMatchObject({
      tolerance_minor: 0,
      weight: 1,
      required: true,
    });
  });

  it('names the pass and the field of a schema error', () => {
    const result = validateRuleSet({
      version: 1,
      passes: [
        { name: 'fuzzy names', comparisons: [{ type: 'text', field: 'counterparty', threshold: 1.5 }] },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: 'passes.0.comparisons.0.threshold',
        pass: 'fuzzy names',
        field: 'threshold',
        code: 'too_big',
      }),
    ]);
  });

  it('rejects unknown fields, bad regexes, duplicate names and misplaced group keys', () => {
    const result = validateRuleSet({
      version: 1,
      confidence_threshold: 0.9,
      auto_confirm_threshold: 0.5,
      passes: [
        { name: 'a', comparisons: [{ type: 'regex', field: 'description', pattern: '(INV-(\\d+)' }] },
        {
          name: 'a',
          kind: 'one_to_many',
          comparisons: [{ type: 'exact', field: 'reference' }],
          group: { left_key: 'extra.batch' },
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.pass, e.code])).toEqual([
      [null, 'THRESHOLD_ORDER'],
      ['a', 'REGEX_INVALID'],
      ['a', 'DUPLICATE_PASS_NAME'],
      ['a', 'AMOUNT_REQUIRED'],
      ['a', 'GROUP_KEY_WRONG_SIDE'],
    ]);
    const unknown = validateRuleSet({
      version: 1,
      passes: [{ name: 'x', comparisons: [{ type: 'exact', field: 'iban' }] }],
    });
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.path)).toEqual(['passes.0.comparisons.0.field']);
  });

  it('rejects a rule set of another version', () => {
    const result = validateRuleSet({ version: 2, passes: [] });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toContain('version');
  });

  it('accepts passes without any amount comparison (record linkage)', () => {
    expect(
      validateRuleSet({
        version: 1,
        passes: [{ name: 'names', comparisons: [{ type: 'text', field: 'counterparty' }] }],
      }).ok,
    ).toBe(true);
  });

  it('mirrors date windows, group kinds and fields when the sides are swapped', () => {
    const rules = parseRuleSet({
      version: 1,
      passes: [
        {
          name: 'p',
          kind: 'one_to_many',
          comparisons: [
            { type: 'amount' },
            { type: 'date', min_days: 1, max_days: 3 },
            { type: 'exact', field: 'reference', right_field: 'extra.ref' },
          ],
          group: { right_key: 'extra.payout' },
        },
      ],
    });
    const pass = mirrorRuleSet(rules).passes[0];
    expect(pass?.kind).toBe('many_to_one');
    expect(pass?.group).toMatchObject({ left_key: 'extra.payout', right_key: undefined });
    expect(pass?.comparisons[1]).toMatchObject({ min_days: -3, max_days: -1 });
    expect(pass?.comparisons[2]).toMatchObject({ field: 'extra.ref', right_field: 'reference' });
  });
});
