import type { EngineSession } from '../duck/session';
import type { PassKind, RuleSet } from '../rules/index';
import type { PassStatistics, ReconcileStatistics, SideStatistics, Tally } from './match.types';

const tally = (count: unknown, amount: unknown): Tally => ({
  count: Number(count ?? 0),
  amount: BigInt(String(amount ?? 0)),
});

async function sideStatistics(session: EngineSession, side: 'left' | 'right'): Promise<SideStatistics> {
  const reader = await session.connection.runAndReadAll(`
    SELECT coalesce(m.tier, 'unmatched') AS status, count(*)::BIGINT, coalesce(sum(r.amount_minor), 0)::VARCHAR
    FROM records_${side} r
    LEFT JOIN recon_match_${side} ml ON ml.row_no = r.row_no
    LEFT JOIN recon_matches m ON m.match_id = ml.match_id
    GROUP BY 1 ORDER BY 1`);
  const by = new Map(reader.getRows().map(([status, count, amount]) => [String(status), tally(count, amount)]));
  const zero = tally(0, 0);
  const auto = by.get('auto') ?? zero;
  const suggested = by.get('suggested') ?? zero;
  const unmatched = by.get('unmatched') ?? zero;
  const matched = { count: auto.count + suggested.count, amount: auto.amount + suggested.amount };
  const total = { count: matched.count + unmatched.count, amount: matched.amount + unmatched.amount };
  return { total, matched, auto, suggested, unmatched, matchRate: total.count === 0 ? 1 : matched.count / total.count };
}

/**
 * Reads the statistics of the last `reconcile` in the session: counts and amount sums per status and side,
 * per pass, and match rates.
 */
export async function readStatistics(session: EngineSession, rules: RuleSet): Promise<ReconcileStatistics> {
  const left = await sideStatistics(session, 'left');
  const right = await sideStatistics(session, 'right');
  const reader = await session.connection.runAndReadAll(`
    SELECT m.pass_index, count(*)::BIGINT, count(*) FILTER (m.tier = 'auto')::BIGINT,
      coalesce(sum(m.left_count), 0)::BIGINT, coalesce(sum(l.amt), 0)::VARCHAR,
      coalesce(sum(m.right_count), 0)::BIGINT, coalesce(sum(r.amt), 0)::VARCHAR
    FROM recon_matches m
    LEFT JOIN (SELECT match_id, sum(x.amount_minor) AS amt FROM recon_match_left ml JOIN records_left x ON x.row_no = ml.row_no GROUP BY 1) l ON l.match_id = m.match_id
    LEFT JOIN (SELECT match_id, sum(x.amount_minor) AS amt FROM recon_match_right mr JOIN records_right x ON x.row_no = mr.row_no GROUP BY 1) r ON r.match_id = m.match_id
    GROUP BY 1 ORDER BY 1`);
  const byPass = new Map(reader.getRows().map((row) => [Number(row[0]), row]));
  const passes: PassStatistics[] = rules.passes.map((pass, index) => {
    const row = byPass.get(index);
    const matches = Number(row?.[1] ?? 0);
    const auto = Number(row?.[2] ?? 0);
    return {
      index,
      name: pass.name,
      kind: pass.kind satisfies PassKind,
      matches,
      auto,
      suggested: matches - auto,
      left: tally(row?.[3], row?.[4]),
      right: tally(row?.[5], row?.[6]),
    };
  });
  const counts = await session.connection.runAndReadAll(
    'SELECT (SELECT count(*) FROM recon_matches)::BIGINT, (SELECT count(*) FROM recon_discrepancies)::BIGINT',
  );
  const [matches, discrepancies] = counts.getRows()[0] ?? [0, 0];
  const all = left.total.count + right.total.count;
  return {
    matches: Number(matches),
    left,
    right,
    passes,
    matchRate: all === 0 ? 1 : (left.matched.count + right.matched.count) / all,
    discrepancies: Number(discrepancies),
  };
}
