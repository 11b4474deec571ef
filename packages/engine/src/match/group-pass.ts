import type { DuckDBConnection } from '@duckdb/node-api';
import type { AmountComparison, Pass } from '../rules/index';
import { assignGreedy } from './assign-greedy';
import { amountSql } from './comparison-sql';
import { fromSql, passSqlParts } from './pass-sql';
import { readNumberColumns } from './read-columns';
import { commitGroups, type CommitContext, type StagedGroup } from './result-tables';
import { asText, fieldSql, normaliseSql } from './sql-text';
import { searchSubset, type SubsetCandidate } from './subset-sum';

/** A record of the "one" side a grouped pass could not match, and why (fed to the unmatched report). */
export interface GroupFailure {
  side: 'left' | 'right';
  row: number;
  reason: string;
}

export interface GroupPassResult {
  matches: number;
  failures: GroupFailure[];
}

function amountOf(pass: Pass): AmountComparison {
  const found = pass.comparisons.find((c): c is AmountComparison => c.type === 'amount');
  if (!found)
    throw new Error(`pass "${pass.name}" has no amount comparison (validation should have refused it)`);
  return found;
}

/** Exact amount test of the rule, in TypeScript, for sums found by the subset search. */
export function amountWithin(
  c: AmountComparison,
  target: number,
  sum: number,
): { ok: boolean; score: number } {
  const diff = Math.abs(target - sum);
  const ppm = Math.round(c.tolerance_percent * 10_000);
  const minAbs = Math.min(Math.abs(target), Math.abs(sum));
  const ok = diff <= c.tolerance_minor || BigInt(diff) * 1_000_000n <= BigInt(ppm) * BigInt(minAbs);
  if (!ok) return { ok, score: 0 };
  if (diff === 0) return { ok, score: 1 };
  const tolerance = Math.max(c.tolerance_minor, (ppm * minAbs) / 1_000_000);
  return { ok, score: 1 - (0.25 * diff) / tolerance };
}

