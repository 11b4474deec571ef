import type { DuckDBConnection } from '@duckdb/node-api';
import type { Pass } from '../rules/index';

/**
 * Result tables written by `reconcile`, readable with the typed readers or by SQL (page, COPY to files).
 * Row ids are the canonical `row_no` of each side.
 */
export const RESULT_TABLES = {
  /** One row per match: pass, kind, score, tier, runner-up and margin. */
  matches: 'recon_matches',
  /** Left records in a match: (match_id, row_no). */
  matchLeft: 'recon_match_left',
  /** Right records in a match: (match_id, row_no). */
  matchRight: 'recon_match_right',
  /** Left records in no match, with their nearest candidate and why it failed. */
  unmatchedLeft: 'recon_unmatched_left',
  /** Right records in no match, with their nearest candidate and why it failed. */
  unmatchedRight: 'recon_unmatched_right',
  /** Differences inside accepted matches: amount off by a fee, date off by settlement lag. */
  discrepancies: 'recon_discrepancies',
  /** Per match: tier, record counts, amount sums and earliest booking date per side. */
  matchTotals: 'recon_match_totals',
} as const;

/**
 * `recon_discrepancies` is a view over `recon_match_totals`: the amount difference (right − left, with the
 * pass's sign convention) and the booking-date difference in days (earliest date per side). Derived on
 * read, it holds no memory (a table of 690,000 rows at 1M × 1M took ~60 MB and 0.5 s to fill).
 */
const DISCREPANCIES_SQL = `
  SELECT match_id, 'amount' AS field, left_amount::VARCHAR AS left_value, (right_sign * right_amount)::VARCHAR AS right_value,
    (right_sign * right_amount - left_amount)::HUGEINT AS delta, 'minor' AS unit
  FROM recon_match_totals WHERE left_amount <> right_sign * right_amount
  UNION ALL
  SELECT match_id, 'booking_date', left_date::VARCHAR, right_date::VARCHAR, date_diff('day', left_date, right_date)::HUGEINT, 'days'
  FROM recon_match_totals WHERE left_date <> right_date`;

export async function createResultTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TABLE recon_matches (
      match_id BIGINT, pass_index INTEGER, pass_name VARCHAR, kind VARCHAR, score DOUBLE, tier VARCHAR,
      ambiguous BOOLEAN, runner_up_left BIGINT, runner_up_right BIGINT, runner_up_score DOUBLE, margin DOUBLE,
      decided_by VARCHAR, left_count INTEGER, right_count INTEGER);
    CREATE OR REPLACE TABLE recon_match_left (match_id BIGINT, row_no BIGINT);
    CREATE OR REPLACE TABLE recon_match_right (match_id BIGINT, row_no BIGINT);
    CREATE OR REPLACE TABLE recon_unmatched_left (row_no BIGINT, nearest_row BIGINT, nearest_score DOUBLE, nearest_pass VARCHAR, reason VARCHAR);
    CREATE OR REPLACE TABLE recon_unmatched_right (row_no BIGINT, nearest_row BIGINT, nearest_score DOUBLE, nearest_pass VARCHAR, reason VARCHAR);
    CREATE OR REPLACE TEMP TABLE _lost (side VARCHAR, row_no BIGINT, nearest BIGINT, score DOUBLE, pass_index INTEGER, pass_name VARCHAR);
    CREATE OR REPLACE TABLE recon_match_totals (match_id BIGINT, pass_index INTEGER, tier VARCHAR, left_count INTEGER,
      right_count INTEGER, left_amount HUGEINT, right_amount HUGEINT, right_sign INTEGER, left_date DATE, right_date DATE);
    CREATE OR REPLACE VIEW recon_discrepancies AS ${DISCREPANCIES_SQL};
  `);
}

/** The tables a pass reads its records from: the canonical tables, or the residual after earlier passes. */
export interface ResidualTables {
  left: string;
  right: string;
}

/**
 * Materialises the records no pass has matched yet as `_res_left` / `_res_right` (a plain table, so the
 * optimiser cannot postpone the anti-join past an expensive candidate join). Before any match exists the
 * canonical tables are used as they are, unless `materialise` asks for the `_res_*` tables regardless.
 * `source` replaces the canonical tables as the records to start from (a narrower residual holding `columns`).
 */
export async function residualTables(
  connection: DuckDBConnection,
  materialise = false,
  columns: readonly string[] | null = null,
  derived: ((alias: string, side: 'left' | 'right') => string[]) | null = null,
  source: ResidualTables | null = null,
): Promise<ResidualTables> {
  const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER FROM recon_matches');
  const extra = { left: derived?.('l', 'left') ?? [], right: derived?.('r', 'right') ?? [] };
  const hasExtra = extra.left.length + extra.right.length > 0;
  if (!materialise && !hasExtra && Number(reader.getRows()[0]?.[0] ?? 0) === 0)
    return { left: 'records_left', right: 'records_right' };
  // Only the columns the pass reads are copied: wide sources (descriptions, preserved extra columns) stay put.
  // Derived columns (`expression AS name`) are computed once per record here rather than per candidate pair.
  const list = (alias: 'l' | 'r') =>
    [
      columns ? columns.map((c) => `${alias}.${c}`).join(', ') : `${alias}.*`,
      ...extra[alias === 'l' ? 'left' : 'right'],
    ].join(', ');
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _res_left AS SELECT ${list('l')} FROM ${source?.left ?? 'records_left'} l ANTI JOIN recon_match_left m ON l.row_no = m.row_no;
    CREATE OR REPLACE TEMP TABLE _res_right AS SELECT ${list('r')} FROM ${source?.right ?? 'records_right'} r ANTI JOIN recon_match_right m ON r.row_no = m.row_no;`);
  return { left: '_res_left', right: '_res_right' };
}

