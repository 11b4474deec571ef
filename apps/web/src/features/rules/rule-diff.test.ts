import { describe, expect, it } from 'vitest';
import { diffRuleSets } from './rule-diff';

const V1 = {
  version: 1,
  confidence_threshold: 0.6,
  passes: [
    { name: 'reference', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
    {
      name: 'amount and date',
      comparisons: [
        { type: 'amount', tolerance_minor: 0 },
        { type: 'date', min_days: 0, max_days: 2 },
      ],
    },
    { name: 'fuzzy', comparisons: [{ type: 'text', field: 'counterparty', algorithm: 'jaro_winkler' }] },
  ],
};

describe('diffRuleSets', () => {
  it('says nothing changed for equal rules', () => {
    expect(diffRuleSets(V1, structuredClone(V1))).toEqual([]);
  });

  it('names threshold changes, widened windows, added, removed, moved and renamed passes', () => {
    const v2 = {
      ...V1,
      confidence_threshold: 0.7,
      passes: [
        {
          name: 'amount and date',
          comparisons: [
            { type: 'amount', tolerance_minor: 0 },
            { type: 'date', min_days: -2, max_days: 5 },
          ],
        },
        { name: 'references', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
        {
          name: 'groups',
          kind: 'many_to_one',
          comparisons: [{ type: 'amount' }],
          group: { max_group_size: 5 },
        },
      ],
    };
    const changes = diffRuleSets(V1, v2);
    expect(changes).toContainEqual({ scope: 'Rule set', changes: ['Confidence threshold: 0.6 → 0.7'] });
    const dates = changes.find((c) => c.scope === 'Pass "amount and date"');
    expect(dates?.changes).toContain('moved from position 2 to 1');
    expect(dates?.changes).toContain(
      'Comparison 2: Booking date from 2 days before to 5 days after (was: Booking date right 0 to 2 days after left)',
    );
    expect(changes.find((c) => c.scope === 'Pass "references"')?.changes).toEqual([
      'moved from position 1 to 2',
      'renamed from "reference"',
    ]);
    expect(changes.find((c) => c.scope === 'Pass "groups"')?.changes[0]).toBe('added');
    expect(changes).toContainEqual({ scope: 'Pass "fuzzy"', changes: ['removed'] });
  });

  it('lists settings the sentence leaves out, such as the similarity method', () => {
    const v2 = structuredClone(V1);
    const fuzzy = v2.passes[2]?.comparisons[0];
    if (fuzzy) Object.assign(fuzzy, { algorithm: 'token_set' });
    expect(diffRuleSets(V1, v2)).toEqual([
      { scope: 'Pass "fuzzy"', changes: ['Comparison 1: algorithm: jaro_winkler → token_set'] },
    ]);
  });
});
