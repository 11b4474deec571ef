import { CANONICAL_COLUMNS } from '../core/canonical';
import type { Pass } from '../rules/index';
import { assignGreedy } from './assign-greedy';
import { pairCandidatesSql } from './pass-sql';
import { readNumberColumns } from './read-columns';
import { commitPairs, type CommitContext, type ResidualTables } from './result-tables';

/** Canonical columns a one-to-one pass reads (found in its SQL), so its residual copy can stay narrow. */
export function pairPassColumns(pass: Pass, threshold: number, normalised = false): string[] {
  const sql = pairCandidatesSql(pass, threshold, 'x', 'y', normalised);
  const used = new Set(['row_no', 'amount_minor', 'booking_date']);
  for (const match of sql.matchAll(/\b[ab]\.([a-z_]+)\b/g)) if (match[1]) used.add(match[1]);
  return CANONICAL_COLUMNS.map(([name]) => name).filter((name) => used.has(name));
}

/**
 * Runs a one-to-one pass on the residual records (`normalised`: the tables carry `normalisedColumns`):
 * candidates and scores in DuckDB; pairs whose two records
 * have no other candidate are accepted in SQL (greedy would accept them anyway); only contested pairs go
 * to TypeScript, as typed arrays, for best-first assignment. Returns the number of matches committed.
 */
export async function runPairPass(
  pass: Pass,
  threshold: number,
  ctx: CommitContext,
  tables: ResidualTables,
  normalised = false,
): Promise<number> {
  const { connection } = ctx;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _cand AS ${pairCandidatesSql(pass, threshold, tables.left, tables.right, normalised)};
    CREATE OR REPLACE TEMP TABLE _multi_l AS SELECT l FROM _cand GROUP BY l HAVING count(*) > 1;
    CREATE OR REPLACE TEMP TABLE _multi_r AS SELECT r FROM _cand GROUP BY r HAVING count(*) > 1;`);
  const multi = await connection.runAndReadAll(
    'SELECT (SELECT count(*) FROM _multi_l) + (SELECT count(*) FROM _multi_r)',
  );
  if (Number(multi.getRowsJS()[0]?.[0] ?? 0) === 0) {
    // No record has two candidates (typical of an exact-key pass): greedy accepts every pair, nothing is
    // contested and nobody loses a candidate. The candidates are committed as they are (a view adds the empty
    // runner-up), without the filters and the copy of the general path.
    await connection.run(`
      DROP TABLE _multi_l; DROP TABLE _multi_r;
      CREATE OR REPLACE TEMP VIEW _accept AS
      SELECT *, NULL::BIGINT AS runner_l, NULL::BIGINT AS runner_r, NULL::DOUBLE AS runner_score FROM _cand;`);
    const count = await commitPairs(ctx, pass);
    await connection.run('DROP VIEW _accept; DROP TABLE _cand;');
    return count;
  }
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _accept AS
    SELECT *, NULL::BIGINT AS runner_l, NULL::BIGINT AS runner_r, NULL::DOUBLE AS runner_score
    FROM _cand WHERE l NOT IN (SELECT l FROM _multi_l) AND r NOT IN (SELECT r FROM _multi_r);
    CREATE OR REPLACE TEMP TABLE _contested AS
    SELECT * FROM _cand WHERE l IN (SELECT l FROM _multi_l) OR r IN (SELECT r FROM _multi_r);
    DROP TABLE _cand; DROP TABLE _multi_l; DROP TABLE _multi_r;`);
  const [left, right, score] = await readNumberColumns(
    connection,
    'SELECT l::DOUBLE, r::DOUBLE, score FROM _contested',
    3,
  );
  if (left && right && score && left.length > 0) {
    const accepted = assignGreedy({ left, right, score });
    await connection.run(
      'CREATE OR REPLACE TEMP TABLE _picked (l BIGINT, r BIGINT, runner_l BIGINT, runner_r BIGINT, runner_score DOUBLE)',
    );
    const appender = await connection.createAppender('_picked');
    for (const { index, runnerUp } of accepted) {
      appender.appendBigInt(BigInt(left[index] ?? 0));
      appender.appendBigInt(BigInt(right[index] ?? 0));
      if (runnerUp < 0) {
        appender.appendNull();
        appender.appendNull();
        appender.appendNull();
      } else {
        appender.appendBigInt(BigInt(left[runnerUp] ?? 0));
        appender.appendBigInt(BigInt(right[runnerUp] ?? 0));
        appender.appendDouble(score[runnerUp] ?? 0);
      }
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(
      'INSERT INTO _accept SELECT c.*, p.runner_l, p.runner_r, p.runner_score FROM _picked p JOIN _contested c ON c.l = p.l AND c.r = p.r;',
    );
  } else {
    await connection.run('CREATE OR REPLACE TEMP TABLE _picked (l BIGINT, r BIGINT);');
  }
  const count = await commitPairs(ctx, pass);
  // Records that had a qualifying candidate but lost it to a better-scoring match: remembered for the
  // unmatched report (cheap: only contested pairs), in case no later pass matches them. A record in a contested
  // pair has no uncontested one, so it was accepted exactly when greedy picked it (`_picked`, small).
  const name = `'${ctx.passName.replaceAll("'", "''")}'`;
  await connection.run(`
    INSERT INTO _lost
    SELECT 'left', l, r, score, ${ctx.passIndex}, ${name} FROM _contested WHERE l NOT IN (SELECT l FROM _picked)
    QUALIFY row_number() OVER (PARTITION BY l ORDER BY score DESC, r) = 1;
    INSERT INTO _lost
    SELECT 'right', r, l, score, ${ctx.passIndex}, ${name} FROM _contested WHERE r NOT IN (SELECT r FROM _picked)
    QUALIFY row_number() OVER (PARTITION BY r ORDER BY score DESC, l) = 1;
    DROP TABLE _accept; DROP TABLE _contested; DROP TABLE _picked;`);
  return count;
}
