import type { EngineSession } from '../duck/session';
import type { Comparison, PassKind, RuleSet } from '../rules/index';
import { amountSql } from './comparison-sql';
import type {
  ComparisonOutcome,
  Discrepancy,
  MatchRecord,
  MatchTier,
  PageOptions,
  UnmatchedRecord,
} from './match.types';
import { comparisonLabel, passSqlParts } from './pass-sql';
import { asText } from './sql-text';

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : asText(value);
const pageSql = (page: PageOptions) =>
  `LIMIT ${Math.max(0, Math.trunc(page.limit ?? 1000))} OFFSET ${Math.max(0, Math.trunc(page.offset ?? 0))}`;

async function rows(session: EngineSession, sql: string): Promise<unknown[][]> {
  const reader = await session.connection.runAndReadAll(sql);
  return reader.getRowsJS();
}

interface Accumulator {
  passed: boolean;
  score: number;
  n: number;
  left: Set<string>;
  right: Set<string>;
}

/** Evaluates a pass's comparisons on the records of the given matches; one outcome list per match id. */
async function explainPass(
  session: EngineSession,
  kind: PassKind,
  comparisons: readonly Comparison[],
  ids: readonly number[],
): Promise<Map<number, ComparisonOutcome[]>> {
  const acc = new Map<number, Accumulator[]>();
  const slot = (id: number, i: number): Accumulator => {
    let list = acc.get(id);
    if (!list) {
      list = comparisons.map(() => ({
        passed: true,
        score: 0,
        n: 0,
        left: new Set<string>(),
        right: new Set<string>(),
      }));
      acc.set(id, list);
    }
    const entry = list[i];
    if (!entry) throw new Error('comparison index out of range');
    return entry;
  };
  const add = (id: number, i: number, ok: unknown, score: unknown, left: unknown, right: unknown) => {
    const s = slot(id, i);
    s.passed &&= ok === true;
    s.score += Number(score ?? 0);
    s.n += 1;
    if (left !== null && left !== undefined) s.left.add(asText(left));
    if (right !== null && right !== undefined) s.right.add(asText(right));
  };
  const idList = ids.join(', ');
  const grouped = kind !== 'one_to_one';
  const onMembers = comparisons
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !(grouped && c.type === 'amount'));
  if (kind !== 'many_to_many' && onMembers.length > 0) {
    const pass = { comparisons: onMembers.map(({ c }) => c), same_currency: false, blocking: [] };
    const parts = passSqlParts({ name: 'x', kind: 'one_to_one', ...pass }, 'a', 'b');
    const select = parts.comparisons
      .map(({ sql }) => `${sql.ok}, ${sql.score}, ${sql.left}, ${sql.right}`)
      .join(', ');
    const result = await rows(
      session,
      `SELECT ml.match_id::DOUBLE, ${select} FROM recon_match_left ml JOIN recon_match_right mr ON mr.match_id = ml.match_id
       JOIN records_left a ON a.row_no = ml.row_no JOIN records_right b ON b.row_no = mr.row_no
       WHERE ml.match_id IN (${idList}) ORDER BY 1, a.row_no, b.row_no`,
    );
    for (const row of result) {
      onMembers.forEach(({ i }, k) => {
        add(num(row[0]), i, row[1 + 4 * k], row[2 + 4 * k], row[3 + 4 * k], row[4 + 4 * k]);
      });
    }
  }
  const amountIndex = comparisons.findIndex((c) => c.type === 'amount');
  const amount = comparisons[amountIndex];
  if (grouped && amount?.type === 'amount') {
    const sql = amountSql(amount, 'l.amt', 'r.amt');
    const result = await rows(
      session,
      `SELECT l.match_id::DOUBLE, ${sql.ok}, ${sql.score}, ${sql.left}, ${sql.right}
       FROM (SELECT match_id, sum(x.amount_minor) AS amt FROM recon_match_left m JOIN records_left x ON x.row_no = m.row_no WHERE match_id IN (${idList}) GROUP BY 1) l
       JOIN (SELECT match_id, sum(x.amount_minor) AS amt FROM recon_match_right m JOIN records_right x ON x.row_no = m.row_no WHERE match_id IN (${idList}) GROUP BY 1) r
       ON l.match_id = r.match_id`,
    );
    for (const row of result) add(num(row[0]), amountIndex, row[1], row[2], row[3], row[4]);
  }
  const out = new Map<number, ComparisonOutcome[]>();
  for (const [id, list] of acc) {
    out.set(
      id,
      list.map((s, index) => {
        const c = comparisons[index];
        return {
          index,
          type: c?.type ?? 'unknown',
          label: c ? comparisonLabel(c) : '',
          required: c?.required ?? false,
          weight: c?.weight ?? 0,
          passed: s.n > 0 && s.passed,
          score: s.n > 0 ? Math.round((s.score / s.n) * 1e6) / 1e6 : 0,
          left: s.left.size > 0 ? [...s.left].join(' | ') : null,
          right: s.right.size > 0 ? [...s.right].join(' | ') : null,
        };
      }),
    );
  }
  return out;
}

