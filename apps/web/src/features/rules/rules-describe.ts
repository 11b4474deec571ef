// Rule sets arrive as engine JSON (`Record<string, unknown>`); the web app does not depend on the engine,
// so this reads only what it needs and says "unknown" rather than guessing at anything it cannot read.

/** One pass of a rule set in words. */
export interface PassSummary {
  name: string;
  /** "One to one", "Many left to one right"... */
  kind: string;
  /** One sentence per comparison, in the order the engine scores them. */
  comparisons: string[];
  /** Grouping limits of many-to-one style passes, if any. */
  group?: string;
}

/** A rule set in words: thresholds and passes. */
export interface RuleSetSummary {
  confidence?: number;
  autoConfirm?: number;
  passes: PassSummary[];
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const FIELD_LABELS: Record<string, string> = {
  external_id: 'ID',
  reference: 'reference',
  counterparty: 'counterparty',
  description: 'description',
  account: 'account',
  currency: 'currency',
  booking_date: 'booking date',
  value_date: 'value date',
};

/** A field reference as people say it (`extra.invoice` → column "invoice"). */
export function fieldLabel(field: unknown): string {
  const name = str(field) ?? 'unknown field';
  if (name.startsWith('extra.')) return `column "${name.slice('extra.'.length)}"`;
  return FIELD_LABELS[name] ?? name;
}

function fields(comparison: Obj): string {
  const left = fieldLabel(comparison.field ?? (comparison.type === 'date' ? 'booking_date' : undefined));
  const right = comparison.right_field === undefined ? undefined : fieldLabel(comparison.right_field);
  return right === undefined || right === left ? left : `${left} (left) and ${right} (right)`;
}

const NORMALISER_LABELS: Record<string, string> = {
  trim: 'spaces',
  case: 'case',
  strip_non_alphanumeric: 'punctuation',
  remove_leading_zeros: 'leading zeros',
};

/** "a", "a and b", "a, b and c". */
function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

function normalisers(comparison: Obj): string {
  const list = Array.isArray(comparison.normalisers)
    ? comparison.normalisers.filter((n) => typeof n === 'string')
    : [];
  return list.length === 0 ? '' : `, ignoring ${joinWords(list.map((n) => NORMALISER_LABELS[n] ?? n))}`;
}

/** Minor units as a plain amount (2 decimals, the common case for tolerances). */
function minor(value: number): string {
  return (value / 100).toFixed(2);
}

function days(value: number): string {
  return `${Math.abs(value)} day${Math.abs(value) === 1 ? '' : 's'}`;
}

/** A date window in words: "same day", "within ±3 days", "right 0 to 2 days after left". */
export function dateWindow(min: number, max: number): string {
  if (min === 0 && max === 0) return 'on the same day';
  if (min === -max) return `within ±${days(max)}`;
  if (min >= 0) return `right ${min} to ${days(max)} after left`;
  if (max <= 0) return `right ${-max} to ${days(min)} before left`;
  return `from ${days(min)} before to ${days(max)} after`;
}

/** One comparison in a sentence. */
export function describeComparison(value: unknown): string {
  if (!isObj(value)) return 'Unreadable comparison';
  const optional = value.required === false ? ' (optional, only adds to the score)' : '';
  const weight = num(value.weight);
  const weighted = weight !== undefined && weight !== 1 ? ` · weight ${weight}` : '';
  const tail = `${optional}${weighted}`;
  switch (value.type) {
    case 'exact':
      return `Same ${fields(value)}${normalisers(value)}${tail}`;
    case 'amount': {
      const abs = num(value.tolerance_minor) ?? 0;
      const pct = num(value.tolerance_percent) ?? 0;
      const tolerances = [abs > 0 ? `±${minor(abs)}` : '', pct > 0 ? `±${pct}%` : ''].filter(Boolean);
      const base =
        tolerances.length === 0 ? 'Same amount to the cent' : `Amount within ${tolerances.join(' or ')}`;
      const sign = value.right_sign === 'opposite' ? ', opposite sign on the right' : '';
      return `${base}${sign}${tail}`;
    }
    case 'date':
      return `${fields(value)[0]?.toUpperCase() ?? ''}${fields(value).slice(1)} ${dateWindow(num(value.min_days) ?? 0, num(value.max_days) ?? 0)}${tail}`;
    case 'text': {
      const threshold = num(value.threshold) ?? 0.85;
      return `Similar ${fields(value)} (at least ${Math.round(threshold * 100)}% alike)${tail}`;
    }
    case 'contains':
      return `One ${fields(value)} contains the other${tail}`;
    case 'regex':
      return `Reference found in ${fields(value)} by pattern ${str(value.pattern) ?? '?'}${tail}`;
    default:
      return `Comparison of type ${str(value.type) ?? 'unknown'}`;
  }
}

const KIND_LABELS: Record<string, string> = {
  one_to_one: 'One to one',
  one_to_many: 'One left to many right',
  many_to_one: 'Many left to one right',
  many_to_many: 'Many to many',
};

function describeGroup(group: unknown): string | undefined {
  if (!isObj(group)) return undefined;
  const parts: string[] = [];
  const size = num(group.max_group_size);
  if (size !== undefined) parts.push(`up to ${size} records per group`);
  const span = num(group.date_span_days);
  if (span !== undefined) parts.push(`spanning at most ${days(span)}`);
  if (group.same_counterparty === true) parts.push('one counterparty per group');
  return parts.length === 0 ? undefined : parts.join(', ');
}

// The engine names suggested passes in lower case ("exact reference"); headings start with a capital.
function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The rule set as thresholds and readable passes; anything unreadable is named, never dropped. */
export function describeRuleSet(rules: unknown): RuleSetSummary {
  if (!isObj(rules) || !Array.isArray(rules.passes)) return { passes: [] };
  const passes = rules.passes.map((pass, index): PassSummary => {
    const p = isObj(pass) ? pass : {};
    const summary: PassSummary = {
      name: capitalise(str(p.name) ?? `Pass ${String(index + 1)}`),
      kind: KIND_LABELS[str(p.kind) ?? 'one_to_one'] ?? str(p.kind) ?? 'One to one',
      comparisons: Array.isArray(p.comparisons) ? p.comparisons.map(describeComparison) : [],
    };
    const group = describeGroup(p.group);
    if (group !== undefined) summary.group = group;
    return summary;
  });
  const result: RuleSetSummary = { passes };
  const confidence = num(rules.confidence_threshold);
  const autoConfirm = num(rules.auto_confirm_threshold);
  if (confidence !== undefined) result.confidence = confidence;
  if (autoConfirm !== undefined) result.autoConfirm = autoConfirm;
  return result;
}
