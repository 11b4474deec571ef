import path from 'node:path';
import { readMatches, type EngineSession, type RuleSet } from '@recon/engine';

const PAGE = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The job id as a DuckDB literal; DuckDB's COPY takes no parameters, so only a well-formed UUID gets in. */
function jobLiteral(jobId: string): string {
  if (!UUID.test(jobId)) throw new Error('job id is not a UUID');
  return sqlString(jobId.toLowerCase());
}

/** Where {@link exportResults} wrote an attempt's results (CSV, columns as `results-writer.repository`). */
export interface ResultFiles {
  readonly matches: string;
  readonly exceptions: string;
  readonly discrepancies: string;
}

/**
 * Full explanations (every comparison's outcome) of the suggested matches, into the session table
 * `_w_explained (match_id, explanation)`, which {@link exportResults} reads. The engine's reader pages over `recon_matches`; the table is
 * swapped for the suggested subset while it reads, so auto-confirmed matches (about all of a clean run)
 * cost nothing. Measured: explaining every match took ~0.1 ms per match, 80% of the write phase on 100k.
 */
export async function explainSuggested(session: EngineSession, rules: RuleSet): Promise<void> {
  const { connection } = session;
  await connection.run('CREATE OR REPLACE TABLE _w_explained (match_id BIGINT, explanation VARCHAR)');
  await connection.run(`ALTER TABLE recon_matches RENAME TO _recon_matches_all;
    CREATE TABLE recon_matches AS SELECT * FROM _recon_matches_all WHERE tier = 'suggested' ORDER BY match_id`);
  try {
    for (let offset = 0; ; offset += PAGE) {
      const page = await readMatches(session, rules, { offset, limit: PAGE });
      const appender = await connection.createAppender('_w_explained');
      for (const match of page) {
        appender.appendBigInt(BigInt(match.id));
        appender.appendVarchar(json(match.explanation));
        appender.endRow();
      }
      appender.closeSync();
      if (page.length < PAGE) return;
    }
  } finally {
    await connection.run('DROP TABLE recon_matches; ALTER TABLE _recon_matches_all RENAME TO recon_matches');
  }
}

// The explanation of a match without a full one: its decision only (no per-comparison outcomes), the same
// object the reader's `explanation` starts from.
const DECISION_JSON = `json_object('comparisons', '[]'::JSON,
  'runnerUp', CASE WHEN m.runner_up_score IS NULL THEN NULL ELSE json_object('left', m.runner_up_left::DOUBLE,
    'right', m.runner_up_right::DOUBLE, 'score', m.runner_up_score) END,
  'margin', m.margin, 'ambiguous', coalesce(m.ambiguous, false), 'decidedBy', m.decided_by)::VARCHAR`;

/**
 * After {@link explainSuggested}, writes the session's results to CSV files in `folder` with DuckDB's `COPY ... TO` (matches with their
 * member rows, amount sums and explanation; unmatched records of both sides; discrepancies), ready for
 * PostgreSQL's `COPY ... FROM STDIN`. Runs before the writing transaction, so the transaction only streams
 * files. Measured on 100k rows per side (platform benchmark, load ~16-18 on 2 cores): write phase 24.6 s
 * against 30.0 s for rows read into JS in 10k pages and encoded for COPY text; most of what is left is
 * PostgreSQL's COPY itself (see docs/benchmarks.md).
 */
export async function exportResults(
  session: EngineSession,
  jobId: string,
  folder: string,
): Promise<ResultFiles> {
  const { connection } = session;
  const job = jobLiteral(jobId);
  const files: ResultFiles = {
    matches: path.join(folder, 'matches.csv'),
    exceptions: path.join(folder, 'exceptions.csv'),
    discrepancies: path.join(folder, 'discrepancies.csv'),
  };
  const to = (file: string) => `TO ${sqlString(file)} (FORMAT csv, HEADER false)`;
  try {
    // Member rows as sorted lists joined once: measured on the 100k benchmark data, 0.14 s for the left side
    // against 1.03 s with `string_agg(... ORDER BY row_no)`, which sorts inside every group.
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE _w_left AS SELECT m.match_id, array_to_string(list_sort(list(m.row_no)), ',') AS rows_text,
        sum(r.amount_minor) AS amount FROM recon_match_left m JOIN records_left r ON r.row_no = m.row_no GROUP BY m.match_id;
      CREATE OR REPLACE TEMP TABLE _w_right AS SELECT m.match_id, array_to_string(list_sort(list(m.row_no)), ',') AS rows_text,
        sum(r.amount_minor) AS amount FROM recon_match_right m JOIN records_right r ON r.row_no = m.row_no GROUP BY m.match_id;`);
    // Columns in the order of MATCH_CSV_COLUMNS (results-writer.repository.ts).
    await connection.run(`COPY (
      SELECT ${job}, m.match_id, m.pass_index, coalesce(m.pass_name, ''), coalesce(m.kind, ''), m.score,
             CASE WHEN m.tier = 'auto' THEN 'auto' ELSE 'suggested' END,
             CASE WHEN m.tier = 'auto' THEN 'confirmed' ELSE 'suggested' END,
             '{' || l.rows_text || '}', '{' || r.rows_text || '}', coalesce(l.amount, 0), coalesce(r.amount, 0),
             coalesce(e.explanation, ${DECISION_JSON})
      FROM recon_matches AS m JOIN _w_left AS l ON l.match_id = m.match_id JOIN _w_right AS r ON r.match_id = m.match_id
        LEFT JOIN _w_explained AS e ON e.match_id = m.match_id
      ORDER BY m.match_id) ${to(files.matches)}`);
    // EXCEPTION_CSV_COLUMNS order.
    await connection.run(`COPY (
      SELECT ${job}, side, row_no, nearest_row, nearest_score, nearest_pass, coalesce(reason, 'no candidate') FROM (
        SELECT 'left' AS side, * FROM recon_unmatched_left UNION ALL SELECT 'right' AS side, * FROM recon_unmatched_right)
      ORDER BY side, row_no) ${to(files.exceptions)}`);
    // DISCREPANCY_CSV_COLUMNS order.
    await connection.run(`COPY (
      SELECT ${job}, match_id, coalesce(field, ''), coalesce(left_value, ''), coalesce(right_value, ''), delta, coalesce(unit, '')
      FROM recon_discrepancies ORDER BY match_id, field) ${to(files.discrepancies)}`);
    return files;
  } finally {
    await connection.run(
      'DROP TABLE IF EXISTS _w_left; DROP TABLE IF EXISTS _w_right; DROP TABLE IF EXISTS _w_explained',
    );
  }
}
