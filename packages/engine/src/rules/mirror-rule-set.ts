import type { Comparison, Pass, RuleSet } from './rule-set.schema';

function mirrorComparison(c: Comparison): Comparison {
  switch (c.type) {
    case 'amount':
      return c;
    case 'date':
      return {
        ...c,
        field: c.right_field ?? c.field,
        right_field: c.field,
        min_days: -c.max_days,
        max_days: -c.min_days,
      };
    case 'contains': {
      const direction =
        c.direction === 'either'
          ? 'either'
          : c.direction === 'left_in_right'
            ? 'right_in_left'
            : 'left_in_right';
      return { ...c, field: c.right_field ?? c.field, right_field: c.field, direction };
    }
    case 'regex': {
      const applyTo = c.apply_to === 'both' ? 'both' : c.apply_to === 'left' ? 'right' : 'left';
      return { ...c, field: c.right_field ?? c.field, right_field: c.field, apply_to: applyTo };
    }
    case 'exact':
    case 'text':
      return { ...c, field: c.right_field ?? c.field, right_field: c.field };
  }
}

function mirrorPass(pass: Pass): Pass {
  const kind =
    pass.kind === 'one_to_many' ? 'many_to_one' : pass.kind === 'many_to_one' ? 'one_to_many' : pass.kind;
  return {
    ...pass,
    kind,
    blocking: pass.blocking.map((keys) =>
      keys.map((k) => ({ ...k, field: k.right_field ?? k.field, right_field: k.field })),
    ),
    comparisons: pass.comparisons.map(mirrorComparison),
    group: pass.group && { ...pass.group, left_key: pass.group.right_key, right_key: pass.group.left_key },
  };
}

/**
 * The same rule set with the two sides swapped (fields, date windows, grouped kinds, contains and regex
 * directions): reconciling B against A with it gives the mirror image of A against B.
 */
export function mirrorRuleSet(rules: RuleSet): RuleSet {
  return { ...rules, passes: rules.passes.map(mirrorPass) };
}
