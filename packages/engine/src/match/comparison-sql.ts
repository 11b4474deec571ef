import type { AmountComparison, Comparison, DateComparison, TextComparison } from '../rules/index';
import { captureGroupCount } from '../rules/index';
import { fieldSql, normaliseSql, notBlankSql, sqlNumber, sqlString } from './sql-text';

/**
 * One comparison compiled to SQL for a left alias and a right alias. `ok` is a never-NULL boolean,
 * `score` a DOUBLE in [0, 1] (0 when not ok), `left`/`right` the compared values as text (explanations),
 * `equi` the pair of expressions to hash-join on when the comparison is a required equality.
 */
export interface ComparisonSql {
  ok: string;
  score: string;
  left: string;
  right: string;
  equi: [string, string] | null;
  range: string | null;
  /** Score when the comparison is known to hold (required equalities satisfied by the join), else null. */
  constantScore: number | null;
  /**
   * Turns a required range into equality keys when nothing else can be hashed: the left record lists every
   * key a partner may have (each day of the window, each amount bucket it may fall in), the right record
   * has one. A hash join on these keys replaces a range join over the whole residual.
   */
  expand: { left: string; right: string } | null;
  /**
   * For costly comparisons (text similarity): the measured value, and `ok`/`score` rewritten over a column
   * holding it, so a query can compute the value once per pair and test and score it from that column.
   */
  measure?: { value: string; ok: (column: string) => string; score: (column: string) => string };
}

/** Amount expressions: the left amount and the right amount (sign already adjusted). */
export function amountSql(c: AmountComparison, leftAmount: string, rightAmount: string): ComparisonSql {
  const right = c.right_sign === 'opposite' ? `(-(${rightAmount}))` : `(${rightAmount})`;
  const diff = `abs((${leftAmount}) - ${right})`;
  const ppm = Math.round(c.tolerance_percent * 10_000);
  const minAbs = `least(abs(${leftAmount}), abs(${right}))`;
  const within =
    ppm > 0
      ? `(${diff} <= ${c.tolerance_minor} OR ${diff} * 1000000 <= ${ppm} * ${minAbs})`
      : `(${diff} <= ${c.tolerance_minor})`;
  const tolerance =
    ppm > 0 ? `greatest(${c.tolerance_minor}, ${ppm} * ${minAbs} / 1000000.0)` : `${c.tolerance_minor}`;
  const score = `CASE WHEN ${diff} = 0 THEN 1.0 WHEN ${within} THEN 1.0 - 0.25 * (${diff})::DOUBLE / (${tolerance})::DOUBLE ELSE 0.0 END`;
  const exact = c.tolerance_minor === 0 && ppm === 0;
  let expand: ComparisonSql['expand'] = null;
  if (c.required && ppm === 0 && c.tolerance_minor > 0) {
    // Buckets of width 2T+1: a partner within ±T lies in one of at most two buckets.
    const width = 2 * c.tolerance_minor + 1;
    const bucket = (x: string) => `floor((${x})::DOUBLE / ${width})::BIGINT`;
    expand = {
      left: `range(${bucket(`(${leftAmount}) - ${c.tolerance_minor}`)}, ${bucket(`(${leftAmount}) + ${c.tolerance_minor}`)} + 1)`,
      right: bucket(right),
    };
  } else if (c.required && ppm > 0 && c.tolerance_minor === 0 && ppm < 1_000_000) {
    // Logarithmic buckets of ratio 1+p: a partner within p of the smaller amount lies in the same or a
    // neighbouring bucket, with the same sign.
    const log = Math.log1p(ppm / 1_000_000);
    const bucket = (x: string) =>
      `CASE WHEN (${x}) = 0 THEN 0 ELSE sign(${x}) * (floor(ln(abs((${x})::DOUBLE)) / ${sqlNumber(log)})::BIGINT + 2) END`;
    expand = {
      left: `CASE WHEN (${leftAmount}) = 0 THEN [0::BIGINT] ELSE list_transform([-1, 0, 1], lambda d: ${bucket(leftAmount)} + sign(${leftAmount}) * d) END`,
      right: bucket(right),
    };
  }
  return {
    expand,
    ok: `coalesce(${within}, false)`,
    score,
    left: `(${leftAmount})::VARCHAR`,
    right: `${right}::VARCHAR`,
    equi: exact && c.required ? [`(${leftAmount})`, right] : null,
    constantScore: exact && c.required ? 1 : null,
    range:
      c.required && ppm === 0 && c.tolerance_minor > 0
        ? `${right} BETWEEN (${leftAmount}) - ${c.tolerance_minor} AND (${leftAmount}) + ${c.tolerance_minor}`
        : null,
  };
}

