// What changed between two versions of a rule set, in words. Works on stored JSON (any version), so it
// reads values defensively like rules-describe does.
import { describeComparison, fieldLabel } from './rules-describe';

/** Changes of one part of the rule set: the rule set itself or one pass. */
export interface RuleSetChange {
  /** "Rule set" or `Pass "name"`. */
  scope: string;
  changes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function show(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

const THRESHOLDS: [string, string][] = [
  ['confidence_threshold', 'Confidence threshold'],
  ['auto_confirm_threshold', 'Auto-confirm threshold'],
  ['ambiguity_margin', 'Ambiguity margin'],
];

function keyChanges(before: Obj, after: Obj, skip: readonly string[] = []): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !skip.includes(k));
  return keys
    .filter((k) => !same(before[k], after[k]))
    .map((k) => `${k.replaceAll('_', ' ')}: ${show(before[k])} → ${show(after[k])}`);
}

function blockingText(blocking: unknown): string {
  const sets = list(blocking).map((set) =>
    list(set)
      .map((key) => fieldLabel(isObj(key) ? key.field : key))
      .join(' + '),
  );
  return sets.length === 0 ? 'none' : sets.join(' or ');
}

function comparisonChanges(before: unknown[], after: unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const a = before[i];
    const b = after[i];
    const n = `Comparison ${String(i + 1)}`;
    if (a === undefined) out.push(`${n} added: ${describeComparison(b)}`);
    else if (b === undefined) out.push(`${n} removed: ${describeComparison(a)}`);
    else if (!same(a, b)) {
      const was = describeComparison(a);
      const now = describeComparison(b);
      // The sentence leaves out some settings (method, normalisers...): then name the keys that changed.
      if (was !== now) out.push(`${n}: ${now} (was: ${was})`);
      else out.push(...keyChanges(isObj(a) ? a : {}, isObj(b) ? b : {}).map((c) => `${n}: ${c}`));
    }
  }
  return out;
}

function passChanges(before: Obj, after: Obj, from: number, to: number): string[] {
  const out: string[] = [];
  if (from !== to) out.push(`moved from position ${String(from + 1)} to ${String(to + 1)}`);
  if (!same(before.name, after.name)) out.push(`renamed from "${show(before.name)}"`);
  if (!same(before.blocking, after.blocking))
    out.push(`blocking: ${blockingText(before.blocking)} → ${blockingText(after.blocking)}`);
  out.push(...keyChanges(before, after, ['name', 'blocking', 'comparisons', 'group']));
  if (!same(before.group, after.group)) {
    out.push(
      ...keyChanges(isObj(before.group) ? before.group : {}, isObj(after.group) ? after.group : {}).map(
        (c) => `group ${c}`,
      ),
    );
  }
  out.push(...comparisonChanges(list(before.comparisons), list(after.comparisons)));
  return out;
}

const nameOf = (pass: unknown, index: number) =>
  isObj(pass) && typeof pass.name === 'string' ? pass.name : `pass ${String(index + 1)}`;

/**
 * The changes from `before` to `after`: thresholds, passes added, removed, moved, renamed (a pass that
 * keeps its comparisons but not its name) and changed, each comparison in words. Empty when nothing changed.
 */
export function diffRuleSets(before: unknown, after: unknown): RuleSetChange[] {
  const a = isObj(before) ? before : {};
  const b = isObj(after) ? after : {};
  const result: RuleSetChange[] = [];
  const top = THRESHOLDS.filter(([key]) => !same(a[key], b[key])).map(
    ([key, label]) => `${label}: ${show(a[key])} → ${show(b[key])}`,
  );
  if (top.length > 0) result.push({ scope: 'Rule set', changes: top });

  const oldPasses = list(a.passes);
  const newPasses = list(b.passes);
  const oldNames = oldPasses.map(nameOf);
  const newNames = newPasses.map(nameOf);
  const matched = new Set<number>();
  newPasses.forEach((pass, to) => {
    let from = oldNames.indexOf(newNames[to] ?? '');
    // A new name over the very same comparisons as a pass whose name is gone: the pass was renamed.
    if (from < 0) {
      const comparisons = isObj(pass) ? pass.comparisons : undefined;
      from = oldPasses.findIndex(
        (old, i) =>
          !newNames.includes(oldNames[i] ?? '') &&
          !matched.has(i) &&
          isObj(old) &&
          same(old.comparisons, comparisons),
      );
    }
    const name = newNames[to] ?? '';
    if (from < 0 || matched.has(from)) {
      result.push({
        scope: `Pass "${name}"`,
        changes: ['added', ...list(isObj(pass) ? pass.comparisons : []).map(describeComparison)],
      });
      return;
    }
    matched.add(from);
    const changes = passChanges(
      isObj(oldPasses[from]) ? (oldPasses[from] as Obj) : {},
      isObj(pass) ? pass : {},
      from,
      to,
    );
    if (changes.length > 0) result.push({ scope: `Pass "${name}"`, changes });
  });
  oldPasses.forEach((_, from) => {
    if (!matched.has(from)) result.push({ scope: `Pass "${oldNames[from] ?? ''}"`, changes: ['removed'] });
  });
  return result;
}
