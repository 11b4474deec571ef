import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSession } from '../src/duck/session';
import { BENCH_RULES } from './bench-rules';
import type { BenchData } from './generate-data';
import { sqlBaselineSections } from './sql-baseline.variant';

/** Precision and recall of one variant's matches against the truth file. */
export interface Accuracy {
  matched: number;
  correct: number;
  precision: number;
  /** Share of true pairs within the rules' tolerances that were matched to each other. */
  recall: number;
  /** Share of all true pairs (also those outside the tolerances) that were matched. */
  recallAll: number;
}

const q = (path: string): string => `'${path.replaceAll("'", "''")}'`;

/**
 * Labels every true pair with whether it lies within at least one pass's tolerances, using the same
 * normalisation as the SQL baseline (cached next to the data: `truth-labelled.parquet`).
 * Returns the number of true pairs and of those within tolerance.
 */
export async function labelTruth(
  data: BenchData,
): Promise<{ truePairs: number; withinTolerance: number; path: string }> {
  const path = join(data.dir, 'truth-labelled.parquet');
  const session = await openSession();
  try {
    const { connection } = session;
    if (!existsSync(path)) {
      await connection.run(sqlBaselineSections({ ...data, outDir: data.dir }).get('load') ?? '');
      const { tolerance: t, fuzzy: f } = BENCH_RULES;
      await connection.run(`COPY (
        SELECT tr.left_id, tr.right_id, tr.category,
          coalesce(l.ref = r.ref AND l.amt = r.amt AND l.ccy = r.ccy, false)
          OR (l.ccy = r.ccy AND abs(l.amt - r.amt) <= ${t.amountAbsMinor}
              AND datediff('day', l.d, r.d) BETWEEN ${t.lagMinDays} AND ${t.lagMaxDays}
              AND jaro_winkler_similarity(l.name, r.name) >= ${t.nameMin})
          OR (l.ccy = r.ccy AND sign(l.amt) = sign(r.amt) AND abs(l.amt - r.amt) <= ${f.amountPct} * least(abs(l.amt), abs(r.amt))
              AND datediff('day', l.d, r.d) BETWEEN ${f.lagMinDays} AND ${f.lagMaxDays}
              AND jaro_winkler_similarity(l.name, r.name) >= ${f.nameMin}) AS within_tolerance
        FROM read_csv(${q(data.truth)}, all_varchar = true) tr
        JOIN l ON l.id = tr.left_id JOIN r ON r.id = tr.right_id) TO ${q(path)} (FORMAT parquet)`);
    }
    const counts = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS all_pairs, count(*) FILTER (within_tolerance)::INTEGER AS within FROM ${q(path)}`,
    );
    const row = counts.getRowObjects()[0];
    return { truePairs: Number(row?.all_pairs ?? 0), withinTolerance: Number(row?.within ?? 0), path };
  } finally {
    session.close();
  }
}

/** Scores a matches file (parquet or CSV with left_id, right_id) against the labelled truth. */
export async function scoreMatches(labelledTruth: string, matchesFile: string): Promise<Accuracy> {
  const session = await openSession();
  try {
    const reader = await session.connection.runAndReadAll(`
      WITH m AS (SELECT DISTINCT left_id::VARCHAR AS left_id, right_id::VARCHAR AS right_id FROM ${q(matchesFile)}),
           t AS (SELECT * FROM ${q(labelledTruth)})
      SELECT (SELECT count(*) FROM m)::INTEGER AS matched,
             (SELECT count(*) FROM m JOIN t USING (left_id, right_id))::INTEGER AS correct,
             (SELECT count(*) FROM m JOIN t USING (left_id, right_id) WHERE within_tolerance)::INTEGER AS correct_within,
             (SELECT count(*) FROM t WHERE within_tolerance)::INTEGER AS within,
             (SELECT count(*) FROM t)::INTEGER AS all_pairs`);
    const row = reader.getRowObjects()[0];
    const n = (key: string): number => Number(row?.[key] ?? 0);
    return {
      matched: n('matched'),
      correct: n('correct'),
      precision: n('matched') === 0 ? 0 : n('correct') / n('matched'),
      recall: n('within') === 0 ? 0 : n('correct_within') / n('within'),
      recallAll: n('all_pairs') === 0 ? 0 : n('correct') / n('all_pairs'),
    };
  } finally {
    session.close();
  }
}
