import type { DuckDBConnection } from '@duckdb/node-api';
import type { Pass } from '../rules/index';
import type { GroupFailure } from './group-pass';
import { fromSql, passSqlParts } from './pass-sql';
import { sqlString } from './sql-text';

interface NearMissSql {
  score: string;
  fails: string;
  reason: string;
  on: string[][];
  from: (set: number, left: string, right: string) => string;
}

function reasonSql(pass: Pass, threshold: number): NearMissSql {
  const parts = passSqlParts(pass, 'a', 'b', (c) => pass.kind === 'one_to_one' || c.type !== 'amount');
  const failures = parts.comparisons.map(({ rule, sql }, i) =>
    rule.required
      ? `CASE WHEN NOT ${sql.ok} THEN ${sqlString(`${parts.labels[i] ?? rule.type} (`)} || coalesce(${sql.left}, '∅') || ' vs ' || coalesce(${sql.right}, '∅') || ')' END`
      : 'NULL',
  );
  const fails =
    parts.comparisons
      .map(({ rule, sql }) => (rule.required ? `(NOT ${sql.ok})::INTEGER` : '0'))
      .join(' + ') || '0';
  const reason = `CASE WHEN (${fails}) = 0 AND ${parts.fullScore} >= ${threshold}
      THEN 'the nearest candidate went to a better-scoring match'
    WHEN (${fails}) = 0 THEN 'nearest candidate scores ' || ${parts.fullScore} || ', below the confidence threshold ${threshold}'
    ELSE 'nearest candidate failed ' || concat_ws(', ', ${failures.length > 0 ? failures.join(', ') : 'NULL'}) END`;
  return {
    score: parts.fullScore,
    fails,
    reason,
    on: parts.looseJoinSets,
    from: (i: number, left: string, right: string) =>
      fromSql(parts, left, right, parts.looseExpanded[i] ?? false),
  };
}

/**
 * Writes `recon_unmatched_left/right`: every record in no match, with its nearest candidate over all passes
 * (fewest failed required comparisons, then highest score) and the reason it was not matched. Candidates are
 * the other side's unmatched records (near misses) and qualifying candidates lost to a better-scoring match.
 */
export async function writeUnmatched(
  connection: DuckDBConnection,
  passes: readonly Pass[],
  thresholds: readonly number[],
  groupFailures: readonly GroupFailure[],
  diagnose: boolean,
): Promise<void> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _diag (side VARCHAR, row_no BIGINT, nearest BIGINT, fails INTEGER, score DOUBLE, pass_index INTEGER, pass_name VARCHAR, reason VARCHAR);
    CREATE OR REPLACE TEMP TABLE _gfail (side VARCHAR, row_no BIGINT, reason VARCHAR);`);
  if (groupFailures.length > 0) {
    const appender = await connection.createAppender('_gfail');
    for (const f of groupFailures) {
      appender.appendVarchar(f.side);
      appender.appendBigInt(BigInt(f.row));
      appender.appendVarchar(f.reason);
      appender.endRow();
    }
    appender.closeSync();
  }
  if (diagnose) {
    await connection.run(`
      INSERT INTO _diag
      SELECT side, row_no, nearest, 0, score, pass_index, pass_name, 'the nearest candidate went to a better-scoring match'
      FROM _lost`);
    for (const [index, pass] of passes.entries()) {
      if (pass.kind === 'many_to_many') continue;
      const { score, fails, reason, on, from } = reasonSql(pass, thresholds[index] ?? 0);
      const name = sqlString(pass.name);
      for (const [i, conditions] of on.entries()) {
        const join = conditions.length > 0 ? conditions.join(' AND ') : 'true';
        // Near misses among the records both sides left unmatched, from one join per pass (candidates lost
        // to other matches come from _lost). Numbers first, reason text only for each record's nearest.
        await connection.run(`
          CREATE OR REPLACE TEMP TABLE _pairs AS
          SELECT a.row_no AS l, b.row_no AS r, ${fails} AS fails, ${score} AS score
          FROM ${from(i, '_res_left', '_res_right')} ON ${join};
          CREATE OR REPLACE TEMP TABLE _near AS
          SELECT 'left' AS side, l, r, fails, score FROM _pairs
          QUALIFY row_number() OVER (PARTITION BY l ORDER BY fails, score DESC, r) = 1;
          INSERT INTO _near
          SELECT 'right', l, r, fails, score FROM _pairs
          QUALIFY row_number() OVER (PARTITION BY r ORDER BY fails, score DESC, l) = 1;
          INSERT INTO _diag
          SELECT n.side, CASE WHEN n.side = 'left' THEN n.l ELSE n.r END, CASE WHEN n.side = 'left' THEN n.r ELSE n.l END,
            n.fails, n.score, ${index}, ${name}, ${reason}
          FROM _near n JOIN _res_left a ON a.row_no = n.l JOIN _res_right b ON b.row_no = n.r;
          DROP TABLE _near; DROP TABLE _pairs;`);
      }
    }
  }
  // concat_ws skips NULLs and yields '' (not NULL) when every part is NULL: nullif lets the default apply.
  for (const side of ['left', 'right'] as const) {
    await connection.run(`
      INSERT INTO recon_unmatched_${side}
      SELECT r.row_no, d.nearest, d.score, d.pass_name,
        coalesce(nullif(concat_ws('; ', g.reason, d.reason), ''), ${sqlString(diagnose ? 'no candidate: no record on the other side shares the blocking keys of any pass' : 'not diagnosed')})
      FROM _res_${side} r
      LEFT JOIN (SELECT * FROM _diag WHERE side = '${side}'
        QUALIFY row_number() OVER (PARTITION BY row_no ORDER BY fails, score DESC, pass_index, nearest) = 1) d ON d.row_no = r.row_no
      LEFT JOIN (SELECT row_no, string_agg(reason, '; ' ORDER BY reason) AS reason FROM _gfail WHERE side = '${side}' GROUP BY row_no) g
        ON g.row_no = r.row_no
      ORDER BY r.row_no;`);
  }
  await connection.run('DROP TABLE _diag; DROP TABLE _gfail; DROP TABLE _lost;');
}
