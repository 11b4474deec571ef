import { describe, expect, it } from 'vitest';
import { assignGreedy, searchSubset, type SubsetCandidate, type SubsetLimits } from '../../src/index';

const candidate = (
  row: number,
  amount: number,
  day: number | null = 0,
  counterparty: string | null = null,
): SubsetCandidate => ({
  row,
  amount,
  day,
  counterparty,
  score: 1,
});
const limits = (overrides: Partial<SubsetLimits> = {}): SubsetLimits => ({
  maxGroupSize: 5,
  dateSpanDays: null,
  sameCounterparty: false,
  budget: 100_000,
  isWithin: (sum) => sum === 1000,
  slack: 0,
  ...overrides,
});

describe('searchSubset', () => {
  it('finds the smallest group that sums to the target', () => {
    const outcome = searchSubset(
      1000,
      [candidate(1, 500), candidate(2, 300), candidate(3, 200), candidate(4, 700)],
      limits(),
    );
    expect(outcome.found && outcome.members.map((m) => m.row).sort()).toEqual([2, 4]);
  });

  it('flags a tie between equally good groups of the same size as ambiguous', () => {
    const outcome = searchSubset(
      1000,
      [candidate(1, 600), candidate(2, 400), candidate(3, 600), candidate(4, 400)],
      limits(),
    );
    expect(outcome.found && outcome.ambiguous).toBe(true);
  });

  it('explains which constraint ruled the group out', () => {
    const outcome = searchSubset(
      1000,
      [candidate(1, 500, 0), candidate(2, 500, 9)],
      limits({ dateSpanDays: 3 }),
    );
    expect(outcome).toMatchObject({
      found: false,
      reason: expect.stringMatching(/date span over 3 days ruled out/),
    });
    const parties = searchSubset(
      1000,
      [candidate(1, 500, 0, 'a'), candidate(2, 500, 0, 'b')],
      limits({ sameCounterparty: true }),
    );
    expect(parties).toMatchObject({
      found: false,
      reason: expect.stringMatching(/different counterparties/),
    });
  });

  it('stops at the step budget instead of searching exponentially', () => {
    const many = Array.from({ length: 60 }, (_, i) => candidate(i + 1, 1000 + i * 7));
    const outcome = searchSubset(
      999_999,
      many,
      limits({ maxGroupSize: 30, budget: 5000, isWithin: () => false, slack: 10_000_000 }),
    );
    expect(outcome).toMatchObject({
      found: false,
      reason: expect.stringMatching(/budget of 5000 steps exhausted/),
    });
    expect(outcome.steps).toBeLessThanOrEqual(5001);
  });

  it('works for negative targets (refunds) with same-sign members', () => {
    const outcome = searchSubset(
      -1000,
      [candidate(1, -600), candidate(2, -400)],
      limits({ isWithin: (s) => s === -1000 }),
    );
    expect(outcome.found && outcome.sum).toBe(-1000);
  });
});

describe('assignGreedy', () => {
  it('accepts best-first and reports the best alternative that was still free', () => {
    // l1-r1 0.9 beats l2-r1 0.8; l2 then takes r2 (0.7); its runner-up l2-r1 was taken, so none remains.
    const accepted = assignGreedy({
      left: Float64Array.from([1, 2, 2]),
      right: Float64Array.from([1, 1, 2]),
      score: Float64Array.from([0.9, 0.8, 0.7]),
    });
    expect(accepted).toEqual([
      { index: 0, runnerUp: 1 },
      { index: 2, runnerUp: -1 },
    ]);
  });
});