/**
 * Reads a page of matches in match id order, each with its record ids and explanation (every comparison's
 * outcome and compared values, runner-up and margin, the constraint that decided a group).
 * @example const first = await readMatches(session, rules, { offset: 0, limit: 50 });
 */
export async function readMatches(
  session: EngineSession,
  rules: RuleSet,
  page: PageOptions = {},
): Promise<MatchRecord[]> {
  const head = await rows(
    session,
    `SELECT match_id::DOUBLE, pass_index, pass_name, kind, score, tier, ambiguous, runner_up_left::DOUBLE,
       runner_up_right::DOUBLE, runner_up_score, margin, decided_by FROM recon_matches ORDER BY match_id ${pageSql(page)}`,
  );
  if (head.length === 0) return [];
  const ids = head.map((r) => num(r[0]));
  const members = new Map<number, { left: number[]; right: number[] }>(
    ids.map((id) => [id, { left: [], right: [] }]),
  );
  for (const side of ['left', 'right'] as const) {
    const list = await rows(
      session,
      `SELECT match_id::DOUBLE, row_no::DOUBLE FROM recon_match_${side} WHERE match_id IN (${ids.join(', ')}) ORDER BY 1, 2`,
    );
    for (const [id, row] of list) members.get(num(id))?.[side].push(num(row));
  }
  const byPass = new Map<number, number[]>();
  for (const r of head) byPass.set(num(r[1]), [...(byPass.get(num(r[1])) ?? []), num(r[0])]);
  const outcomes = new Map<number, ComparisonOutcome[]>();
  for (const [passIndex, passIds] of byPass) {
    const pass = rules.passes[passIndex];
    if (!pass) throw new Error(`match refers to pass ${passIndex}, which the rule set does not have`);
    for (const [id, list] of await explainPass(session, pass.kind, pass.comparisons, passIds))
      outcomes.set(id, list);
  }
  return head.map((r) => {
    const id = num(r[0]);
    const runnerScore = numOrNull(r[9]);
    return {
      id,
      passIndex: num(r[1]),
      pass: asText(r[2]),
      kind: asText(r[3]) as PassKind,
      left: members.get(id)?.left ?? [],
      right: members.get(id)?.right ?? [],
      score: num(r[4]),
      tier: asText(r[5]) as MatchTier,
      explanation: {
        comparisons: outcomes.get(id) ?? [],
        runnerUp:
          runnerScore === null ? null : { left: numOrNull(r[7]), right: numOrNull(r[8]), score: runnerScore },
        margin: numOrNull(r[10]),
        ambiguous: r[6] === true,
        decidedBy: strOrNull(r[11]),
      },
    };
  });
}

/** Reads a page of one side's unmatched records with their nearest candidate and the reason. */
export async function readUnmatched(
  session: EngineSession,
  side: 'left' | 'right',
  page: PageOptions = {},
): Promise<UnmatchedRecord[]> {
  const list = await rows(
    session,
    `SELECT row_no::DOUBLE, nearest_row::DOUBLE, nearest_score, nearest_pass, reason FROM recon_unmatched_${side} ORDER BY row_no ${pageSql(page)}`,
  );
  return list.map(([row, nearest, score, pass, reason]) => ({
    row: num(row),
    nearest: nearest === null ? null : { row: num(nearest), score: num(score), pass: asText(pass) },
    reason: asText(reason),
  }));
}

/** Reads a page of discrepancies (amount and date differences inside accepted matches). */
export async function readDiscrepancies(
  session: EngineSession,
  page: PageOptions = {},
): Promise<Discrepancy[]> {
  const list = await rows(
    session,
    `SELECT match_id::DOUBLE, field, left_value, right_value, delta::VARCHAR, unit FROM recon_discrepancies ORDER BY match_id, field ${pageSql(page)}`,
  );
  return list.map(([matchId, field, left, right, delta, unit]) => ({
    matchId: num(matchId),
    field: asText(field) as Discrepancy['field'],
    left: asText(left),
    right: asText(right),
    delta: BigInt(asText(delta)),
    unit: asText(unit) as Discrepancy['unit'],
  }));
}
