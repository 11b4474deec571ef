import type { z } from 'zod';
import { captureGroupCount } from './rule-fields';
import { ruleSetSchema, type Pass, type RuleSet } from './rule-set.schema';

/** One problem in a rule set, located by its JSON path and, when inside a pass, the pass name. */
export interface RuleSetError {
  /** Dotted path into the JSON, e.g. `passes.1.comparisons.0.threshold`. */
  path: string;
  /** Name of the pass the problem is in (or `passes[i]` when the pass has no usable name); null at top level. */
  pass: string | null;
  /** The offending key, e.g. `threshold`; null when the problem is with a whole object. */
  field: string | null;
  /** Stable machine code: zod's issue code or one of ours (`DUPLICATE_PASS_NAME`...). */
  code: string;
  message: string;
}

/** Result of `validateRuleSet`: the typed rule set, or every problem found. */
export type RuleSetValidation = { ok: true; rules: RuleSet } | { ok: false; errors: RuleSetError[] };

/** Thrown by `parseRuleSet` when a rule set is invalid; carries every error. */
export class RuleSetValidationError extends Error {
  constructor(readonly errors: RuleSetError[]) {
    super(`invalid rule set: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'RuleSetValidationError';
  }
}

function passNameAt(input: unknown, index: number): string {
  if (typeof input === 'object' && input !== null && 'passes' in input && Array.isArray(input.passes)) {
    const pass: unknown = input.passes[index];
    if (
      typeof pass === 'object' &&
      pass !== null &&
      'name' in pass &&
      typeof pass.name === 'string' &&
      pass.name
    ) {
      return pass.name;
    }
  }
  return `passes[${index}]`;
}

function toError(input: unknown, path: readonly PropertyKey[], code: string, message: string): RuleSetError {
  const parts = path.map((p) => (typeof p === 'symbol' ? String(p.description) : p));
  const passIndex = parts[0] === 'passes' && typeof parts[1] === 'number' ? parts[1] : null;
  const last = [...parts].reverse().find((p): p is string => typeof p === 'string');
  return {
    path: parts.join('.'),
    pass: passIndex === null ? null : passNameAt(input, passIndex),
    field: last ?? null,
    code,
    message,
  };
}

function checkPass(pass: Pass, at: (path: PropertyKey[], code: string, message: string) => void): void {
  const amounts = pass.comparisons.flatMap((c, i) => (c.type === 'amount' ? [i] : []));
  if (amounts.length > 1)
    at(['comparisons', amounts[1] ?? 0], 'DUPLICATE_AMOUNT', 'a pass has at most one amount comparison');
  const totalWeight = pass.comparisons.reduce((sum, c) => sum + c.weight, 0);
  if (totalWeight <= 0)
    at(['comparisons'], 'ZERO_WEIGHT', 'the comparisons of a pass need a positive total weight');
  pass.comparisons.forEach((c, i) => {
    if (c.type !== 'regex') return;
    try {
      if (captureGroupCount(c.pattern) > 1)
        at(['comparisons', i, 'pattern'], 'REGEX_GROUPS', 'use at most one capture group');
      if (/\(\?[=!<]|\\[1-9]/.test(c.pattern)) {
        at(
          ['comparisons', i, 'pattern'],
          'REGEX_UNSUPPORTED',
          'look-around and back-references are not supported',
        );
      }
    } catch (error) {
      at(
        ['comparisons', i, 'pattern'],
        'REGEX_INVALID',
        error instanceof Error ? error.message : 'invalid pattern',
      );
    }
  });
  if (pass.kind === 'one_to_one') {
    if (pass.group) at(['group'], 'GROUP_NOT_ALLOWED', 'one_to_one passes take no group options');
    return;
  }
  if (amounts.length !== 1) {
    at(
      ['comparisons'],
      'AMOUNT_REQUIRED',
      `a ${pass.kind} pass needs exactly one amount comparison (groups are matched by their sum)`,
    );
  }
  if (pass.kind === 'many_to_many') {
    if (!pass.group?.left_key)
      at(['group', 'left_key'], 'GROUP_KEY_REQUIRED', 'many_to_many needs group.left_key');
    if (!pass.group?.right_key)
      at(['group', 'right_key'], 'GROUP_KEY_REQUIRED', 'many_to_many needs group.right_key');
    pass.comparisons.forEach((c, i) => {
      if (c.type !== 'amount')
        at(
          ['comparisons', i, 'type'],
          'COMPARISON_NOT_SUPPORTED',
          'many_to_many compares group keys and sums only',
        );
    });
  }
  if (pass.kind === 'one_to_many' && pass.group?.left_key) {
    at(
      ['group', 'left_key'],
      'GROUP_KEY_WRONG_SIDE',
      'one_to_many groups the right side: use group.right_key',
    );
  }
  if (pass.kind === 'many_to_one' && pass.group?.right_key) {
    at(
      ['group', 'right_key'],
      'GROUP_KEY_WRONG_SIDE',
      'many_to_one groups the left side: use group.left_key',
    );
  }
}

/**
 * Validates a rule set (any JSON value) and returns the typed rule set with defaults filled in, or every
 * error with its path and pass name. Pure: safe to call in the browser.
 * @example
 * const result = validateRuleSet(JSON.parse(text));
 * if (!result.ok) for (const e of result.errors) console.log(e.pass, e.path, e.message);
 */
export function validateRuleSet(input: unknown): RuleSetValidation {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i: z.core.$ZodIssue) => toError(input, i.path, i.code, i.message)),
    };
  }
  const rules = parsed.data;
  const errors: RuleSetError[] = [];
  const top = (path: PropertyKey[], code: string, message: string) =>
    errors.push(toError(input, path, code, message));
  if (rules.auto_confirm_threshold < rules.confidence_threshold) {
    top(
      ['auto_confirm_threshold'],
      'THRESHOLD_ORDER',
      'auto_confirm_threshold must be at least confidence_threshold',
    );
  }
  const seen = new Set<string>();
  rules.passes.forEach((pass, index) => {
    if (seen.has(pass.name))
      top(['passes', index, 'name'], 'DUPLICATE_PASS_NAME', `pass name "${pass.name}" is used twice`);
    seen.add(pass.name);
    checkPass(pass, (path, code, message) => {
      top(['passes', index, ...path], code, message);
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

/** Like `validateRuleSet` but throws `RuleSetValidationError`; for callers that already validated. */
export function parseRuleSet(input: unknown): RuleSet {
  const result = validateRuleSet(input);
  if (!result.ok) throw new RuleSetValidationError(result.errors);
  return result.rules;
}
