/**
 * Bounded subset-sum: which candidate records add up to a target amount within tolerance.
 * Iterative deepening by group size (smaller groups first), depth-first inside a size, with sum, date-span
 * and counterparty pruning and a hard step budget, so a bad case stops instead of blowing up exponentially.
 */

/** One candidate member: amount in minor units (same sign as the target), day number, counterparty key. */
export interface SubsetCandidate {
  row: number;
  amount: number;
  day: number | null;
  counterparty: string | null;
  score: number;
}

export interface SubsetLimits {
  maxGroupSize: number;
  dateSpanDays: number | null;
  sameCounterparty: boolean;
  budget: number;
  /** True when `sum` is within tolerance of the target (the rule's exact amount test). */
  isWithin: (sum: number) => boolean;
  /** Largest tolerance possible for this target, used only for pruning. */
  slack: number;
}

export type SubsetOutcome =
  | { found: true; members: SubsetCandidate[]; sum: number; ambiguous: boolean; steps: number }
  | { found: false; reason: string; steps: number };

/** Searches subsets of `candidates` (at most `limits.maxGroupSize` members) summing to `target`. */
export function searchSubset(
  target: number,
  candidates: readonly SubsetCandidate[],
  limits: SubsetLimits,
): SubsetOutcome {
  if (candidates.length === 0)
    return { found: false, reason: 'no candidate records passed the pass comparisons', steps: 0 };
  const sign = target < 0 ? -1 : 1;
  const goal = Math.abs(target);
  const items = [...candidates].sort((x, y) => Math.abs(y.amount) - Math.abs(x.amount) || x.row - y.row);
  const size = items.length;
  const abs = items.map((i) => Math.abs(i.amount));
  const suffix = new Array<number>(size + 1).fill(0);
  for (let i = size - 1; i >= 0; i -= 1) suffix[i] = (suffix[i + 1] ?? 0) + (abs[i] ?? 0);
  // Counters live in one object: they are updated inside the recursive closure.
  const run = { steps: 0, prunedBySpan: 0, prunedByCounterparty: 0, budgetHit: false };
  const isStopped = () => run.budgetHit;
  const upper = goal + limits.slack;
  const lower = goal - limits.slack;
  const chosen: number[] = [];

  for (let k = 1; k <= Math.min(limits.maxGroupSize, size); k += 1) {
    const state: { best: number[] | null; bestDiff: number; ties: number } = {
      best: null,
      bestDiff: Infinity,
      ties: 0,
    };
    const visit = (
      start: number,
      sum: number,
      minDay: number,
      maxDay: number,
      party: string | null,
    ): void => {
      if (run.budgetHit) return;
      if (chosen.length === k) {
        if (!limits.isWithin(sign * sum)) return;
        const diff = Math.abs(sum - goal);
        if (diff < state.bestDiff) {
          state.bestDiff = diff;
          state.best = [...chosen];
          state.ties = 0;
        } else if (diff === state.bestDiff) state.ties += 1;
        return;
      }
      const need = k - chosen.length;
      for (let i = start; i <= size - need; i += 1) {
        if (isStopped()) return;
        run.steps += 1;
        if (run.steps > limits.budget) {
          run.budgetHit = true;
          return;
        }
        const amount = abs[i] ?? 0;
        if (sum + amount > upper) continue; // items are sorted descending: later ones may still fit
        if (sum + (suffix[i] ?? 0) < lower) return; // even all remaining cannot reach the target
        const item = items[i];
        if (!item) continue;
        let nextMin = minDay;
        let nextMax = maxDay;
        if (limits.dateSpanDays !== null && item.day !== null) {
          nextMin = Math.min(minDay, item.day);
          nextMax = Math.max(maxDay, item.day);
          if (nextMax - nextMin > limits.dateSpanDays) {
            run.prunedBySpan += 1;
            continue;
          }
        }
        if (limits.sameCounterparty && party !== null && item.counterparty !== party) {
          run.prunedByCounterparty += 1;
          continue;
        }
        chosen.push(i);
        visit(i + 1, sum + amount, nextMin, nextMax, party ?? item.counterparty);
        chosen.pop();
      }
    };
    visit(0, 0, Infinity, -Infinity, null);
    const found = state.best;
    if (found !== null) {
      const members = found.flatMap((i) => (items[i] ? [items[i]] : []));
      const sum = members.reduce((total, m) => total + m.amount, 0);
      return { found: true, members, sum, ambiguous: state.ties > 0, steps: run.steps };
    }
    if (run.budgetHit) break;
  }
  if (run.budgetHit)
    return {
      found: false,
      reason: `search budget of ${limits.budget} steps exhausted before a group was found`,
      steps: run.steps,
    };
  const notes: string[] = [];
  if (run.prunedBySpan > 0)
    notes.push(`date span over ${limits.dateSpanDays} days ruled out ${run.prunedBySpan} combinations`);
  if (run.prunedByCounterparty > 0)
    notes.push(`different counterparties ruled out ${run.prunedByCounterparty} combinations`);
  const base = `no group of at most ${limits.maxGroupSize} of ${size} candidates sums within tolerance`;
  return {
    found: false,
    reason: notes.length > 0 ? `${base} (${notes.join('; ')})` : base,
    steps: run.steps,
  };
}
