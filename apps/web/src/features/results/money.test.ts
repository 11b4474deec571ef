import { describe, expect, it } from 'vitest';
import { formatCurrencyAmounts, formatMinor, formatRate } from './money';

describe('formatMinor', () => {
  it('places the decimal point by scale and groups thousands', () => {
    expect(formatMinor('123456789', 2)).toBe('1,234,567.89');
  });

  it('pads small amounts with leading zeros', () => {
    expect(formatMinor('5', 2)).toBe('0.05');
  });

  it('shows negatives with a typographic minus and keeps the currency', () => {
    expect(formatMinor('-30050', 2, 'EUR')).toBe('\u2212300.50 EUR');
  });

  it('stays exact beyond the float range', () => {
    expect(formatMinor('900719925474099312', 2)).toBe('9,007,199,254,740,993.12');
  });

  it('handles zero-decimal currencies', () => {
    expect(formatMinor('1500', 0)).toBe('1,500');
  });

  it('returns unreadable input unchanged rather than guessing', () => {
    expect(formatMinor('12.5', 2)).toBe('12.5');
  });
});

describe('formatRate', () => {
  it('shows a ratio as a percentage', () => {
    expect(formatRate(0.756)).toBe('75.6%');
  });
});

describe('formatCurrencyAmounts', () => {
  it('shows each currency at its own scale, never added together', () => {
    expect(
      formatCurrencyAmounts([
        { currency: 'EUR', scale: 2, count: 2, amount: '125000' },
        { currency: 'JPY', scale: 0, count: 1, amount: '5000' },
        { currency: null, scale: 2, count: 1, amount: '-75' },
      ]),
    ).toBe('1,250.00 EUR · 5,000 JPY · \u22120.75 no currency');
  });
});
