import { describe, expect, it } from 'vitest';
import { readExplanation } from './match-explanation';

describe('readExplanation', () => {
  it('reads comparisons, the runner-up and the margin the engine wrote', () => {
    const explanation = readExplanation({
      comparisons: [{ type: 'amount', label: 'amount', passed: true, score: 1, left: '100', right: '100' }],
      runnerUp: { left: 1, right: 7, score: 0.7 },
      margin: 0.3,
      ambiguous: false,
    });
    expect(explanation).toEqual({
      comparisons: [{ type: 'amount', label: 'amount', passed: true, score: 1, left: '100', right: '100' }],
      runnerUp: { left: 1, right: 7, score: 0.7 },
      margin: 0.3,
      isAmbiguous: false,
    });
  });

  it('accepts a snake_case runner-up', () => {
    expect(
      readExplanation({ comparisons: [], runner_up: { left: 2, right: null, score: 0.5 } })?.runnerUp,
    ).toEqual({
      left: 2,
      right: null,
      score: 0.5,
    });
  });

  it('returns null for something that is not an explanation', () => {
    expect(readExplanation({ comparisons: 'none' })).toBeNull();
  });
});