function dateSql(c: DateComparison, a: string, b: string): ComparisonSql {
  const left = fieldSql(a, c.field);
  const right = fieldSql(b, c.right_field ?? c.field);
  const lag = `date_diff('day', ${left}, ${right})`;
  const span = Math.max(Math.abs(c.min_days), Math.abs(c.max_days), 1);
  const ok = `coalesce(${lag} BETWEEN ${c.min_days} AND ${c.max_days}, false)`;
  const sameDay = c.required && c.min_days === 0 && c.max_days === 0;
  const expand =
    c.required && !sameDay && c.max_days - c.min_days <= 31
      ? {
          left: `list_transform(range(${c.min_days}, ${c.max_days + 1}), lambda d: ${left} + d::INTEGER)`,
          right,
        }
      : null;
  return {
    expand,
    ok,
    score: `CASE WHEN ${ok} THEN 1.0 - 0.25 * abs(${lag}) / ${span}.0 ELSE 0.0 END`,
    left: `${left}::VARCHAR`,
    right: `${right}::VARCHAR`,
    equi: c.required && c.min_days === 0 && c.max_days === 0 ? [left, right] : null,
    constantScore: c.required && c.min_days === 0 && c.max_days === 0 ? 1 : null,
    range: c.required ? `${right} BETWEEN ${left} + (${c.min_days}) AND ${left} + (${c.max_days})` : null,
  };
}

function tokensSql(text: string): string {
  return `list_distinct(list_filter(string_split_regex(${text}, '\\s+'), lambda t: t <> ''))`;
}

function trigramsSql(text: string): string {
  return `list_distinct(CASE WHEN length(${text}) < 3 THEN [${text}] ELSE list_transform(range(1, length(${text}) - 1), lambda i: substr(${text}, i, 3)) END)`;
}

/**
 * What a similarity algorithm compares, computed from one normalised text: the text itself, or its distinct
 * tokens or trigrams. Materialised once per record (`normalisedColumn`), the lists are not rebuilt for every
 * candidate pair (the trigram formula names each list twice, so per pair they were built four times).
 */
export function preparedTextSql(algorithm: TextComparison['algorithm'], text: string): string {
  switch (algorithm) {
    case 'jaro_winkler':
    case 'levenshtein':
      return text;
    case 'token_set':
      return tokensSql(text);
    case 'trigram':
      return trigramsSql(text);
  }
}

/** Similarity in [0, 1] of two prepared values (`preparedTextSql`); NULL when either is NULL. */
export function preparedSimilaritySql(algorithm: TextComparison['algorithm'], x: string, y: string): string {
  switch (algorithm) {
    case 'jaro_winkler':
      return `jaro_winkler_similarity(${x}, ${y})`;
    case 'levenshtein':
      return `(1.0 - levenshtein(${x}, ${y})::DOUBLE / greatest(length(${x}), length(${y}), 1))`;
    case 'token_set':
      return `(len(list_intersect(${x}, ${y}))::DOUBLE / greatest(least(len(${x}), len(${y})), 1))`;
    case 'trigram': {
      const shared = `len(list_intersect(${x}, ${y}))`;
      return `(${shared}::DOUBLE / greatest(len(${x}) + len(${y}) - ${shared}, 1))`;
    }
  }
}

/** Similarity in [0, 1] of two normalised texts (NULL when either is NULL). */
export function similaritySql(algorithm: TextComparison['algorithm'], x: string, y: string): string {
  return preparedSimilaritySql(algorithm, preparedTextSql(algorithm, x), preparedTextSql(algorithm, y));
}

function extractSql(text: string, pattern: string): string {
  const group = captureGroupCount(pattern) > 0 ? 1 : 0;
  return `regexp_extract(${text}, ${sqlString(pattern)}, ${group})`;
}

