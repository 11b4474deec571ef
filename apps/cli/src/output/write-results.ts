import { join } from 'node:path';
import type { EngineSession } from '@recon/engine';

/** File formats `recon match --format` writes. */
export const OUTPUT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const COPY_OPTIONS: Record<OutputFormat, string> = {
  csv: '(FORMAT csv, HEADER true)',
  json: '(FORMAT json, ARRAY true)',
  parquet: '(FORMAT parquet)',
};

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

// Exact decimal text from minor units: no float ever touches an amount on its way to a file.
const FORMAT_MACRO = `CREATE OR REPLACE TEMP MACRO recon_fmt(a, s) AS CASE WHEN a IS NULL THEN NULL WHEN s = 0 THEN a::VARCHAR
  ELSE (CASE WHEN a < 0 THEN '-' ELSE '' END) || (abs(a) // CAST(pow(10, s) AS HUGEINT))::VARCHAR || '.'
    || lpad((abs(a) % CAST(pow(10, s) AS HUGEINT))::VARCHAR, s, '0') END`;

const memberSql = (side: 'left' | 'right') => `
  SELECT m.match_id,
         string_agg(coalesce(r.external_id, '#' || r.row_no), ';' ORDER BY r.row_no) AS ids,
         string_agg(r.row_no::VARCHAR, ';' ORDER BY r.row_no) AS rows,
         recon_fmt(sum(r.amount_minor), max(r.scale)) AS amount,
         string_agg(DISTINCT r.currency, ';') AS currency
  FROM recon_match_${side} m JOIN records_${side} r USING (row_no) GROUP BY m.match_id`;

const MATCHES_SQL = `
  WITH l AS (${memberSql('left')}), r AS (${memberSql('right')})
  SELECT m.match_id, m.pass_name AS pass, m.kind, round(m.score, 6) AS score, m.tier, m.ambiguous,
         round(m.margin, 6) AS margin, m.decided_by,
         l.ids AS left_ids, r.ids AS right_ids, l.rows AS left_rows, r.rows AS right_rows,
         l.amount AS left_amount, r.amount AS right_amount, coalesce(l.currency, r.currency) AS currency
  FROM recon_matches m JOIN l USING (match_id) JOIN r USING (match_id)
  ORDER BY m.match_id`;

const unmatchedSql = (side: 'left' | 'right') => `
  SELECT r.row_no, r.external_id, r.booking_date, recon_fmt(r.amount_minor, r.scale) AS amount, r.currency,
         r.reference, r.counterparty, r.description, u.nearest_row, round(u.nearest_score, 6) AS nearest_score,
         u.nearest_pass, u.reason
  FROM recon_unmatched_${side} u JOIN records_${side} r USING (row_no)
  ORDER BY r.row_no`;

// The engine keeps amount discrepancies in minor units; files show them as decimals of the match's scale.
const minorText = (column: string) =>
  `CASE WHEN d.unit = 'minor' AND regexp_full_match(${column}, '-?[0-9]+') THEN recon_fmt(${column}::HUGEINT, s.scale) ELSE ${column} END`;

const DISCREPANCIES_SQL = `
  WITH s AS (SELECT match_id, max(r.scale) AS scale FROM recon_match_left JOIN records_left r USING (row_no) GROUP BY match_id)
  SELECT d.match_id, d.field, ${minorText('d.left_value')} AS left_value, ${minorText('d.right_value')} AS right_value,
         CASE WHEN d.unit = 'minor' THEN recon_fmt(d.delta, s.scale) ELSE d.delta::VARCHAR END AS delta,
         CASE WHEN d.unit = 'minor' THEN 'amount' ELSE d.unit END AS unit
  FROM recon_discrepancies d LEFT JOIN s USING (match_id)
  ORDER BY d.match_id, d.field`;

/** The result files one run writes, by name without extension. */
export const RESULT_FILES = ['matches', 'unmatched-left', 'unmatched-right', 'discrepancies'] as const;

/**
 * Writes the reconcile result tables of a session into `outDir` with DuckDB COPY (streamed, no rows pass
 * through JavaScript). Amounts are exact decimal text. Returns the paths written.
 */
export async function writeResults(
  session: EngineSession,
  outDir: string,
  format: OutputFormat,
): Promise<string[]> {
  const { connection } = session;
  await connection.run(FORMAT_MACRO);
  const queries: Record<(typeof RESULT_FILES)[number], string> = {
    matches: MATCHES_SQL,
    'unmatched-left': unmatchedSql('left'),
    'unmatched-right': unmatchedSql('right'),
    discrepancies: DISCREPANCIES_SQL,
  };
  const written: string[] = [];
  for (const name of RESULT_FILES) {
    const path = join(outDir, `${name}.${format}`);
    await connection.run(`COPY (${queries[name]}) TO ${sqlString(path)} ${COPY_OPTIONS[format]}`);
    written.push(path);
  }
  return written;
}

/** Writes every row error of a side (row, column, raw value, code, message) as CSV. */
export async function writeRowErrors(
  session: EngineSession,
  side: 'left' | 'right',
  path: string,
): Promise<void> {
  await session.connection.run(
    `COPY (SELECT * FROM errors_${side} ORDER BY ALL) TO ${sqlString(path)} (FORMAT csv, HEADER true)`,
  );
}
