import { describe, expect, it } from 'vitest';
import { HISTORY, pushSample } from './system-live';

describe('pushSample', () => {
  it('keeps the newest samples and drops the oldest past the limit', () => {
    let history: number[] = [];
    for (let i = 0; i < HISTORY + 5; i += 1) history = pushSample(history, i);
    expect(history).toHaveLength(HISTORY);
    expect(history[0]).toBe(5);
    expect(history.at(-1)).toBe(HISTORY + 4);
  });
});
