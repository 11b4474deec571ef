import type { EngineSession } from '../duck/session';
import type { PassKind, RuleSet } from '../rules/index';
import { asText } from './sql-text';
import type { PassStatistics, ReconcileStatistics, SideStatistics, Tally } from './match.types';

const tally = (count: unknown, amount: unknown): Tally => ({
  count: Number(count ?? 0),
  amount: BigInt(asText(amount ?? 0)),
});

async function sideStatistics(session: EngineSession, side: 'left' | 'right'): Promise<SideStatistics> {
  const all = await session.connection.runAndReadAll(
    `SELECT count(*)::BIGINT, coalesce(sum(amount_minor), 0)::VARCHAR FROM records_${side}`,
  );
  const [count, amount] = all.getRows()[0] ?? [0, 0];
  const total = tally(count, amount);
  const reader = await session.connection.runAndReadAll(`
    SELECT tier, coalesce(sum(${side}_count), 0)::BIGINT, coalesce(sum(${side}_amount), 0)::VARCHAR
    FROM recon_match_totals GROUP BY 1`);
  const by = new Map(reader.getRows().map(([tier, n, sum]) => [asText(tier), tally(n, sum)]));
  const zero = tally(0, 0);
  const auto = by.get('auto') ?? zero;
  const suggested = by.get('suggested') ?? zero;
  const matched = { count: auto.count + suggested.count, amount: auto.amount + suggested.amount };
  const unmatched = { count: total.count - matched.count, amount: total.amount - matched.amount };
  return {
    total,
    matched,
    auto,
    suggested,
    unmatched,
    matchRate: total.count === 0 ? 1 : matched.count / total.count,
  };
}

/**
 * Reads the statistics of the last `reconcile` in the session: counts and amount sums per status and side,
 * per pass, and match rates.
 */
export async function readStatistics(session: EngineSession, rules: RuleSet): Promise<ReconcileStatistics> {
  const left = await sideStatistics(session, 'left');
  const right = await sideStatistics(session, 'right');
  const reader = await session.connection.runAndReadAll(`
    SELECT pass_index, count(*)::BIGINT, count(*) FILTER (tier = 'auto')::BIGINT,
      coalesce(sum(left_count), 0)::BIGINT, coalesce(sum(left_amount), 0)::VARCHAR,
      coalesce(sum(right_count), 0)::BIGINT, coalesce(sum(right_amount), 0)::VARCHAR
    FROM recon_match_totals GROUP BY 1 ORDER BY 1`);
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