/** The sign applied to right amounts when comparing them with left amounts in this pass. */
export function rightSign(pass: Pass): 1 | -1 {
  return pass.comparisons.some((c) => c.type === 'amount' && c.right_sign === 'opposite') ? -1 : 1;
}

/** How a pass's accepted matches are identified and tiered. */
export interface CommitContext {
  connection: DuckDBConnection;
  passIndex: number;
  passName: string;
  kind: string;
  autoThreshold: number;
  ambiguityMargin: number;
}

/**
 * Match ids are (pass number) × 10^12 + the smallest left row number of the match: deterministic, unique
 * (a left record is in at most one match) and free to compute (no sort over millions of matches).
 */
export const MATCH_ID_PASS_FACTOR = 1_000_000_000_000;
const idBase = (c: CommitContext) => (c.passIndex + 1) * MATCH_ID_PASS_FACTOR;

const tierSql = (c: CommitContext) =>
  `CASE WHEN score >= ${c.autoThreshold} AND NOT ambiguous THEN 'auto' ELSE 'suggested' END`;

/**
 * Commits one-to-one pairs staged in `_accept(l, r, score, runner_l, runner_r, runner_score)`.
 * Returns the number of matches.
 */
export async function commitPairs(c: CommitContext, pass: Pass): Promise<number> {
  const { connection } = c;
  const base = idBase(c);
  await connection.run(`
    INSERT INTO recon_match_totals
    SELECT ${base} + l, ${c.passIndex}, ${tierSql(c)}, 1, 1, la, ra, ${rightSign(pass)}, ld, rd
    FROM (SELECT *, coalesce(score - runner_score <= ${c.ambiguityMargin}, false) AS ambiguous FROM _accept);
    INSERT INTO recon_matches
    SELECT ${base} + l, ${c.passIndex}, '${c.passName.replaceAll("'", "''")}', '${c.kind}', score, ${tierSql(c)},
      ambiguous, runner_l, runner_r, runner_score, score - runner_score, NULL, 1, 1
    FROM (SELECT *, coalesce(score - runner_score <= ${c.ambiguityMargin}, false) AS ambiguous FROM _accept);
    INSERT INTO recon_match_left SELECT ${base} + l, l FROM _accept;
    INSERT INTO recon_match_right SELECT ${base} + l, r FROM _accept;
  `);
  const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER FROM _accept');
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** A grouped match found in TypeScript, before numbering. */
export interface StagedGroup {
  left: readonly number[];
  right: readonly number[];
  score: number;
  ambiguous: boolean;
  runnerUpLeft: number | null;
  runnerUpRight: number | null;
  runnerUpScore: number | null;
  decidedBy: string;
}

/** Commits grouped matches (id from the smallest left row, like pairs). Returns the count. */
export async function commitGroups(
  c: CommitContext,
  pass: Pass,
  groups: readonly StagedGroup[],
): Promise<number> {
  const ordered = [...groups].sort(
    (x, y) => Math.min(...x.left) - Math.min(...y.left) || Math.min(...x.right) - Math.min(...y.right),
  );
  const { connection } = c;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _gstage (local_id BIGINT, score DOUBLE, ambiguous BOOLEAN, runner_l BIGINT,
      runner_r BIGINT, runner_score DOUBLE, decided_by VARCHAR, left_count INTEGER, right_count INTEGER);
    CREATE OR REPLACE TEMP TABLE _gstage_rows (local_id BIGINT, side VARCHAR, row_no BIGINT);`);
  const head = await connection.createAppender('_gstage');
  const rows = await connection.createAppender('_gstage_rows');
  ordered.forEach((g, i) => {
    head.appendBigInt(BigInt(i));
    head.appendDouble(g.score);
    head.appendBoolean(g.ambiguous);
    if (g.runnerUpLeft === null) head.appendNull();
    else head.appendBigInt(BigInt(g.runnerUpLeft));
    if (g.runnerUpRight === null) head.appendNull();
    else head.appendBigInt(BigInt(g.runnerUpRight));
    if (g.runnerUpScore === null) head.appendNull();
    else head.appendDouble(g.runnerUpScore);
    head.appendVarchar(g.decidedBy);
    head.appendInteger(g.left.length);
    head.appendInteger(g.right.length);
    head.endRow();
    for (const [side, ids] of [
      ['left', g.left],
      ['right', g.right],
    ] as const) {
      for (const id of ids) {
        rows.appendBigInt(BigInt(i));
        rows.appendVarchar(side);
        rows.appendBigInt(BigInt(id));
        rows.endRow();
      }
    }
  });
  head.closeSync();
  rows.closeSync();
  const base = idBase(c);
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _gid AS SELECT local_id, ${base} + min(row_no) AS match_id FROM _gstage_rows WHERE side = 'left' GROUP BY local_id;
    INSERT INTO recon_matches SELECT g.match_id, ${c.passIndex}, '${c.passName.replaceAll("'", "''")}', '${c.kind}',
      score, ${tierSql(c)}, ambiguous, runner_l, runner_r, runner_score, score - runner_score, decided_by, left_count, right_count
    FROM _gstage JOIN _gid g USING (local_id);
    INSERT INTO recon_match_left SELECT g.match_id, row_no FROM _gstage_rows JOIN _gid g USING (local_id) WHERE side = 'left';
    INSERT INTO recon_match_right SELECT g.match_id, row_no FROM _gstage_rows JOIN _gid g USING (local_id) WHERE side = 'right';
    INSERT INTO recon_match_totals
    SELECT m.match_id, m.pass_index, m.tier, m.left_count, m.right_count, l.amt, r.amt, ${rightSign(pass)}, l.d, r.d
    FROM recon_matches m
    JOIN (SELECT g.match_id, sum(x.amount_minor) AS amt, min(x.booking_date) AS d FROM _gstage_rows s JOIN _gid g USING (local_id)
      JOIN records_left x ON x.row_no = s.row_no WHERE s.side = 'left' GROUP BY 1) l ON l.match_id = m.match_id
    JOIN (SELECT g.match_id, sum(x.amount_minor) AS amt, min(x.booking_date) AS d FROM _gstage_rows s JOIN _gid g USING (local_id)
      JOIN records_right x ON x.row_no = s.row_no WHERE s.side = 'right' GROUP BY 1) r ON r.match_id = m.match_id;
    DROP TABLE _gstage; DROP TABLE _gstage_rows; DROP TABLE _gid;`);
  return ordered.length;
}
