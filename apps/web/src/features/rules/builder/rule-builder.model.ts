// The rule builder edits the engine's own rule model (`@recon/engine/rules`: zod, no DuckDB), so the form
// validates with exactly the schema and messages the server uses, and defaults come from one place.
import {
  comparisonSchema,
  groupSchema,
  regexComparisonSchema,
  ruleSetSchema,
  validateRuleSet,
  type BlockingKey,
  type Comparison,
  type ComparisonType,
  type GroupOptions,
  type Pass,
  type PassKind,
  type RuleSet,
  type RuleSetError,
} from '@recon/engine/rules';

/** A comparison being edited; `key` keeps React rows stable while comparisons move. */
export type DraftComparison = Comparison & { key: string };

/** A pass being edited: the engine pass plus stable keys. */
export type DraftPass = Omit<Pass, 'comparisons'> & { key: string; comparisons: DraftComparison[] };

/** The whole form: thresholds and ordered passes. Numbers left empty are NaN until the person fixes them. */
export interface RuleDraft {
  name: string | undefined;
  confidence_threshold: number;
  auto_confirm_threshold: number;
  ambiguity_margin: number;
  passes: DraftPass[];
  /** Next key to hand out (kept in the state so the reducer stays pure). */
  nextKey: number;
}

export type { BlockingKey, Comparison, ComparisonType, GroupOptions, PassKind, RuleSet, RuleSetError };

export const COMPARISON_TYPES: readonly ComparisonType[] = [
  'exact',
  'amount',
  'date',
  'text',
  'contains',
  'regex',
];
export const PASS_KINDS: readonly PassKind[] = ['one_to_one', 'one_to_many', 'many_to_one', 'many_to_many'];

/** A comparison of the given type with the engine's defaults (the regex pattern is left for the person). */
export function defaultComparison(type: ComparisonType, field?: string): Comparison {
  switch (type) {
    case 'exact':
      return comparisonSchema.parse({ type, field: field ?? 'reference' });
    case 'amount':
      return comparisonSchema.parse({ type });
    case 'date':
      return comparisonSchema.parse({ type });
    case 'text':
      return comparisonSchema.parse({ type, field: field ?? 'counterparty' });
    case 'contains':
      return comparisonSchema.parse({ type, field: field ?? 'description' });
    case 'regex':
      // A pattern is required; an empty one shows "enter a pattern" next to the input.
      return {
        ...regexComparisonSchema.parse({ type, field: field ?? 'description', pattern: '.' }),
        pattern: '',
      };
  }
}

/** Group options with the engine's defaults. */
export function defaultGroup(): GroupOptions {
  return groupSchema.parse({});
}

function withKeys(rules: RuleSet): RuleDraft {
  let next = 0;
  const key = () => `k${String(next++)}`;
  const passes = rules.passes.map((pass) => ({
    ...pass,
    key: key(),
    comparisons: pass.comparisons.map((c) => ({ ...c, key: key() })),
  }));
  return {
    name: rules.name,
    confidence_threshold: rules.confidence_threshold,
    auto_confirm_threshold: rules.auto_confirm_threshold,
    ambiguity_margin: rules.ambiguity_margin,
    passes,
    nextKey: next,
  };
}

/** A new rule set: one exact-reference pass with a same-amount check. */
export function emptyDraft(): RuleDraft {
  return withKeys(
    ruleSetSchema.parse({
      version: 1,
      passes: [
        { name: 'exact reference', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
      ],
    }),
  );
}

/**
 * Loads stored rules into the form. Only the schema's shape is required here (the builder shows rule
 * errors such as a wrong group key next to the field); rules that do not even parse stay in JSON mode.
 */
export function draftFromRules(
  rules: unknown,
): { ok: true; draft: RuleDraft } | { ok: false; errors: RuleSetError[] } {
  const parsed = ruleSetSchema.safeParse(rules);
  if (parsed.success) return { ok: true, draft: withKeys(parsed.data) };
  const result = validateRuleSet(rules);
  return { ok: false, errors: result.ok ? [] : result.errors };
}

function stripComparison({ key: _key, ...comparison }: DraftComparison): Comparison {
  return comparison;
}

function stripPass({ key: _key, comparisons, ...pass }: DraftPass): Pass {
  const out: Pass = { ...pass, comparisons: comparisons.map(stripComparison) };
  if (out.group === undefined) delete out.group;
  if (out.confidence_threshold === undefined) delete out.confidence_threshold;
  return out;
}

/** The engine JSON the form stands for (snake_case, every default written out). */
export function rulesFromDraft(draft: RuleDraft): RuleSet {
  const rules: RuleSet = {
    version: 1,
    confidence_threshold: draft.confidence_threshold,
    auto_confirm_threshold: draft.auto_confirm_threshold,
    ambiguity_margin: draft.ambiguity_margin,
    passes: draft.passes.map(stripPass),
  };
  if (draft.name !== undefined && draft.name !== '') rules.name = draft.name;
  return rules;
}

/** Problems by JSON path (`passes.0.comparisons.1.max_days`), several per path joined. */
export type ErrorMap = ReadonlyMap<string, string>;

function humanise(message: string): string {
  if (/received NaN|expected number/i.test(message)) return 'Enter a number';
  if (/Too small: expected string to have >=1/i.test(message)) return 'Required';
  return message;
}

/** Every problem of the form, by path, exactly as the server would report them. */
export function validateDraft(draft: RuleDraft): ErrorMap {
  const result = validateRuleSet(rulesFromDraft(draft));
  const map = new Map<string, string>();
  if (result.ok) return map;
  for (const error of result.errors) {
    const before = map.get(error.path);
    const message = humanise(error.message);
    map.set(error.path, before === undefined ? message : `${before}; ${message}`);
  }
  return map;
}

/** Server field errors (`rules.passes.1.name`) as form paths (`passes.1.name`), keeping only rule fields. */
export function serverErrorMap(fieldErrors: readonly { path: string; message: string }[]): ErrorMap {
  const map = new Map<string, string>();
  for (const error of fieldErrors) {
    if (!error.path.startsWith('rules')) continue;
    // The server prefixes `pass "<name>": `; next to the field the pass is already in view.
    map.set(error.path.replace(/^rules\.?/, ''), error.message.replace(/^pass "[^"]*": /, ''));
  }
  return map;
}

/** Errors at or under `prefix` (for a collapsed pass header or a whole comparison). */
export function errorsUnder(errors: ErrorMap, prefix: string): string[] {
  return [...errors].filter(([path]) => path === prefix || path.startsWith(`${prefix}.`)).map(([, m]) => m);
}
