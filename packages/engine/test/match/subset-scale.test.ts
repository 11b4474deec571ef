import { describe, expect, it } from 'vitest';
import { reconcile, searchSubset, type SubsetCandidate } from '../../src/index';
import { sessionWith, type TestRecord } from './engine-fixture';

/** Deterministic pseudo-random numbers (LCG), so the data and the outcome are the same every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const day = (n: number): string => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Processor payouts: each left record is the sum of 2–4 right orders (booked 0–2 days earlier) minus a
 * 0.5 % fee; four payouts a day, so every payout's subset search sees the orders of its neighbours too.
 */
function payouts(count: number): { left: TestRecord[]; right: TestRecord[] } {
  const random = lcg(378);
  const left: TestRecord[] = [];
  const right: TestRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    const payoutDay = Math.floor(i / 4) + 10;
    const size = 2 + (i % 3);
    let sum = 0;
    for (let k = 0; k < size; k += 1) {
      const amount = Math.round(1000 * Math.exp(random() * Math.log(1000)));
      sum += amount;
      right.push({ row: right.length + 1, amount, date: day(payoutDay - Math.floor(random() * 3)) });
    }
    left.push({ row: i + 1, amount: sum - Math.round(sum * 0.005), date: day(payoutDay) });
  }
  return { left, right };
}

describe('bounded subset-sum at scale', () => {
  it('matches 12,000 payouts against 36,000 orders in bounded time and memory', async () => {
    const count = 12_000;
    const { left, right } = payouts(count);
    const session = await sessionWith(left, right);
    try {
      const heapBefore = process.memoryUsage().heapUsed;
      const start = performance.now();
      const stats = await reconcile(
        session,
        {
          version: 1,
          passes: [
            {
              name: 'payout',
              kind: 'one_to_many',
              comparisons: [
                { type: 'amount', tolerance_percent: 1 },
                { type: 'date', min_days: -2, max_days: 0 },
              ],
              group: { max_group_size: 4, date_span_days: 2, max_candidates: 24 },
            },
          ],
        },
        { diagnostics: false },
      );
      const seconds = (performance.now() - start) / 1000;
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      console.log(
        `subset-sum at scale: ${count} targets, ${right.length} candidates: ${stats.matches} matches in ${seconds.toFixed(1)} s, heap +${heapMb.toFixed(0)} MB`,
      );
      // Targets are searched one after another and neighbouring payouts' orders can form a closer group,
      // so not every payout keeps its own (measured: 9,700 of 12,000); the bound below is what is tested.
      expect(stats.matches).toBeGreaterThan(count * 0.75);
      // Every accepted group is within the rule: 1 % of the smaller amount.
      const reader = await session.connection.runAndReadAll(
        `SELECT count(*)::INTEGER FROM recon_match_totals
         WHERE abs(left_amount - right_amount) * 100 > least(abs(left_amount), abs(right_amount))`,
      );
      expect(reader.getRowsJS()[0]?.[0]).toBe(0);
      // Bounded: at most max_candidates candidates per target and a step budget per search. Generous limits
      // for a shared machine (measured: a few seconds and tens of MB).
      expect(seconds).toBeLessThan(120);
      expect(heapMb).toBeLessThan(400);
    } finally {
      session.close();
    }
  }, 300_000);

  it('stops every search at its step budget when no group exists (10,000 adversarial targets)', () => {
    // Even amounts against an odd target: no subset can ever reach it, and nothing prunes early.
    const candidates: SubsetCandidate[] = Array.from({ length: 24 }, (_, i) => ({
      row: i + 1,
      amount: 1000 + 2 * i,
      day: 0,
      counterparty: null,
      score: 1,
    }));
    const budget = 1_000;
    const start = performance.now();
    let maxSteps = 0;
    for (let target = 0; target < 10_000; target += 1) {
      const goal = 4001 + 2 * (target % 500);
      const outcome = searchSubset(goal, candidates, {
        maxGroupSize: 10,
        dateSpanDays: null,
        sameCounterparty: false,
        budget,
        isWithin: (sum) => sum === goal,
        slack: 0,
      });
      expect(outcome.found).toBe(false);
      maxSteps = Math.max(maxSteps, outcome.steps);
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`subset-sum budget: 10000 searches, at most ${maxSteps} steps each, ${seconds.toFixed(1)} s`);
    expect(maxSteps).toBeLessThanOrEqual(budget + 1);
    expect(seconds).toBeLessThan(60);
  });
});