function weights(pass: Pass): { members: number; amount: number } {
  const amount = amountOf(pass).weight;
  const total = pass.comparisons.reduce((sum, c) => sum + c.weight, 0);
  return { members: total - amount, amount };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

async function rowsJs(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS();
}

/** Member-level candidate pairs `(l, r, ms)` for the non-amount comparisons, as a SQL select list source. */
function memberJoinSql(pass: Pass, select: string, extraWhere: string[]): string {
  const parts = passSqlParts(pass, 'a', 'b', (c) => c.type !== 'amount');
  const where = [...parts.required, ...extraWhere];
  const selects = parts.joinSets.map(
    (on) =>
      `SELECT ${select.replaceAll('{ms}', parts.score)} FROM ${fromSql(parts, '_res_left', '_res_right')} ON ${on.length > 0 ? on.join(' AND ') : 'true'}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`,
  );
  return selects.length === 1
    ? (selects[0] ?? '')
    : `SELECT DISTINCT * FROM (${selects.join(' UNION ALL ')})`;
}

async function runKeyed(
  pass: Pass,
  threshold: number,
  ctx: CommitContext,
  oneSide: 'left' | 'right',
): Promise<number> {
  const { connection } = ctx;
  const group = pass.group;
  const keyField = oneSide === 'left' ? group?.right_key : group?.left_key;
  if (!group || !keyField) return 0;
  const many = oneSide === 'left' ? 'b' : 'a';
  const manyTable = oneSide === 'left' ? '_res_right' : '_res_left';
  const one = oneSide === 'left' ? 'a' : 'b';
  const key = (alias: string) => normaliseSql(fieldSql(alias, keyField), ['trim', 'case']);
  const c = amountOf(pass);
  const w = weights(pass);
  const span =
    group.date_span_days === undefined
      ? 'true'
      : `date_diff('day', min(booking_date), max(booking_date)) <= ${group.date_span_days}`;
  const parties = group.same_counterparty ? 'count(DISTINCT lower(trim(counterparty))) <= 1' : 'true';
  const amount =
    oneSide === 'left' ? amountSql(c, 'o.amount_minor', 'g.amt') : amountSql(c, 'g.amt', 'o.amount_minor');
  const members = memberJoinSql(pass, `${one}.row_no AS one_row, ${key(many)} AS gkey, {ms} AS ms`, [
    `${key(many)} <> ''`,
  ]);
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _g AS
    SELECT gkey, dense_rank() OVER (ORDER BY gkey) AS gid, count(*) AS n, sum(amount_minor) AS amt
    FROM (SELECT ${key(many)} AS gkey, ${many}.* FROM ${manyTable} ${many}) WHERE gkey <> ''
    GROUP BY gkey HAVING count(*) <= ${group.max_group_size} AND ${span} AND ${parties};
    CREATE OR REPLACE TEMP TABLE _gc AS
    SELECT x.one_row AS one_row, g.gid AS gid,
      round((${w.members} * x.ms + ${w.amount} * (${amount.score})) / ${w.members + w.amount}, 6) AS score
    FROM (SELECT one_row, gkey, avg(ms) AS ms, count(*) AS k FROM (${members}) GROUP BY one_row, gkey) x
    JOIN _g g ON g.gkey = x.gkey
    JOIN ${oneSide === 'left' ? '_res_left' : '_res_right'} o ON o.row_no = x.one_row
    WHERE x.k = g.n AND ${amount.ok};`);
  const [oneRows, gids, scores] = await readNumberColumns(
    connection,
    `SELECT one_row::DOUBLE, gid::DOUBLE, score FROM _gc WHERE score >= ${threshold}`,
    3,
  );
  const staged: StagedGroup[] = [];
  if (oneRows && gids && scores && oneRows.length > 0) {
    const accepted = assignGreedy({ left: oneRows, right: gids, score: scores });
    const memberRows = await rowsJs(
      connection,
      `SELECT g.gid::DOUBLE, m.row_no::DOUBLE, g.gkey, g.n::DOUBLE, g.amt::VARCHAR FROM _g g JOIN ${manyTable} m ON ${key('m')} = g.gkey ORDER BY 1, 2`,
    );
    const byGroup = new Map<number, { rows: number[]; label: string }>();
    for (const [gid, row, gkey, n, amt] of memberRows) {
      const entry = byGroup.get(Number(gid)) ?? {
        rows: [],
        label: `group ${keyField} = "${asText(gkey)}": ${Number(n)} records summing to ${asText(amt)}`,
      };
      entry.rows.push(Number(row));
      byGroup.set(Number(gid), entry);
    }
    for (const { index, runnerUp } of accepted) {
      const entry = byGroup.get(gids[index] ?? -1);
      if (!entry) continue;
      const oneRow = oneRows[index] ?? 0;
      const runnerGroup = runnerUp >= 0 ? byGroup.get(gids[runnerUp] ?? -1) : undefined;
      const runnerOne = runnerUp >= 0 ? (oneRows[runnerUp] ?? null) : null;
      const runnerMany = runnerGroup?.rows[0] ?? null;
      const score = scores[index] ?? 0;
      const runnerScore = runnerUp >= 0 ? (scores[runnerUp] ?? null) : null;
      staged.push({
        left: oneSide === 'left' ? [oneRow] : entry.rows,
        right: oneSide === 'left' ? entry.rows : [oneRow],
        score,
        ambiguous: runnerScore !== null && score - runnerScore <= ctx.ambiguityMargin,
        runnerUpLeft: oneSide === 'left' ? runnerOne : runnerMany,
        runnerUpRight: oneSide === 'left' ? runnerMany : runnerOne,
        runnerUpScore: runnerScore,
        decidedBy: `${entry.label}, within the amount tolerance`,
      });
    }
  }
  await connection.run('DROP TABLE _g; DROP TABLE _gc;');
  return commitGroups(ctx, pass, staged);
}

interface SubsetTarget {
  row: number;
  target: number;
  candidates: SubsetCandidate[];
}

async function runSubset(
  pass: Pass,
  threshold: number,
  ctx: CommitContext,
  oneSide: 'left' | 'right',
): Promise<GroupPassResult> {
  const group = pass.group;
  const c = amountOf(pass);
  const w = weights(pass);
  const one = oneSide === 'left' ? 'a' : 'b';
  const many = oneSide === 'left' ? 'b' : 'a';
  const flip = (alias: string) =>
    alias === 'b' && c.right_sign === 'opposite' ? `(-${alias}.amount_minor)` : `${alias}.amount_minor`;
  const target = flip(one);
  const member = flip(many);
  const ppm = Math.round(c.tolerance_percent * 10_000);
  const slack = `(${c.tolerance_minor} + abs(${target}) * ${ppm} / 1000000)`;
  const safe = 2 ** 50;
  const members = memberJoinSql(
    pass,
    `${one}.row_no AS one_row, ${target} AS target, ${many}.row_no AS m_row, ${member} AS m_amt,
     date_diff('day', DATE '1970-01-01', ${many}.booking_date) AS m_day, lower(trim(${many}.counterparty)) AS m_party, {ms} AS ms`,
    [
      `sign(${member}) = sign(${target})`,
      `${member} <> 0`,
      `abs(${member}) <= abs(${target}) + ${slack}`,
      `abs(${target}) < ${safe}`,
    ],
  );
  const { connection } = ctx;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _gm AS
    SELECT one_row, target, m_row, m_amt, m_day, coalesce(dense_rank() OVER (ORDER BY m_party) , 0) * (m_party IS NOT NULL)::INTEGER AS m_party, ms
    FROM (${members})
    QUALIFY row_number() OVER (PARTITION BY one_row ORDER BY ms DESC, m_row) <= ${group?.max_candidates ?? 24};`);
  const cols = await readNumberColumns(
    connection,
    'SELECT one_row::DOUBLE, target::DOUBLE, m_row::DOUBLE, m_amt::DOUBLE, coalesce(m_day, -1e15), m_party::DOUBLE, ms FROM _gm ORDER BY one_row, m_row',
    7,
  );
  await connection.run('DROP TABLE _gm');
  const [oneRows, targets, mRows, mAmts, mDays, mParties, ms] = cols;
  const targetsByRow: SubsetTarget[] = [];
  if (oneRows && targets && mRows && mAmts && mDays && mParties && ms) {
    for (let i = 0; i < oneRows.length; i += 1) {
      const row = oneRows[i] ?? 0;
      let entry = targetsByRow.at(-1);
      if (entry?.row !== row) {
        entry = { row, target: targets[i] ?? 0, candidates: [] };
        targetsByRow.push(entry);
      }
      const day = mDays[i] ?? -1e15;
      const party = mParties[i] ?? 0;
      entry.candidates.push({
        row: mRows[i] ?? 0,
        amount: mAmts[i] ?? 0,
        day: day === -1e15 ? null : day,
        counterparty: party === 0 ? null : asText(party),
        score: ms[i] ?? 0,
      });
    }
  }
  const used = new Set<number>();
  const staged: StagedGroup[] = [];
  const failures: GroupFailure[] = [];
  for (const t of targetsByRow) {
    const free = t.candidates.filter((m) => !used.has(m.row));
    const tolerance = c.tolerance_minor + (Math.abs(t.target) * ppm) / 1_000_000;
    const outcome = searchSubset(t.target, free, {
      maxGroupSize: group?.max_group_size ?? 10,
      dateSpanDays: group?.date_span_days ?? null,
      sameCounterparty: group?.same_counterparty ?? false,
      budget: group?.search_budget ?? 200_000,
      isWithin: (sum) => amountWithin(c, t.target, sum).ok,
      slack: tolerance,
    });
    if (!outcome.found) {
      failures.push({ side: oneSide, row: t.row, reason: outcome.reason });
      continue;
    }
    const amount = amountWithin(c, t.target, outcome.sum);
    const memberScore = outcome.members.reduce((s, m) => s + m.score, 0) / outcome.members.length;
    const score = round6((w.members * memberScore + w.amount * amount.score) / (w.members + w.amount));
    if (score < threshold) {
      failures.push({
        side: oneSide,
        row: t.row,
        reason: `best group scores ${score}, below the confidence threshold`,
      });
      continue;
    }
    for (const m of outcome.members) used.add(m.row);
    const rows = outcome.members.map((m) => m.row).sort((x, y) => x - y);
    staged.push({
      left: oneSide === 'left' ? [t.row] : rows,
      right: oneSide === 'left' ? rows : [t.row],
      score,
      ambiguous: outcome.ambiguous,
      runnerUpLeft: null,
      runnerUpRight: null,
      runnerUpScore: outcome.ambiguous ? score : null,
      decidedBy:
        `subset-sum: ${rows.length} of ${free.length} candidates sum to ${outcome.sum} against ${t.target} ` +
        `(tolerance ${c.tolerance_minor} minor units / ${c.tolerance_percent}%)` +
        (outcome.ambiguous ? '; another group of the same size fits equally well' : ''),
    });
  }
  return { matches: await commitGroups(ctx, pass, staged), failures };
}

