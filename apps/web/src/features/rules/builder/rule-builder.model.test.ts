import { describe, expect, it } from 'vitest';
import {
  draftFromRules,
  emptyDraft,
  errorsUnder,
  rulesFromDraft,
  serverErrorMap,
  validateDraft,
  type RuleDraft,
} from './rule-builder.model';

const STORED = {
  version: 1,
  confidence_threshold: 0.7,
  passes: [
    {
      name: 'reference',
      blocking: [['reference']],
      comparisons: [{ type: 'exact', field: 'reference', normalisers: ['trim'] }, { type: 'amount' }],
    },
    {
      name: 'payouts',
      kind: 'one_to_many',
      comparisons: [{ type: 'amount', tolerance_minor: 5 }],
      group: { right_key: 'extra.payout_id', max_group_size: 6 },
    },
  ],
};

function loaded(rules: unknown): RuleDraft {
  const result = draftFromRules(rules);
  if (!result.ok) throw new Error('expected the rules to load');
  return result.draft;
}

describe('rule builder model', () => {
  it('round-trips stored rules with every default written out and no editor keys', () => {
    const rules = rulesFromDraft(loaded(STORED));
    expect(rules.confidence_threshold).toBe(0.7);
    expect(rules.auto_confirm_threshold).toBe(0.9);
    expect(rules.passes[0]?.blocking).toEqual([[{ field: 'reference', normalisers: ['trim', 'case'] }]]);
    expect(rules.passes[1]?.group).toMatchObject({
      right_key: 'extra.payout_id',
      max_group_size: 6,
      max_candidates: 24,
    });
    expect(JSON.stringify(rules)).not.toContain('"key"');
    expect(rulesFromDraft(loaded(rules))).toEqual(rules);
  });

  it('gives every pass and comparison a distinct key for stable rows', () => {
    const draft = loaded(STORED);
    const keys = draft.passes.flatMap((p) => [p.key, ...p.comparisons.map((c) => c.key)]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(draft.nextKey).toBe(keys.length);
  });

  it('refuses rules whose shape the form cannot hold, with the path of each problem', () => {
    const result = draftFromRules({ version: 1, passes: [{ name: 'x', comparisons: [{ type: 'fuzzy' }] }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe('passes.0.comparisons.0.type');
  });

  it('validates like the server: paths per field, numbers left empty, engine rules such as group keys', () => {
    const draft = loaded(STORED);
    expect(validateDraft(draft).size).toBe(0);
    expect(
      validateDraft({ ...draft, auto_confirm_threshold: Number.NaN }).get('auto_confirm_threshold'),
    ).toBe('Enter a number');
    const broken: RuleDraft = {
      ...draft,
      passes: draft.passes.map((p, i) =>
        i === 1 ? { ...p, kind: 'many_to_many' } : { ...p, name: 'payouts' },
      ),
    };
    const errors = validateDraft(broken);
    expect(errors.get('passes.1.name')).toMatch(/used twice/);
    expect(errors.get('passes.1.group.left_key')).toMatch(/left_key/);
    expect(errorsUnder(errors, 'passes.1')).toHaveLength(2);
  });

  it('maps server field errors onto form paths without the pass prefix', () => {
    const map = serverErrorMap([
      { path: 'rules.passes.0.comparisons.1.max_days', message: 'pass "dates": Too big' },
      { path: 'name', message: 'Required' },
    ]);
    expect([...map]).toEqual([['passes.0.comparisons.1.max_days', 'Too big']]);
  });

  it('starts a new rule set with one valid pass', () => {
    expect(validateDraft(emptyDraft()).size).toBe(0);
  });
});
