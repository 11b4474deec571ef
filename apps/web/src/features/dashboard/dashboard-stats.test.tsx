import { MantineProvider } from '@mantine/core';
import type { OutcomeTotals } from '@recon/shared';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { theme } from '../../app/theme';
import { OutcomeStats } from './dashboard-stats';

const outcomes: OutcomeTotals = {
  matched: 5,
  matched_amounts: [
    { currency: 'EUR', scale: 2, count: 2, amount: '350000' },
    { currency: 'JPY', scale: 0, count: 2, amount: '5300' },
  ],
  matched_mixed_currency: 1,
  suggested: 1,
  suggested_amounts: [{ currency: 'KWD', scale: 3, count: 1, amount: '-80500' }],
  suggested_mixed_currency: 0,
  unmatched: 3,
  unmatched_amounts: [
    { currency: 'EUR', scale: 2, count: 1, amount: '1200' },
    { currency: null, scale: 2, count: 2, amount: '4090' },
  ],
  match_rate: 0.6111,
  auto_match_rate: null,
};

function renderStats(value: OutcomeTotals) {
  render(
    <MantineProvider theme={theme}>
      <OutcomeStats outcomes={value} />
    </MantineProvider>,
  );
  const text = (name: string) => screen.getByRole('group', { name }).textContent;
  return text;
}

describe('outcome stats', () => {
  it('shows each currency’s amount with its own scale, never one sum across currencies', () => {
    const text = renderStats(outcomes);
    // 3,500.00 EUR and 5,300 JPY side by side, not "8,800" or "3,553.00".
    expect(text('Matched')).toBe('Matched53,500.00 EUR · 5,300 JPY1 without a single currency, not summed');
    expect(text('To review')).toBe('To review1\u221280.500 KWD');
    expect(text('Unmatched')).toBe('Unmatched312.00 EUR · 40.90 no currency');
    expect(text('Match rate')).toBe('Match rate61.1%Auto-matched —');
  });

  it('shows counts alone when nothing can be summed', () => {
    const text = renderStats({
      ...outcomes,
      matched: 2,
      matched_amounts: [],
      matched_mixed_currency: 2,
      suggested: 0,
      suggested_amounts: [],
      unmatched: 0,
      unmatched_amounts: [],
    });
    expect(text('Matched')).toBe('Matched22 without a single currency, not summed');
    expect(text('To review')).toBe('To review0');
    expect(text('Unmatched')).toBe('Unmatched0');
  });
});
