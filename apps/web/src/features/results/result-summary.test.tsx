import { MantineProvider } from '@mantine/core';
import type { ResultSummary } from '@recon/shared';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { theme } from '../../app/theme';
import { ResultSummaryCards } from './result-summary';

const eur = (count: number, amount: string) => ({ currency: 'EUR', scale: 2, count, amount });
const jpy = (count: number, amount: string) => ({ currency: 'JPY', scale: 0, count, amount });

const summary: ResultSummary = {
  job_id: 'job-1',
  status: 'completed',
  matches: 2,
  match_rate: 4 / 7,
  discrepancies: 0,
  by_tier: { auto: { count: 2 } },
  by_status: { confirmed: { count: 2 } },
  passes: [],
  left: {
    total: { count: 4, amounts: [eur(3, '45050'), jpy(1, '5000')] },
    matched: { count: 2, amounts: [eur(1, '10000'), jpy(1, '5000')] },
    unmatched: { count: 2, amounts: [eur(2, '35050')] },
    match_rate: 0.5,
  },
  right: {
    total: {
      count: 3,
      amounts: [eur(1, '10000'), jpy(1, '5000'), { currency: null, scale: 2, count: 1, amount: '-250' }],
    },
    matched: { count: 2, amounts: [eur(1, '10000'), jpy(1, '5000')] },
    unmatched: { count: 1, amounts: [{ currency: null, scale: 2, count: 1, amount: '-250' }] },
    match_rate: 2 / 3,
  },
};

function renderSummary(value: ResultSummary) {
  render(
    <MantineProvider theme={theme}>
      <ResultSummaryCards summary={value} />
    </MantineProvider>,
  );
  return (name: string) => screen.getByRole('group', { name }).textContent;
}

describe('result summary', () => {
  it('shows each side’s amounts per currency at its own scale, never one sum across currencies', () => {
    const text = renderSummary(summary);
    // 450.50 EUR and 5,000 JPY apart, not "50,050" or "500.50".
    expect(text('Left side Total')).toBe('4450.50 EUR5,000 JPY');
    expect(text('Left side Matched')).toBe('2100.00 EUR5,000 JPY');
    expect(text('Left side Unmatched')).toBe('2350.50 EUR');
    expect(text('Right side Unmatched')).toBe('1\u22122.50 no currency');
  });

  it('shows a dash when a side has no records in that state', () => {
    const text = renderSummary({
      ...summary,
      right: { ...summary.right, unmatched: { count: 0, amounts: [] } },
    });
    expect(text('Right side Unmatched')).toBe('0—');
  });
});
