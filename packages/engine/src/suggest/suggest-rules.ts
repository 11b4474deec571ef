import type { EngineSession } from '../duck/session';
import { fieldSql, normaliseSql } from '../match/sql-text';
import { parseRuleSet, type RuleSet, type RuleSetInput, type TextFieldRef } from '../rules/index';
import { profileColumn, sharedFields, type FieldOverlapProfile } from './profile-columns';

/** A proposed rule set, the column profiles it was derived from, and one note per decision. */
export interface RuleSuggestion {
  rules: RuleSet;
  profiles: FieldOverlapProfile[];
  notes: string[];
}

type PassInput = RuleSetInput['passes'][number];
type ComparisonInput = PassInput['comparisons'][number];

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function rows(session: EngineSession, sql: string): Promise<unknown[][]> {
  return (await session.connection.runAndReadAll(sql)).getRowsJS();
}

/** A key: mostly unique on both sides and shared by many values. */
const isKey = (p: FieldOverlapProfile) =>
  p.uniqueness.left >= 0.9 &&
  p.uniqueness.right >= 0.9 &&
  p.overlap >= 0.3 &&
  p.filled.left >= 0.3 &&
  p.filled.right >= 0.3;

async function hasAmounts(session: EngineSession): Promise<boolean> {
  const [row] = await rows(
    session,
    'SELECT (SELECT count(*) FILTER (amount_minor <> 0) FROM records_left) > 0 AND (SELECT count(*) FILTER (amount_minor <> 0) FROM records_right) > 0',
  );
  return row?.[0] === true;
}

/** Amount differences and date lags on pairs joined by `key` (or by equal amount within 15 days). */
async function pairEvidence(session: EngineSession, key: TextFieldRef | null) {
  const on = key
    ? `${normaliseSql(fieldSql('a', key), ['trim', 'case'])} = ${normaliseSql(fieldSql('b', key), ['trim', 'case'])} AND ${normaliseSql(fieldSql('a', key), ['trim', 'case'])} <> ''`
    : 'a.amount_minor = b.amount_minor AND b.booking_date BETWEEN a.booking_date - 15 AND a.booking_date + 15';
  const [row] = await rows(
    session,
    `WITH p AS (SELECT abs(a.amount_minor - b.amount_minor)::DOUBLE AS diff, abs(a.amount_minor)::DOUBLE AS base,
        date_diff('day', a.booking_date, b.booking_date) AS lag
      FROM (SELECT * FROM records_left USING SAMPLE 20000 ROWS (reservoir, 7)) a JOIN records_right b ON ${on})
    SELECT count(*), avg((diff = 0)::INTEGER), quantile_cont(diff, 0.95), quantile_cont(diff / nullif(base, 0), 0.95),
      quantile_disc(lag, 0.02), quantile_disc(lag, 0.98), count(lag)
    FROM p`,
  );
  const num = (i: number) => (row?.[i] === null || row?.[i] === undefined ? null : Number(row[i]));
  return {
    pairs: num(0) ?? 0,
    exactShare: num(1) ?? 0,
    diff95: num(2) ?? 0,
    relative95: num(3) ?? 0,
    lagLow: num(4),
    lagHigh: num(5),
    dated: num(6) ?? 0,
  };
}

function linkagePass(profiles: FieldOverlapProfile[], notes: string[]): PassInput | null {
  const useful = profiles.filter((p) => p.overlap >= 0.2 && p.filled.left >= 0.5 && p.filled.right >= 0.5);
  if (useful.length === 0) return null;
  const blockers = useful
    .filter((p) => p.pairsPerRecord > 0 && p.pairsPerRecord <= 25 && p.overlap >= 0.3)
    .sort((x, y) => y.overlap - x.overlap || x.pairsPerRecord - y.pairsPerRecord)
    .slice(0, 4);
  if (blockers.length === 0) return null;
  const comparisons: ComparisonInput[] = useful.map((p) => {
    const uniqueness = Math.min(p.uniqueness.left, p.uniqueness.right);
    const weight = round(0.5 + 2 * uniqueness, 2);
    return p.numericShare >= 0.8
      ? { type: 'text', field: p.field, algorithm: 'levenshtein', threshold: 0.75, weight, required: false }
      : { type: 'text', field: p.field, algorithm: 'jaro_winkler', threshold: 0.85, weight, required: false };
  });
  notes.push(
    `linkage pass: blocks on ${blockers.map((b) => b.field).join(', ')} (each yields ≤ 25 candidates per record), ` +
      `scores ${comparisons.length} shared fields weighted by uniqueness`,
  );
  return {
    name: 'similar records',
    same_currency: false,
    blocking: blockers.map((b) => [b.field]),
    comparisons,
  };
}