async function runManyToMany(pass: Pass, threshold: number, ctx: CommitContext): Promise<number> {
  const group = pass.group;
  if (!group?.left_key || !group.right_key) return 0;
  const c = amountOf(pass);
  const max = group.max_group_size;
  const currency = pass.same_currency ? ", coalesce(currency, '') AS cur" : ", '' AS cur";
  const lk = normaliseSql(fieldSql('a', group.left_key), ['trim', 'case']);
  const rk = normaliseSql(fieldSql('b', group.right_key), ['trim', 'case']);
  const amount = amountSql(c, 'gl.amt', 'gr.amt');
  const rows = await rowsJs(
    ctx.connection,
    `WITH ml AS (SELECT ${lk} AS gkey, a.row_no, a.amount_minor ${currency} FROM _res_left a WHERE ${lk} <> ''),
      mr AS (SELECT ${rk} AS gkey, b.row_no, b.amount_minor ${currency} FROM _res_right b WHERE ${rk} <> ''),
      gl AS (SELECT gkey, cur, sum(amount_minor) AS amt, list(row_no::DOUBLE ORDER BY row_no) AS rows FROM ml GROUP BY ALL HAVING count(*) <= ${max}),
      gr AS (SELECT gkey, cur, sum(amount_minor) AS amt, list(row_no::DOUBLE ORDER BY row_no) AS rows FROM mr GROUP BY ALL HAVING count(*) <= ${max})
    SELECT gl.rows, gr.rows, ${amount.score} AS score, gl.gkey, gl.amt::VARCHAR, gr.amt::VARCHAR
    FROM gl JOIN gr ON gl.gkey = gr.gkey AND gl.cur = gr.cur WHERE ${amount.ok} AND ${amount.score} >= ${threshold}`,
  );
  const staged: StagedGroup[] = rows.map(([left, right, score, gkey, la, ra]) => ({
    left: Array.isArray(left) ? left.map(Number) : [],
    right: Array.isArray(right) ? right.map(Number) : [],
    score: round6(Number(score)),
    ambiguous: false,
    runnerUpLeft: null,
    runnerUpRight: null,
    runnerUpScore: null,
    decidedBy: `groups with key "${asText(gkey)}": left sum ${asText(la)}, right sum ${asText(ra)}, within the amount tolerance`,
  }));
  return commitGroups(ctx, pass, staged);
}

/** Runs a one_to_many, many_to_one or many_to_many pass on the residual records. */
export async function runGroupPass(
  pass: Pass,
  threshold: number,
  ctx: CommitContext,
): Promise<GroupPassResult> {
  switch (pass.kind) {
    case 'one_to_one':
      throw new Error('runGroupPass called for a one_to_one pass');
    case 'many_to_many':
      return { matches: await runManyToMany(pass, threshold, ctx), failures: [] };
    case 'one_to_many':
    case 'many_to_one': {
      const oneSide = pass.kind === 'one_to_many' ? 'left' : 'right';
      const keyed = oneSide === 'left' ? pass.group?.right_key : pass.group?.left_key;
      if (keyed) return { matches: await runKeyed(pass, threshold, ctx, oneSide), failures: [] };
      return runSubset(pass, threshold, ctx, oneSide);
    }
  }
}
