import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { CurrencyAmount, OutcomeTotals } from '@recon/shared';
import { formatCurrencyAmounts, formatRate } from '../results/money';

/** A figure with its label and, below it, hint lines. */
export function Stat({
  label,
  value,
  hints = [],
}: {
  label: string;
  value: string;
  hints?: readonly string[];
}) {
  return (
    <Paper p="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts="0.04em">
        {label}
      </Text>
      <Text fz={26} fw={650} mt={4} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hints.map((hint) => (
        <Text key={hint} size="xs" c="dimmed">
          {hint}
        </Text>
      ))}
    </Paper>
  );
}

const rate = (value: number | null) => (value === null ? '—' : formatRate(value));

/**
 * The amounts of an outcome per currency, and how many matches have none: their left records differ in
 * currency or scale (or predate matches carrying one), so their amount is in no currency's total and is not
 * shown at all rather than shown wrong.
 */
export function outcomeAmountHints(amounts: readonly CurrencyAmount[], mixedCurrency = 0): string[] {
  const hints = amounts.length > 0 ? [formatCurrencyAmounts(amounts)] : [];
  if (mixedCurrency > 0)
    hints.push(`${mixedCurrency.toLocaleString()} without a single currency, not summed`);
  return hints;
}

/** Match rate, then matched, to review and unmatched with their amounts per currency. */
export function OutcomeStats({ outcomes }: { outcomes: OutcomeTotals }) {
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      <Stat
        label="Match rate"
        value={rate(outcomes.match_rate)}
        hints={[`Auto-matched ${rate(outcomes.auto_match_rate)}`]}
      />
      <Stat
        label="Matched"
        value={outcomes.matched.toLocaleString()}
        hints={outcomeAmountHints(outcomes.matched_amounts, outcomes.matched_mixed_currency)}
      />
      <Stat
        label="To review"
        value={outcomes.suggested.toLocaleString()}
        hints={outcomeAmountHints(outcomes.suggested_amounts, outcomes.suggested_mixed_currency)}
      />
      <Stat
        label="Unmatched"
        value={outcomes.unmatched.toLocaleString()}
        hints={outcomeAmountHints(outcomes.unmatched_amounts)}
      />
    </SimpleGrid>
  );
}
