import {
  defaultComparison,
  defaultGroup,
  type BlockingKey,
  type Comparison,
  type ComparisonType,
  type DraftComparison,
  type DraftPass,
  type GroupOptions,
  type PassKind,
  type RuleDraft,
} from './rule-builder.model';

type Threshold = 'confidence_threshold' | 'auto_confirm_threshold' | 'ambiguity_margin';

/** Everything the builder can do to a draft. Indexes are positions in the current order. */
export type RuleBuilderAction =
  | { type: 'load'; draft: RuleDraft }
  | { type: 'setThreshold'; field: Threshold; value: number }
  | { type: 'addPass' }
  | { type: 'removePass'; pass: number }
  | { type: 'movePass'; pass: number; by: -1 | 1 }
  | { type: 'renamePass'; pass: number; name: string }
  | { type: 'setKind'; pass: number; kind: PassKind }
  | { type: 'setPassOptions'; pass: number; sameCurrency?: boolean; confidence?: number | undefined }
  | { type: 'setBlocking'; pass: number; blocking: BlockingKey[][] }
  | { type: 'addComparison'; pass: number; comparisonType: ComparisonType }
  | { type: 'removeComparison'; pass: number; comparison: number }
  | { type: 'changeComparisonType'; pass: number; comparison: number; comparisonType: ComparisonType }
  | { type: 'updateComparison'; pass: number; comparison: number; patch: Partial<Record<string, unknown>> }
  | { type: 'setGroup'; pass: number; patch: Partial<GroupOptions> };

function mapPass(draft: RuleDraft, index: number, change: (pass: DraftPass) => DraftPass): RuleDraft {
  return { ...draft, passes: draft.passes.map((p, i) => (i === index ? change(p) : p)) };
}

function mapComparison(
  draft: RuleDraft,
  pass: number,
  index: number,
  change: (c: DraftComparison) => DraftComparison,
): RuleDraft {
  return mapPass(draft, pass, (p) => ({
    ...p,
    comparisons: p.comparisons.map((c, i) => (i === index ? change(c) : c)),
  }));
}

function uniqueName(draft: RuleDraft): string {
  const names = new Set(draft.passes.map((p) => p.name));
  for (let n = draft.passes.length + 1; ; n++)
    if (!names.has(`pass ${String(n)}`)) return `pass ${String(n)}`;
}

const fieldOf = (c: Comparison): string | undefined => ('field' in c ? c.field : undefined);
const isTextType = (type: ComparisonType) => type !== 'amount' && type !== 'date';

/** Applies one builder action; pure, so every rule of the form is unit-tested without a browser. */
export function ruleBuilderReducer(draft: RuleDraft, action: RuleBuilderAction): RuleDraft {
  switch (action.type) {
    case 'load':
      return action.draft;
    case 'setThreshold':
      return { ...draft, [action.field]: action.value };
    case 'addPass': {
      const key = draft.nextKey;
      const pass: DraftPass = {
        key: `k${String(key)}`,
        name: uniqueName(draft),
        kind: 'one_to_one',
        blocking: [],
        same_currency: true,
        comparisons: [{ ...defaultComparison('amount'), key: `k${String(key + 1)}` }],
      };
      return { ...draft, passes: [...draft.passes, pass], nextKey: key + 2 };
    }
    case 'removePass':
      return { ...draft, passes: draft.passes.filter((_, i) => i !== action.pass) };
    case 'movePass': {
      const to = action.pass + action.by;
      const moving = draft.passes[action.pass];
      if (moving === undefined || to < 0 || to >= draft.passes.length) return draft;
      const passes = draft.passes.filter((_, i) => i !== action.pass);
      passes.splice(to, 0, moving);
      return { ...draft, passes };
    }
    case 'renamePass':
      return mapPass(draft, action.pass, (p) => ({ ...p, name: action.name }));
    case 'setKind':
      // Grouped kinds need group options (the subset-sum limits); one-to-one passes must not have them.
      return mapPass(draft, action.pass, (p) => {
        const next: DraftPass = { ...p, kind: action.kind };
        if (action.kind === 'one_to_one') delete next.group;
        else next.group = { ...(p.group ?? defaultGroup()) };
        if (action.kind === 'one_to_many') delete next.group?.left_key;
        if (action.kind === 'many_to_one') delete next.group?.right_key;
        return next;
      });
    case 'setPassOptions':
      return mapPass(draft, action.pass, (p) => {
        const next = { ...p };
        if (action.sameCurrency !== undefined) next.same_currency = action.sameCurrency;
        if ('confidence' in action) {
          if (action.confidence === undefined) delete next.confidence_threshold;
          else next.confidence_threshold = action.confidence;
        }
        return next;
      });
    case 'setBlocking':
      return mapPass(draft, action.pass, (p) => ({ ...p, blocking: action.blocking }));
    case 'addComparison': {
      const key = `k${String(draft.nextKey)}`;
      const added = { ...defaultComparison(action.comparisonType), key };
      return {
        ...mapPass(draft, action.pass, (p) => ({ ...p, comparisons: [...p.comparisons, added] })),
        nextKey: draft.nextKey + 1,
      };
    }
    case 'removeComparison':
      return mapPass(draft, action.pass, (p) => ({
        ...p,
        comparisons: p.comparisons.filter((_, i) => i !== action.comparison),
      }));
    case 'changeComparisonType':
      // Keep the field when both types read text, and the weight and required flag always.
      return mapComparison(draft, action.pass, action.comparison, (c) => {
        const keepField = isTextType(c.type) && isTextType(action.comparisonType) ? fieldOf(c) : undefined;
        const fresh = defaultComparison(action.comparisonType, keepField);
        return { ...fresh, weight: c.weight, required: c.required, key: c.key };
      });
    case 'updateComparison':
      return mapComparison(draft, action.pass, action.comparison, (c) => {
        const next = { ...c, ...action.patch } as Record<string, unknown>;
        // An empty right field means "the same field as the left".
        if (next.right_field === undefined || next.right_field === '') delete next.right_field;
        return next as DraftComparison;
      });
    case 'setGroup':
      return mapPass(draft, action.pass, (p) => {
        // Cleared optional settings are left out rather than stored as undefined or ''.
        const { left_key, right_key, date_span_days, ...rest } = {
          ...(p.group ?? defaultGroup()),
          ...action.patch,
        };
        const group: GroupOptions = rest;
        if (left_key) group.left_key = left_key;
        if (right_key) group.right_key = right_key;
        if (date_span_days !== undefined) group.date_span_days = date_span_days;
        return { ...p, group };
      });
  }
}
