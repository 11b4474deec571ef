import { readMatches, type EngineSession, type MatchExplanation, type RuleSet } from '@recon/engine';
import type { CopyTransaction } from '../../db/copy';
import { textOf, textOrNull } from '../data-sources/cell-values';
import * as writer from '../results/results-writer.repository';

const PAGE = 10_000;

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

async function rowsOf(session: EngineSession, text: string): Promise<unknown[][]> {
  return (await session.connection.runAndReadAll(text)).getRowsJS();
}

/**
 * Full explanations (every comparison's outcome) for the suggested matches with ids in [first, last].
 * The engine's reader pages over `recon_matches`; the table is swapped for that subset while it reads, so
 * auto-confirmed matches (about all of a clean run) cost nothing. Measured: explaining every match took
 * ~0.1 ms per match, 80% of the write phase on 100k matches.
 */
async function explainSuggested(
  session: EngineSession,
  rules: RuleSet,
  first: string,
  last: string,
): Promise<Map<number, MatchExplanation>> {
  const { connection } = session;
  await connection.run(`ALTER TABLE recon_matches RENAME TO _recon_matches_all;
    CREATE TABLE recon_matches AS SELECT * FROM _recon_matches_all WHERE tier = 'suggested' AND match_id BETWEEN ${first} AND ${last}`);
  try {
    const explained = new Map<number, MatchExplanation>();
    for (let offset = 0; ; offset += PAGE) {
      const page = await readMatches(session, rules, { offset, limit: PAGE });
      for (const match of page) explained.set(match.id, match.explanation);
      if (page.length < PAGE) return explained;
    }
  } finally {
    await connection.run('DROP TABLE recon_matches; ALTER TABLE _recon_matches_all RENAME TO recon_matches');
  }
}

/** Copies the session's matches (with member rows, amount sums and explanations) into PostgreSQL. */
export async function writeMatches(
  tx: CopyTransaction,
  session: EngineSession,
  jobId: string,
  rules: RuleSet,
): Promise<void> {
  await session.connection.run(`
    CREATE OR REPLACE TEMP TABLE _w_left AS SELECT m.match_id, string_agg(m.row_no::VARCHAR, ',' ORDER BY m.row_no) AS rows_text,
      sum(r.amount_minor) AS amount FROM recon_match_left m JOIN records_left r ON r.row_no = m.row_no GROUP BY m.match_id;
    CREATE OR REPLACE TEMP TABLE _w_right AS SELECT m.match_id, string_agg(m.row_no::VARCHAR, ',' ORDER BY m.row_no) AS rows_text,
      sum(r.amount_minor) AS amount FROM recon_match_right m JOIN records_right r ON r.row_no = m.row_no GROUP BY m.match_id;`);
  try {
    let after = '-1';
    for (;;) {
      const rows = await rowsOf(
        session,
        `SELECT m.match_id::VARCHAR, m.pass_index, m.pass_name, m.kind, m.score, m.tier, m.ambiguous, m.runner_up_left::DOUBLE,
                m.runner_up_right::DOUBLE, m.runner_up_score, m.margin, m.decided_by, l.rows_text, r.rows_text,
                coalesce(l.amount, 0)::VARCHAR, coalesce(r.amount, 0)::VARCHAR
         FROM recon_matches AS m JOIN _w_left AS l ON l.match_id = m.match_id JOIN _w_right AS r ON r.match_id = m.match_id
         WHERE m.match_id > ${after} ORDER BY m.match_id LIMIT ${PAGE}`,
      );
      if (rows.length === 0) return;
      const first = textOf(rows[0]?.[0]);
      after = textOf(rows[rows.length - 1]?.[0]);
      const explained = rows.some((r) => r[5] === 'suggested')
        ? await explainSuggested(session, rules, first, after)
        : new Map<number, MatchExplanation>();
      await writer.insertMatches(
        tx,
        jobId,
        rows.map((r) => {
          const id = textOf(r[0]);
          const tier = r[5] === 'auto' ? 'auto' : 'suggested';
          const runnerScore = num(r[9]);
          const head: MatchExplanation = {
            comparisons: [],
            runnerUp: runnerScore === null ? null : { left: num(r[7]), right: num(r[8]), score: runnerScore },
            margin: num(r[10]),
            ambiguous: r[6] === true,
            decidedBy: textOrNull(r[11]),
          };
          return {
            match_id: id,
            pass_index: Number(r[1]),
            pass_name: textOf(r[2]),
            kind: textOf(r[3]),
            score: Number(r[4]),
            tier,
            status: tier === 'auto' ? 'confirmed' : 'suggested',
            left_rows: `{${textOf(r[12])}}`,
            right_rows: `{${textOf(r[13])}}`,
            left_amount: textOf(r[14], '0'),
            right_amount: textOf(r[15], '0'),
            explanation: json(explained.get(Number(id)) ?? head),
          };
        }),
      );
    }
  } finally {
    await session.connection.run('DROP TABLE IF EXISTS _w_left; DROP TABLE IF EXISTS _w_right');
  }
}
