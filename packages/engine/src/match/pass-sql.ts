import type { BlockingKey, Comparison, Pass } from '../rules/index';
import { comparisonSql, preparedTextSql, type ComparisonSql } from './comparison-sql';
import { fieldSql, normaliseSql, sqlNumber } from './sql-text';

/** The pieces every query of a pass is built from, for a left alias and a right alias. */
export interface PassSqlParts {
  comparisons: { rule: Comparison; sql: ComparisonSql }[];
  /** One list of join conditions per blocking set (at least one list, possibly empty). */
  joinSets: string[][];
  /**
   * Join conditions without tolerance ranges, for finding near misses of unmatched records; falls back to
   * `joinSets` where a set would have no equality but currency (a cross product).
   */
  looseJoinSets: string[][];
  /** Per loose set: whether it is the fallback to `joinSets` (and so needs the expanded keys). */
  looseExpanded: boolean[];
  /** Expanded range keys (see `ComparisonSql.expand`) the join sets rely on; empty when there are none. */
  expansions: { left: string; right: string }[];
  /** Conditions every candidate must meet: required comparisons. */
  required: string[];
  /** Weighted score in [0, 1], rounded to 6 decimals so ties are exact (valid on pairs the join produced). */
  score: string;
  /** `score` with each non-constant comparison's score term (by index in `comparisons`) given by `term`. */
  scoreOver: (term: (index: number) => string) => string;
  /** The same score computed from every comparison, valid on any pair (diagnostics of near misses). */
  fullScore: string;
  /** Label of each comparison for explanations ("amount", "date booking_date", "text counterparty"...). */
  labels: string[];
}

function keySql(key: BlockingKey, a: string, b: string): string {
  const isDate = key.field === 'booking_date' || key.field === 'value_date';
  const x = fieldSql(a, key.field);
  const y = fieldSql(b, key.right_field ?? key.field);
  if (isDate) return `${x} = ${y}`;
  const nx = normaliseSql(x, key.normalisers);
  return `${nx} = ${normaliseSql(y, key.normalisers)} AND ${nx} <> ''`;
}

/** Short human label of a comparison. */
export function comparisonLabel(c: Comparison): string {
  switch (c.type) {
    case 'amount':
      return 'amount';
    case 'date':
      return `date ${c.field}`;
    case 'contains':
    case 'exact':
    case 'regex':
    case 'text':
      return `${c.type} ${c.field}${c.right_field && c.right_field !== c.field ? `/${c.right_field}` : ''}`;
  }
}

/** A normalised value a residual table carries per record (see `normalisedColumns`). */
export interface NormalisedColumn {
  /** Column name, derived from what is normalised and how: equal specs share one column across passes. */
  name: string;
  /** The raw value read from the record aliased `alias` on `side` (a column or an `extra` field). */
  raw: (alias: string, side: 'left' | 'right') => string;
  /** Normalises a raw value expression (the comparison's normalisers; text comparisons blank to NULL). */
  normalise: (raw: string) => string;
}