/**
 * Proposes a rule set from the two canonical tables: key columns by uniqueness and overlap, amount exactness
 * or tolerance, the observed date-lag window, and text fields worth fuzzy matching. Works with zero
 * configuration; every decision is explained in `notes`.
 * @example
 * const { rules, notes } = await suggestRules(session);
 * await reconcile(session, rules);
 */
export async function suggestRules(session: EngineSession): Promise<RuleSuggestion> {
  const notes: string[] = [];
  const profiles: FieldOverlapProfile[] = [];
  for (const field of await sharedFields(session)) {
    const profile = await profileColumn(session, field);
    if (profile.filled.left > 0 && profile.filled.right > 0) profiles.push(profile);
  }
  const keys = profiles.filter(isKey).sort((x, y) => y.overlap - x.overlap);
  const passes: PassInput[] = [];
  if (!(await hasAmounts(session))) {
    notes.push('no amounts on one side: record linkage on the shared text fields');
    const pass = linkagePass(profiles, notes);
    if (pass) passes.push(pass);
  } else {
    const key = keys[0] ?? null;
    const evidence = await pairEvidence(session, key?.field ?? null);
    const amount: ComparisonInput =
      evidence.exactShare >= 0.98 || evidence.pairs === 0
        ? { type: 'amount' }
        : {
            type: 'amount',
            tolerance_minor: Math.ceil(evidence.diff95),
            tolerance_percent: round(Math.min(5, evidence.relative95 * 100), 2),
          };
    notes.push(
      `amounts: ${round(evidence.exactShare * 100, 1)} % of ${evidence.pairs} sampled pairs equal` +
        ('tolerance_minor' in amount && (amount.tolerance_minor ?? 0) > 0
          ? `; tolerance from the 95th percentile difference`
          : ''),
    );
    const low = Math.max(-30, Math.min(0, evidence.lagLow ?? 0));
    const high = Math.min(30, Math.max(0, evidence.lagHigh ?? 0));
    const date: ComparisonInput | null =
      evidence.dated > 0 ? { type: 'date', min_days: low, max_days: high } : null;
    if (date) notes.push(`date lag: 2nd–98th percentile of ${evidence.dated} pairs is ${low}…${high} days`);
    for (const k of keys.slice(0, 2)) {
      notes.push(
        `${k.field} is a key: ${round(k.overlap * 100, 1)} % of values shared, ${round(k.uniqueness.left * 100, 1)} % unique`,
      );
      passes.push({
        name: `exact ${k.field}`,
        comparisons: [
          { type: 'exact', field: k.field, normalisers: ['trim', 'case', 'strip_non_alphanumeric'] },
          amount,
        ],
      });
    }
    const fuzzy = profiles
      .filter(
        (p) =>
          (p.field === 'counterparty' || p.field === 'description') &&
          p.filled.left >= 0.5 &&
          p.filled.right >= 0.5,
      )
      .map((p): ComparisonInput => ({
        type: 'text',
        field: p.field,
        algorithm: 'jaro_winkler',
        threshold: 0.8,
        required: false,
      }));
    if (fuzzy.length > 0)
      notes.push(`fuzzy text: ${fuzzy.map((f) => ('field' in f ? f.field : '')).join(', ')}`);
    passes.push({ name: 'amount and date', comparisons: [amount, ...(date ? [date] : []), ...fuzzy] });
  }
  if (passes.length === 0) {
    notes.push('no usable shared field found: exact amount only');
    passes.push({ name: 'amount', comparisons: [{ type: 'amount' }] });
  }
  const rules = parseRuleSet({
    version: 1,
    name: 'suggested',
    confidence_threshold: 0.6,
    auto_confirm_threshold: 0.9,
    passes,
  });
  return { rules, profiles, notes };
}
