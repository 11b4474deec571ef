import type { CurrencyAmount } from '@recon/shared';
import { formatMinor } from '../results/money';

/**
 * "1,250.00 EUR · 80.000 KWD": each currency with its own scale, never added across currencies. Kept out of
 * the charts' file so the stats above them can use it without loading Recharts.
 */
export function formatCurrencyAmounts(amounts: readonly CurrencyAmount[]): string {
  return amounts
    .map((entry) => formatMinor(entry.amount, entry.scale, entry.currency ?? 'no currency'))
    .join(' · ');
}