/**
 * The normalised text a `text` comparison compares, for the record aliased `alias` on `side`. Materialised
 * once per record (see `PassSqlOptions.normalised`) it spares the normalisation on every candidate pair.
 */
export function normalisedTextSql(c: TextComparison, alias: string, side: 'left' | 'right'): string {
  const field = side === 'left' ? c.field : (c.right_field ?? c.field);
  return `nullif(${normaliseSql(fieldSql(alias, field), c.normalisers)}, '')`;
}

/**
 * Compiles one comparison between the record aliased `a` (left) and `b` (right). `normalised` names columns
 * of `a` and `b` already holding a text comparison's prepared values or an exact comparison's normalised
 * values (`normalisedColumn`).
 */
export function comparisonSql(
  c: Comparison,
  a: string,
  b: string,
  normalised: string | null = null,
): ComparisonSql {
  switch (c.type) {
    case 'amount':
      return amountSql(c, `${a}.amount_minor`, `${b}.amount_minor`);
    case 'date':
      return dateSql(c, a, b);
    case 'exact': {
      const x =
        normalised === null ? normaliseSql(fieldSql(a, c.field), c.normalisers) : `${a}.${normalised}`;
      const y =
        normalised === null
          ? normaliseSql(fieldSql(b, c.right_field ?? c.field), c.normalisers)
          : `${b}.${normalised}`;
      const ok = `coalesce(${x} = ${y} AND ${notBlankSql(x)}, false)`;
      const equi: [string, string] | null = c.required ? [x, y] : null;
      return {
        ok,
        score: `CASE WHEN ${ok} THEN 1.0 ELSE 0.0 END`,
        left: x,
        right: y,
        equi,
        range: null,
        constantScore: equi ? 1 : null,
        expand: null,
      };
    }
    case 'regex': {
      const rawX = fieldSql(a, c.field);
      const rawY = fieldSql(b, c.right_field ?? c.field);
      const x = normaliseSql(c.apply_to === 'right' ? rawX : extractSql(rawX, c.pattern), c.normalisers);
      const y = normaliseSql(c.apply_to === 'left' ? rawY : extractSql(rawY, c.pattern), c.normalisers);
      const ok = `coalesce(${x} = ${y} AND ${notBlankSql(x)}, false)`;
      const equi: [string, string] | null = c.required ? [x, y] : null;
      return {
        ok,
        score: `CASE WHEN ${ok} THEN 1.0 ELSE 0.0 END`,
        left: x,
        right: y,
        equi,
        range: null,
        constantScore: equi ? 1 : null,
        expand: null,
      };
    }
    case 'contains': {
      const x = `nullif(${normaliseSql(fieldSql(a, c.field), c.normalisers)}, '')`;
      const y = `nullif(${normaliseSql(fieldSql(b, c.right_field ?? c.field), c.normalisers)}, '')`;
      const test =
        c.direction === 'left_in_right'
          ? `contains(${y}, ${x})`
          : c.direction === 'right_in_left'
            ? `contains(${x}, ${y})`
            : `(contains(${x}, ${y}) OR contains(${y}, ${x}))`;
      const ok = `coalesce(${test}, false)`;
      return {
        ok,
        score: `CASE WHEN ${ok} THEN 1.0 ELSE 0.0 END`,
        left: x,
        right: y,
        equi: null,
        range: null,
        constantScore: null,
        expand: null,
      };
    }
    case 'text': {
      // A materialised column holds the prepared value (text, tokens or trigrams: `normalisedColumn`).
      const x = normalised === null ? normalisedTextSql(c, a, 'left') : `${a}.${normalised}`;
      const y = normalised === null ? normalisedTextSql(c, b, 'right') : `${b}.${normalised}`;
      const similarity =
        normalised === null ? similaritySql(c.algorithm, x, y) : preparedSimilaritySql(c.algorithm, x, y);
      const okOf = (value: string) => `coalesce(${value} >= ${sqlNumber(c.threshold)}, false)`;
      const scoreOf = (value: string) => `coalesce(${value}, 0.0)`;
      return {
        measure: { value: similarity, ok: okOf, score: scoreOf },
        ok: okOf(similarity),
        score: scoreOf(similarity),
        left: x,
        right: y,
        equi: null,
        range: null,
        constantScore: null,
        expand: null,
      };
    }
  }
}