/** Small deterministic hash (FNV-1a, 32 bits from `seed`) for column names. */
function fnv(text: string, seed = 0x811c9dc5): string {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The per-record value of a comparison that compares normalised text (text similarities: the prepared
 * tokens or trigrams where the algorithm uses them; normalised exact keys), or null for comparisons that
 * read their columns directly.
 */
export function normalisedColumn(c: Comparison): NormalisedColumn | null {
  if (c.type !== 'text' && !(c.type === 'exact' && c.normalisers.length > 0)) return null;
  const field = (side: 'left' | 'right') => (side === 'left' ? c.field : (c.right_field ?? c.field));
  // Text comparisons blank to NULL and hold what their algorithm compares (text, tokens or trigrams).
  const prepared = c.type === 'text' ? preparedTextSql(c.algorithm, 'x') : null;
  return {
    // 64 bits from two seeds: two different specs in one pass sharing a name is out of reach.
    name: ((key: string) => `_n${fnv(key)}${fnv(key, 0x01000193)}`)(
      JSON.stringify([prepared, c.field, c.right_field ?? c.field, c.normalisers]),
    ),
    raw: (alias, side) => fieldSql(alias, field(side)),
    normalise: (raw) =>
      c.type === 'text'
        ? preparedTextSql(c.algorithm, `nullif(${normaliseSql(raw, c.normalisers)}, '')`)
        : normaliseSql(raw, c.normalisers),
  };
}

/**
 * The normalised values a one-to-one pass compares, one per distinct column: a residual table carrying them
 * lets `pairCandidatesSql(…, normalised = true)` normalise each record once instead of once per candidate
 * pair (or twice per record in a join), and later passes reuse them.
 */
export function normalisedColumns(pass: Pass): NormalisedColumn[] {
  const byName = new Map<string, NormalisedColumn>();
  for (const c of pass.comparisons) {
    const column = normalisedColumn(c);
    if (column) byName.set(column.name, column);
  }
  return [...byName.values()];
}

/**
 * Compiles a pass. `include` filters which comparisons take part (grouped passes compare amounts on sums,
 * not per member). Join conditions: blocking keys, currency, and required equalities and ranges.
 */
export function passSqlParts(
  pass: Pass,
  a: string,
  b: string,
  include: (c: Comparison) => boolean = () => true,
  normalised = false,
): PassSqlParts {
  const rules = pass.comparisons.filter(include);
  const comparisons = rules.map((rule) => ({
    rule,
    sql: comparisonSql(rule, a, b, normalised ? (normalisedColumn(rule)?.name ?? null) : null),
  }));
  const currency = pass.same_currency ? [`${a}.currency IS NOT DISTINCT FROM ${b}.currency`] : [];
  const equi: string[] = [];
  const ranges: string[] = [];
  for (const { rule, sql } of comparisons) {
    if (sql.equi) {
      equi.push(`${sql.equi[0]} = ${sql.equi[1]}`);
      if (rule.type === 'exact' || rule.type === 'regex') equi.push(`${sql.equi[0]} <> ''`);
    } else if (sql.range) ranges.push(sql.range);
  }
  const blocks = pass.blocking.length > 0 ? pass.blocking : [[]];
  // Ranges join (IEJoin) only when nothing else does; next to an equality the required comparison filters
  // them (measured: 2× faster than range conditions inside a hash join).
  // Without any equality, required ranges become expanded equality keys; only if none can be expanded
  // does the join fall back to range conditions.
  const hasEquality = equi.length > 0 || blocks.some((keys) => keys.length > 0);
  const expansions = hasEquality ? [] : comparisons.flatMap(({ sql }) => (sql.expand ? [sql.expand] : []));
  const expandedKeys = expansions.map((_, i) => `${a}._k${i} = ${b}._k${i}`);
  const joinSets = blocks.map((keys) => {
    const equalities = [...keys.map((k) => keySql(k, a, b)), ...equi];
    if (equalities.length > 0) return [...equalities, ...currency];
    return expandedKeys.length > 0 ? [...expandedKeys, ...currency] : [...currency, ...ranges];
  });
  const textEqui = comparisons.flatMap(({ rule, sql }) =>
    sql.equi && (rule.type === 'exact' || rule.type === 'regex')
      ? [`${sql.equi[0]} = ${sql.equi[1]}`, `${sql.equi[0]} <> ''`]
      : [],
  );
  const looseExpanded = blocks.map(
    (keys) => keys.length === 0 && textEqui.length === 0 && expansions.length > 0,
  );
  const looseJoinSets = blocks.map((keys, i) => {
    const strict = [...keys.map((k) => keySql(k, a, b)), ...textEqui];
    return strict.length > 0 ? [...strict, ...currency] : (joinSets[i] ?? []);
  });
  // Equalities already enforced by the join are neither re-checked nor re-scored (they score 1).
  const required = comparisons
    .filter(({ rule, sql }) => rule.required && sql.constantScore === null)
    .map(({ sql }) => sql.ok);
  const totalWeight = rules.reduce((sum, c) => sum + c.weight, 0);
  const constant = comparisons.reduce(
    (sum, { rule, sql }) => sum + rule.weight * (sql.constantScore ?? 0),
    0,
  );
  const scoreOver = (term: (index: number) => string): string => {
    const weighted = [
      ...(constant > 0 ? [sqlNumber(constant)] : []),
      ...comparisons.flatMap(({ rule, sql }, i) =>
        sql.constantScore === null ? [`${rule.weight} * (${term(i)})`] : [],
      ),
    ];
    return totalWeight <= 0
      ? '1.0'
      : weighted.length === 1 && constant > 0
        ? sqlNumber(Math.round((constant / totalWeight) * 1e6) / 1e6)
        : `round((${weighted.join(' + ')}) / ${totalWeight}, 6)`;
  };
  const score = scoreOver((i) => comparisons[i]?.sql.score ?? '0.0');
  const all = comparisons.map(({ rule, sql }) => `${rule.weight} * (${sql.score})`).join(' + ');
  const fullScore = totalWeight > 0 ? `round((${all}) / ${totalWeight}, 6)` : '1.0';
  return {
    comparisons,
    joinSets,
    looseJoinSets,
    looseExpanded,
    expansions,
    required,
    score,
    scoreOver,
    fullScore,
    labels: rules.map(comparisonLabel),
  };
}

/**
 * Candidate pairs `(l, r, score)` of a one-to-one pass over the residual views, at or above `threshold`.
 * Several blocking sets are a union; a pair found by two sets appears once.
 */
/**
 * `FROM … a JOIN … b` for a join set: plain tables, or with the expanded keys added (`_k0`, `_k1`…: the
 * left side unnested once per key, the right side computed) when the set relies on them.
 */
export function fromSql(
  parts: PassSqlParts,
  leftTable: string,
  rightTable: string,
  expanded = parts.expansions.length > 0,
): string {
  if (!expanded) return `${leftTable} a JOIN ${rightTable} b`;
  let left = `${leftTable} a`;
  parts.expansions.forEach((e, i) => {
    left = `(SELECT a.*, unnest(${e.left}) AS _k${i} FROM ${left}) a`;
  });
  const right = `(SELECT b.*, ${parts.expansions.map((e, i) => `${e.right} AS _k${i}`).join(', ')} FROM ${rightTable} b) b`;
  return `${left} JOIN ${right}`;
}

export function pairCandidatesSql(
  pass: Pass,
  threshold: number,
  leftTable = '_res_left',
  rightTable = '_res_right',
  normalised = false,
): string {
  const parts = passSqlParts(pass, 'a', 'b', () => true, normalised);
  // Amounts and dates ride along so the match totals need no second join over millions of matches.
  const carried = 'a.amount_minor AS la, b.amount_minor AS ra, a.booking_date AS ld, b.booking_date AS rd';
  const scored = parts.comparisons.flatMap((c, i) => (c.sql.constantScore === null ? [{ ...c, i }] : []));
  const measured = scored.filter(({ sql }) => sql.measure !== undefined);
  const join = (on: string[]) =>
    `${fromSql(parts, leftTable, rightTable)} ON ${on.length > 0 ? on.join(' AND ') : 'true'}`;
  let selects: string[];
  if (measured.length === 0) {
    const where = parts.required.length > 0 ? `WHERE ${parts.required.join(' AND ')}` : '';
    selects = parts.joinSets.map(
      (on) =>
        `SELECT a.row_no AS l, b.row_no AS r, ${parts.score} AS score, ${carried} FROM ${join(on)} ${where}`,
    );
  } else {
    // Costly measures (text similarity) are computed once per pair that passed the cheap required tests, then
    // tested and scored from their column. The single-element unnest keeps the optimiser from inlining the
    // measure back into the filters above it (it did: the similarity ran up to three times per pair).
    const column = (i: number) => `_c${i}`;
    const cheap = scored.filter(({ rule, sql }) => rule.required && sql.measure === undefined);
    const where = cheap.length > 0 ? `WHERE ${cheap.map(({ sql }) => sql.ok).join(' AND ')}` : '';
    const values = scored.map(({ sql, i }) =>
      sql.measure ? `unnest([${sql.measure.value}]) AS ${column(i)}` : `(${sql.score}) AS ${column(i)}`,
    );
    const tests = measured.flatMap(({ rule, sql, i }) =>
      rule.required && sql.measure ? [sql.measure.ok(column(i))] : [],
    );
    const score = parts.scoreOver((i) => {
      const measure = parts.comparisons[i]?.sql.measure;
      return measure ? measure.score(column(i)) : column(i);
    });
    selects = parts.joinSets.map(
      (on) =>
        `SELECT l, r, ${score} AS score, la, ra, ld, rd FROM (
           SELECT a.row_no AS l, b.row_no AS r, ${carried}, ${values.join(', ')} FROM ${join(on)} ${where})
         ${tests.length > 0 ? `WHERE ${tests.join(' AND ')}` : ''}`,
    );
  }
  const union =
    selects.length === 1
      ? selects[0]
      : `SELECT l, r, max(score) AS score, any_value(la) AS la, any_value(ra) AS ra, any_value(ld) AS ld, any_value(rd) AS rd
         FROM (${selects.join(' UNION ALL ')}) GROUP BY l, r`;
  return `SELECT * FROM (${union}) WHERE score >= ${threshold}`;
}
