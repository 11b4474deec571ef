import type { RuleSetInput } from '../../src/index';

/**
 * The documented FEBRL4 rule set: one one-to-one pass, candidates blocked on any of five keys (a pair
 * needs to agree on at least one), then nine weighted, optional comparisons so a typo or a missing value
 * lowers the score instead of ruling the pair out. No amount comparison: people records have no money.
 */
export const febrlRules: RuleSetInput = {
  version: 1,
  name: 'FEBRL4 people',
  confidence_threshold: 0.6,
  auto_confirm_threshold: 0.85,
  passes: [
    {
      name: 'people',
      same_currency: false,
      blocking: [['extra.soc_sec_id'], ['extra.date_of_birth'], ['extra.postcode'], ['extra.surname']],
      comparisons: [
        {
          type: 'text',
          field: 'extra.given_name',
          algorithm: 'jaro_winkler',
          threshold: 0.85,
          weight: 1,
          required: false,
        },
        {
          type: 'text',
          field: 'extra.surname',
          algorithm: 'jaro_winkler',
          threshold: 0.85,
          weight: 1.5,
          required: false,
        },
        { type: 'exact', field: 'extra.street_number', weight: 0.5, required: false },
        {
          type: 'text',
          field: 'extra.address_1',
          algorithm: 'jaro_winkler',
          threshold: 0.85,
          weight: 1,
          required: false,
        },
        {
          type: 'text',
          field: 'extra.suburb',
          algorithm: 'jaro_winkler',
          threshold: 0.85,
          weight: 1,
          required: false,
        },
        { type: 'exact', field: 'extra.postcode', weight: 1, required: false },
        { type: 'exact', field: 'extra.state', weight: 0.5, required: false },
        {
          type: 'text',
          field: 'extra.date_of_birth',
          algorithm: 'levenshtein',
          threshold: 0.75,
          weight: 1.5,
          required: false,
        },
        {
          type: 'text',
          field: 'extra.soc_sec_id',
          algorithm: 'levenshtein',
          threshold: 0.7,
          weight: 2,
          required: false,
        },
      ],
    },
  ],
};
