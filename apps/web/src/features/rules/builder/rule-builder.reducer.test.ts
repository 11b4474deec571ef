import { describe, expect, it } from 'vitest';
import { emptyDraft, rulesFromDraft, validateDraft, type RuleDraft } from './rule-builder.model';
import { ruleBuilderReducer, type RuleBuilderAction } from './rule-builder.reducer';

const apply = (draft: RuleDraft, ...actions: RuleBuilderAction[]) =>
  actions.reduce(ruleBuilderReducer, draft);
const names = (draft: RuleDraft) => draft.passes.map((p) => p.name);

describe('rule builder reducer', () => {
  it('adds passes with unique names and reorders, renames and removes them', () => {
    let draft = apply(emptyDraft(), { type: 'addPass' }, { type: 'addPass' });
    expect(names(draft)).toEqual(['exact reference', 'pass 2', 'pass 3']);
    draft = apply(
      draft,
      { type: 'movePass', pass: 2, by: -1 },
      { type: 'renamePass', pass: 0, name: 'refs' },
    );
    expect(names(draft)).toEqual(['refs', 'pass 3', 'pass 2']);
    expect(apply(draft, { type: 'movePass', pass: 0, by: -1 })).toBe(draft);
    draft = apply(draft, { type: 'removePass', pass: 1 });
    expect(names(draft)).toEqual(['refs', 'pass 2']);
  });

  it('adds group options with the subset-sum limits for grouped kinds and drops them for 1:1', () => {
    let draft = apply(emptyDraft(), { type: 'setKind', pass: 0, kind: 'many_to_one' });
    expect(draft.passes[0]?.group).toMatchObject({
      max_group_size: 10,
      max_candidates: 24,
      search_budget: 200_000,
    });
    draft = apply(draft, {
      type: 'setGroup',
      pass: 0,
      patch: { left_key: 'counterparty', max_group_size: 4 },
    });
    expect(draft.passes[0]?.group).toMatchObject({ left_key: 'counterparty', max_group_size: 4 });
    draft = apply(draft, { type: 'setGroup', pass: 0, patch: { left_key: undefined } });
    expect(draft.passes[0]?.group && 'left_key' in draft.passes[0].group).toBe(false);
    draft = apply(draft, { type: 'setKind', pass: 0, kind: 'one_to_one' });
    expect(draft.passes[0]?.group).toBeUndefined();
    expect(validateDraft(draft).size).toBe(0);
  });

  it('changes a comparison type to that type’s defaults, keeping a text field, weight and required', () => {
    let draft = apply(
      emptyDraft(),
      { type: 'updateComparison', pass: 0, comparison: 0, patch: { weight: 3, required: false } },
      { type: 'changeComparisonType', pass: 0, comparison: 0, comparisonType: 'text' },
    );
    expect(draft.passes[0]?.comparisons[0]).toMatchObject({
      type: 'text',
      field: 'reference',
      algorithm: 'jaro_winkler',
      threshold: 0.85,
      weight: 3,
      required: false,
    });
    draft = apply(draft, { type: 'changeComparisonType', pass: 0, comparison: 0, comparisonType: 'date' });
    expect(draft.passes[0]?.comparisons[0]).toMatchObject({
      type: 'date',
      field: 'booking_date',
      min_days: 0,
    });
  });

  it('writes an asymmetric date window and clears an emptied right field', () => {
    const draft = apply(
      emptyDraft(),
      { type: 'addComparison', pass: 0, comparisonType: 'date' },
      {
        type: 'updateComparison',
        pass: 0,
        comparison: 2,
        patch: { min_days: -1, max_days: 4, right_field: 'value_date' },
      },
      { type: 'updateComparison', pass: 0, comparison: 0, patch: { right_field: undefined } },
    );
    const rules = rulesFromDraft(draft);
    expect(rules.passes[0]?.comparisons[2]).toMatchObject({
      type: 'date',
      min_days: -1,
      max_days: 4,
      right_field: 'value_date',
    });
    expect(rules.passes[0]?.comparisons[0]).not.toHaveProperty('right_field');
  });

  it('sets blocking sets and per-pass options', () => {
    const draft = apply(
      emptyDraft(),
      {
        type: 'setBlocking',
        pass: 0,
        blocking: [[{ field: 'account', right_field: undefined, normalisers: [] }]],
      },
      { type: 'setPassOptions', pass: 0, sameCurrency: false, confidence: 0.8 },
    );
    expect(rulesFromDraft(draft).passes[0]).toMatchObject({
      blocking: [[{ field: 'account', normalisers: [] }]],
      same_currency: false,
      confidence_threshold: 0.8,
    });
    const cleared = apply(draft, { type: 'setPassOptions', pass: 0, confidence: undefined });
    expect(rulesFromDraft(cleared).passes[0]).not.toHaveProperty('confidence_threshold');
  });
});
