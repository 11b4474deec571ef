import { describe, expect, it } from 'vitest';
import { parseRuleSet, readMatches, reconcile, type RuleSetInput } from '../../src/index';
import { sessionWith, type TestRecord } from './engine-fixture';

async function matchPairs(rules: RuleSetInput, left: TestRecord[], right: TestRecord[]) {
  const session = await sessionWith(left, right);
  try {
    const parsed = parseRuleSet(rules);
    await reconcile(session, parsed);
    return await readMatches(session, parsed);
  } finally {
    session.close();
  }
}

const pass = (
  comparisons: RuleSetInput['passes'][number]['comparisons'],
  extra: Partial<RuleSetInput> = {},
): RuleSetInput => ({
  version: 1,
  confidence_threshold: 0.5,
  ...extra,
  passes: [{ name: 'p', comparisons }],
});

describe('comparisons', () => {
  it('extracts an invoice number from bank free text and matches it to the ledger reference', async () => {
    const matches = await matchPairs(
      pass([
        {
          type: 'regex',
          field: 'description',
          right_field: 'reference',
          pattern: 'INV-?(\\d{4,})',
          apply_to: 'left',
          normalisers: ['trim', 'case', 'strip_non_alphanumeric', 'remove_leading_zeros'],
        },
        { type: 'amount' },
      ]),
      [
        { row: 1, description: 'SEPA credit ACME ref INV-004711 thanks', amount: 5000 },
        { row: 2, description: 'no reference here', amount: 5000 },
      ],
      [{ row: 1, reference: '4711', amount: 5000 }],
    );
    expect(matches.map((m) => [m.left, m.right])).toEqual([[[1], [1]]]);
    expect(matches[0]?.explanation.comparisons[0]).toMatchObject({
      passed: true,
      left: '4711',
      right: '4711',
    });
  });

  it('scores text with each similarity algorithm', async () => {
    const left = [{ row: 1, counterparty: 'ACME Holdings Ltd' }];
    const right = [{ row: 1, counterparty: 'Acme Ltd' }];
    const scoreOf = async (algorithm: 'jaro_winkler' | 'levenshtein' | 'token_set' | 'trigram') => {
      const matches = await matchPairs(
        pass([{ type: 'text', field: 'counterparty', algorithm, threshold: 0, required: false }], {
          confidence_threshold: 0,
        }),
        left,
        right,
      );
      return matches[0]?.explanation.comparisons[0]?.score ?? -1;
    };
    expect(await scoreOf('token_set')).toBe(1); // both words of "acme ltd" appear in the longer name
    expect(await scoreOf('levenshtein')).toBeCloseTo(1 - 9 / 17, 5);
    expect(await scoreOf('trigram')).toBeGreaterThan(0.3);
    expect(await scoreOf('trigram')).toBeLessThan(0.6);
    expect(await scoreOf('jaro_winkler')).toBeGreaterThan(0.8);
  });

  it('applies a percent tolerance to negative amounts and never matches zero to a non-zero amount', async () => {
    const matches = await matchPairs(
      pass([{ type: 'amount', tolerance_percent: 1 }]),
      [
        { row: 1, amount: -10050 },
        { row: 2, amount: -15000 },
        { row: 3, amount: 0 },
        { row: 4, amount: 10100 },
      ],
      [
        { row: 1, amount: -10000 },
        { row: 2, amount: -10001 },
        { row: 3, amount: 0 },
        { row: 4, amount: 5 },
        { row: 5, amount: 10000 },
      ],
    );
    // -10050 is within 1 % of both -10000 and -10001; the closer one wins.
    expect(matches.map((m) => [m.left[0], m.right[0]])).toEqual([
      [1, 2],
      [3, 3],
      [4, 5],
    ]);
  });

  it('compares right amounts with the opposite sign when asked', async () => {
    const matches = await matchPairs(
      pass([{ type: 'amount', right_sign: 'opposite' }]),
      [{ row: 1, amount: 2500 }],
      [
        { row: 1, amount: 2500 },
        { row: 2, amount: -2500 },
      ],
    );
    expect(matches.map((m) => m.right)).toEqual([[2]]);
  });

  it('treats blank keys as missing, never as equal', async () => {
    const matches = await matchPairs(
      pass([{ type: 'exact', field: 'reference' }]),
      [
        { row: 1, reference: '' },
        { row: 2, reference: null },
      ],
      [
        { row: 1, reference: '' },
        { row: 2, reference: null },
      ],
    );
    expect(matches).toEqual([]);
  });

  it('blocks on any of several key sets', async () => {
    const rules: RuleSetInput = {
      version: 1,
      confidence_threshold: 0.5,
      passes: [
        {
          name: 'people',
          same_currency: false,
          blocking: [['extra.ssn'], ['extra.dob']],
          comparisons: [{ type: 'text', field: 'counterparty', threshold: 0.8, required: false }],
        },
      ],
    };
    const matches = await matchPairs(
      rules,
      [
        { row: 1, counterparty: 'Jane Smith', extra: { ssn: '1', dob: '1990' } },
        { row: 2, counterparty: 'John Brown', extra: { ssn: '2', dob: '1985' } },
      ],
      [
        { row: 1, counterparty: 'Jane Smyth', extra: { ssn: '9', dob: '1990' } },
        { row: 2, counterparty: 'Jon Brown', extra: { ssn: '2', dob: '1999' } },
      ],
    );
    expect(matches.map((m) => [m.left[0], m.right[0]])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});
