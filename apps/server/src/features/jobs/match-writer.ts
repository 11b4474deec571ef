import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readMatches, type EngineSession, type RuleSet } from '@recon/engine';
import { streamCsvParts, type CsvParts } from '../../lib/csv-parts';
import type { ResultRun } from '../results/result-partitions';

const PAGE = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The job id and run number as DuckDB literals; DuckDB's COPY takes no parameters, so only a well-formed
 * UUID and a positive integer get in.
 */
function runLiterals(run: ResultRun): string {
  if (!UUID.test(run.jobId)) throw new Error('job id is not a UUID');
  if (!Number.isSafeInteger(run.runNo) || run.runNo < 1)
    throw new Error('run number is not a positive integer');
  return `${sqlString(run.jobId.toLowerCase())}, ${String(run.runNo)}`;
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

// A match without a runner-up, ambiguity or deciding search stores no explanation (NULL, migration 0112):
// the API shows it as that decision.
const CONTESTED = `(m.runner_up_score IS NOT NULL OR coalesce(m.ambiguous, false) OR m.decided_by IS NOT NULL)`;
// The explanation of any other match without a full one: its decision only (no per-comparison outcomes), the
// same object the reader's `explanation` starts from.
const DECISION_JSON = `json_object('comparisons', '[]'::JSON,
  'runnerUp', CASE WHEN m.runner_up_score IS NULL THEN NULL ELSE json_object('left', m.runner_up_left::DOUBLE,
    'right', m.runner_up_right::DOUBLE, 'score', m.runner_up_score) END,
  'margin', m.margin, 'ambiguous', coalesce(m.ambiguous, false), 'decidedBy', m.decided_by)::VARCHAR`;

const toCsv = (file: string) => `TO ${sqlString(file)} (FORMAT csv, HEADER false)`;

/**
 * The unmatched records of both sides and the discrepancies, to CSV files in `folder` with DuckDB's
 * `COPY ... TO`, ready for PostgreSQL's `COPY ... FROM STDIN`. Needs neither the explanations nor the
 * matches' member rows, so the job writes these first and copies them into PostgreSQL while DuckDB still
 * explains and exports the matches ({@link exportMatches}).
 */
export async function exportUnmatched(
  session: EngineSession,
  run: ResultRun,
  folder: string,
): Promise<Pick<ResultFiles, 'exceptions' | 'discrepancies'>> {
  const { connection } = session;
  const key = runLiterals(run);
  const files = {
    exceptions: path.join(folder, 'exceptions.csv'),
    discrepancies: path.join(folder, 'discrepancies.csv'),
  };
  // EXCEPTION_CSV_COLUMNS order. The record's amount and booking date go with each exception: they are the
  // keys its pages sort by (migration 0106).
  await connection.run(`COPY (
    SELECT ${key}, side, row_no, nearest_row, nearest_score, nearest_pass, coalesce(reason, 'no candidate'),
      amount_minor, booking_date FROM (
      SELECT 'left' AS side, u.*, r.amount_minor, r.booking_date
      FROM recon_unmatched_left u JOIN records_left r ON r.row_no = u.row_no
      UNION ALL SELECT 'right' AS side, u.*, r.amount_minor, r.booking_date
      FROM recon_unmatched_right u JOIN records_right r ON r.row_no = u.row_no)
    ORDER BY side, row_no) ${toCsv(files.exceptions)}`);
  // DISCREPANCY_CSV_COLUMNS order.
  await connection.run(`COPY (
    SELECT ${key}, match_id, coalesce(field, ''), coalesce(left_value, ''), coalesce(right_value, ''), delta, coalesce(unit, '')
    FROM recon_discrepancies ORDER BY match_id, field) ${toCsv(files.discrepancies)}`);
  return files;
}

/** Match ids `from` to `to`, both included (bigint: only integers reach the SQL text). */
interface MatchIdRange {
  readonly from: bigint;
  readonly to: bigint;
}

/**
 * From here on the session's queries run on the cores besides one, which PostgreSQL's COPY of the matches
 * keeps busy while DuckDB explains and exports them. Measured at 1M rows on 2 cores: DuckDB on 2 threads
 * took ~7 CPU s for the matches' export against ~5 on 1 thread, and its threads slowed the COPY beside it
 * (platform benchmark, write phase 22-28 s with 2 threads against 18 s with 1).
 */
export async function shareCoresWithCopy(
  session: EngineSession,
  cores = availableParallelism(),
): Promise<void> {
  await session.connection.run(`SET threads = ${String(Math.max(1, cores - 1))}`);
}

/** Matches per exported part: at 1M rows about ten parts, the first ready ~0.5 s after the member rows. */
export const MATCH_PART_SIZE = 100_000n;

/**
 * The matches' member rows as sorted lists, into session tables joined once per part: measured on the 100k
 * benchmark data, 0.14 s for the left side against 1.03 s with `string_agg(... ORDER BY row_no)`, which
 * sorts inside every group. The left records' currency and scale when they all share one (NULL otherwise):
 * amounts are summed per currency downstream. "All share one" is min = max over non-null values: at 1M on one
 * thread the left table took 0.75 s that way against 1.24 s with `count(DISTINCT ...) = 1`.
 */
async function buildMemberRows(session: EngineSession): Promise<void> {
  await session.connection.run(`
    CREATE OR REPLACE TEMP TABLE _w_left AS SELECT m.match_id, array_to_string(list_sort(list(m.row_no)), ',') AS rows_text,
      sum(r.amount_minor) AS amount,
      CASE WHEN min(r.currency) = max(r.currency) AND count(r.currency) = count(*) THEN min(r.currency) END AS currency,
      CASE WHEN min(r.scale) = max(r.scale) AND count(r.scale) = count(*) THEN min(r.scale) END AS scale
      FROM recon_match_left m JOIN records_left r ON r.row_no = m.row_no GROUP BY m.match_id;
    CREATE OR REPLACE TEMP TABLE _w_right AS SELECT m.match_id, array_to_string(list_sort(list(m.row_no)), ',') AS rows_text,
      sum(r.amount_minor) AS amount FROM recon_match_right m JOIN records_right r ON r.row_no = m.row_no GROUP BY m.match_id;`);
}

async function dropWorkTables(session: EngineSession): Promise<void> {
  await session.connection.run(
    'DROP TABLE IF EXISTS _w_left; DROP TABLE IF EXISTS _w_right; DROP TABLE IF EXISTS _w_explained',
  );
}

/** The matches with ids in `ids` (all when undefined), by match id, to `file` in MATCH_CSV_COLUMNS order. */
async function writeMatches(
  session: EngineSession,
  key: string,
  file: string,
  ids?: MatchIdRange,
): Promise<void> {
  const range =
    ids === undefined ? '' : `WHERE m.match_id BETWEEN ${ids.from.toString()} AND ${ids.to.toString()}`;
  await session.connection.run(`COPY (
    SELECT ${key}, m.match_id, m.pass_index, coalesce(m.pass_name, ''), coalesce(m.kind, ''), m.score,
           CASE WHEN m.tier = 'auto' THEN 'auto' ELSE 'suggested' END,
           CASE WHEN m.tier = 'auto' THEN 'confirmed' ELSE 'suggested' END,
           '{' || l.rows_text || '}', '{' || r.rows_text || '}', coalesce(l.amount, 0), coalesce(r.amount, 0),
           l.currency, l.scale, coalesce(e.explanation, CASE WHEN ${CONTESTED} THEN ${DECISION_JSON} END)
    FROM recon_matches AS m JOIN _w_left AS l ON l.match_id = m.match_id JOIN _w_right AS r ON r.match_id = m.match_id
      LEFT JOIN _w_explained AS e ON e.match_id = m.match_id
    ${range}
    ORDER BY m.match_id) ${toCsv(file)}`);
}

/**
 * The session's match ids cut into ranges of `partSize` matches each, in order. Ids are sparse (a pass's
 * base plus a row number, engine `result-tables.ts`), so the cuts come from the ids themselves. One empty
 * range when there are no matches, so the export still writes one (empty) part.
 */
async function matchIdRanges(session: EngineSession, partSize: bigint): Promise<MatchIdRange[]> {
  const reader = await session.connection.runAndReadAll(`
    SELECT match_id::BIGINT, max(match_id) OVER ()::BIGINT FROM recon_matches
    QUALIFY (row_number() OVER (ORDER BY match_id) - 1) % ${partSize.toString()} = 0 ORDER BY match_id`);
  const starts = reader.getRows().map(([from, last]) => {
    if (typeof from !== 'bigint' || typeof last !== 'bigint') throw new Error('match id is not a BIGINT');
    return { from, last };
  });
  if (starts.length === 0) return [{ from: 1n, to: 0n }];
  return starts.map(({ from, last }, k) => ({ from, to: (starts[k + 1]?.from ?? last + 1n) - 1n }));
}

/**
 * After {@link explainSuggested}, the matches with their member rows, amount sums and explanation to
 * `matches.csv` in `folder` (MATCH_CSV_COLUMNS order, by match id: the primary key's order), ready for
 * PostgreSQL's `COPY ... FROM STDIN`. Returns the file. The job streams them in parts instead
 * ({@link exportMatchParts}).
 */
export async function exportMatches(session: EngineSession, run: ResultRun, folder: string): Promise<string> {
  const key = runLiterals(run);
  const file = path.join(folder, 'matches.csv');
  try {
    await buildMemberRows(session);
    await writeMatches(session, key, file);
    return file;
  } finally {
    await dropWorkTables(session);
  }
}

/**
 * After {@link explainSuggested}, what {@link exportMatches} writes, in files of `partSize` match ids each
 * (`matches-0.csv`, ...) written one after the other and streamed in order as each is done: PostgreSQL's
 * COPY reads the first while DuckDB writes the next. Resolves once the member rows are gathered (before the
 * first part). `exported` settles when the session is idle again, its work tables dropped.
 */
export async function exportMatchParts(
  session: EngineSession,
  run: ResultRun,
  folder: string,
  partSize = MATCH_PART_SIZE,
): Promise<CsvParts> {
  const key = runLiterals(run);
  let parts: CsvParts;
  try {
    await buildMemberRows(session);
    if (partSize < 1n) throw new Error('part size is not positive');
    const files = (await matchIdRanges(session, partSize)).map((ids, index) => ({
      ids,
      file: path.join(folder, `matches-${String(index)}.csv`),
    }));
    parts = streamCsvParts(files, (part) => writeMatches(session, key, part.file, part.ids));
  } catch (error) {
    await dropWorkTables(session);
    throw error;
  }
  const exported = parts.exported.finally(() => dropWorkTables(session));
  // Awaited by the caller; settled before it closes the session.
  exported.catch(() => undefined);
  return { ...parts, exported };
}

/**
 * After {@link explainSuggested}, all of the session's results to CSV files in `folder`
 * ({@link exportUnmatched} and {@link exportMatches} one after the other).
 */
export async function exportResults(
  session: EngineSession,
  run: ResultRun,
  folder: string,
): Promise<ResultFiles> {
  const unmatched = await exportUnmatched(session, run, folder);
  return { ...unmatched, matches: await exportMatches(session, run, folder) };
}
