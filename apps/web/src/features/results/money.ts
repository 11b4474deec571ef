import type { CurrencyAmount } from '@recon/shared';

/**
 * Integer minor units (a decimal string, as on the wire) shown with `scale` decimals and grouped
 * thousands. BigInt keeps amounts past 2^53 exact; no float ever touches the digits.
 */
export function formatMinor(amountMinor: string, scale = 2, currency?: string | null): string {
  if (!/^-?\d+$/.test(amountMinor)) return amountMinor;
  const value = BigInt(amountMinor);
  const isNegative = value < 0n;
  const digits = (isNegative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // U+2212 minus lines up with digits in tabular figures, unlike a hyphen.
  const text = `${isNegative ? '\u2212' : ''}${grouped}${fraction}`;
  return currency ? `${text} ${currency}` : text;
}

/** A ratio 0–1 as a percentage with one decimal. */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/**
 * "1,250.00 EUR · 80.000 KWD": each currency with its own scale, never added across currencies. Free of
 * chart code, so stats and summaries can use it without loading Recharts.
 */
export function formatCurrencyAmounts(amounts: readonly CurrencyAmount[]): string {
  return amounts
    .map((entry) => formatMinor(entry.amount, entry.scale, entry.currency ?? 'no currency'))
    .join(' · ');
}
