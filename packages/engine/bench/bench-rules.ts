import { readFileSync } from 'node:fs';
import { parseRuleSet, type Comparison, type Pass } from '../src/rules/index';

/**
 * The benchmark's rules are defined once, in `rules.bench.json` (the engine's rule format). This module
 * reads the tolerances back out of it for the generator (to place pairs inside or outside them), the SQL
 * baseline (its parameters) and the evaluation (which true pairs lie within the rules: recall denominator).
 *
 * Lag = ledger date − bank date in days (the engine's convention: right − left); the bank books later,
 * so the windows are negative.
 */
export const RULES_FILE = new URL('./rules.bench.json', import.meta.url);

const ruleSet = parseRuleSet(JSON.parse(readFileSync(RULES_FILE, 'utf8')) as unknown);

function passNamed(name: string): Pass {
  const pass = ruleSet.passes.find((p) => p.name === name);
  if (!pass) throw new Error(`rules.bench.json has no pass "${name}"`);
  return pass;
}

function comparison<T extends Comparison['type']>(pass: Pass, type: T): Extract<Comparison, { type: T }> {
  const found = pass.comparisons.find((c): c is Extract<Comparison, { type: T }> => c.type === type);
  if (!found) throw new Error(`pass "${pass.name}" has no ${type} comparison`);
  return found;
}

function windowed(name: string) {
  const pass = passNamed(name);
  const amount = comparison(pass, 'amount');
  const date = comparison(pass, 'date');
  const text = comparison(pass, 'text');
  return {
    amountAbsMinor: amount.tolerance_minor,
    /** Fraction (0.02 for 2 %) of the smaller absolute amount. */
    amountPct: amount.tolerance_percent / 100,
    lagMinDays: date.min_days,
    lagMaxDays: date.max_days,
    nameMin: text.threshold,
  };
}

/** Tolerances of the three passes, as numbers the generator and the SQL baseline use. */
export const BENCH_RULES = {
  tolerance: windowed('amount and date'),
  fuzzy: windowed('fuzzy counterparty'),
} as const;
