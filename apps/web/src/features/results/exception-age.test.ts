import { describe, expect, it } from 'vitest';
import { exceptionAge } from './exception-age';

describe('exceptionAge', () => {
  const now = Date.parse('2026-03-11T12:00:00Z');

  it('counts whole days since the record was first seen unmatched', () => {
    expect(exceptionAge('2026-03-11T01:00:00Z', now)).toBe('today');
    expect(exceptionAge('2026-03-10T11:59:59Z', now)).toBe('1 day');
    expect(exceptionAge('2026-03-01T12:00:00Z', now)).toBe('10 days');
  });

  it('says it cannot tell rather than showing NaN for an unreadable time', () => {
    expect(exceptionAge('not a date', now)).toBe('—');
  });
});
