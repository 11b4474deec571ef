import { validateRuleSet, type RuleSet } from '@recon/engine/rules';
import { AppError } from '@recon/shared';

/**
 * Validates rules with the engine's schema. Each field error names its pass and field, e.g.
 * `rules.passes.1.comparisons.0.threshold` with message `pass "fuzzy": Too big: expected number to be <=1`.
 */
export function validRules(input: unknown, field = 'rules'): RuleSet {
  const result = validateRuleSet(input);
  if (result.ok) return result.rules;
  throw new AppError('RULE_SET_INVALID', `The rule set has ${result.errors.length} problem(s)`, {
    errors: result.errors.map((error) => ({
      in: 'body',
      field: error.path === '' ? field : `${field}.${error.path}`,
      message: `${error.pass === null ? '' : `pass "${error.pass}": `}${error.message}`,
    })),
  });
}
