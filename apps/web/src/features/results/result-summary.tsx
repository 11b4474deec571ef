import { Group, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { formatCurrencyAmounts, formatRate } from './money';
import type { ResultSummary, SideSummary } from './results.queries';

function Stat({
  label,
  value,
  hint,
  color,
}: {
  label: string;
  value: string;
  hint?: string;
  color?: string;
}) {
  return (
    <Paper p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts="0.04em">
        {label}
      </Text>
      <Text className="recon-stat-value" mt={4} c={color}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed" mt={2}>
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function SideCard({ title, side }: { title: string; side: SideSummary }) {
  return (
    <Paper p="md" role="group" aria-label={title}>
      <Group justify="space-between" mb={6}>
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Text size="sm" fw={600} c="teal.8">
          {formatRate(side.match_rate)} matched
        </Text>
      </Group>
      <Progress.Root size="lg" aria-label={`${title} matched share`}>
        <Progress.Section value={side.match_rate * 100} color="teal" />
        <Progress.Section value={100 - side.match_rate * 100} color="orange.4" />
      </Progress.Root>
      <Stack gap={2} mt="sm">
        {(
          [
            ['Total', side.total],
            ['Matched', side.matched],
            ['Unmatched', side.unmatched],
          ] as const
        ).map(([label, tally]) => (
          <Group key={label} justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Group gap="lg" wrap="nowrap" align="flex-start" role="group" aria-label={`${title} ${label}`}>
              <Text size="sm" className="num" w={70}>
                {tally.count.toLocaleString()}
              </Text>
              {/* Each currency at its own scale, on a line of its own: never one sum across currencies. */}
              <Stack gap={0} miw={140}>
                {tally.amounts.length === 0 ? (
                  <Text size="sm" className="num" fw={500}>
                    —
                  </Text>
                ) : (
                  tally.amounts.map((amount) => (
                    <Text
                      key={`${amount.currency ?? ''}:${String(amount.scale)}`}
                      size="sm"
                      className="num"
                      fw={500}
                    >
                      {formatCurrencyAmounts([amount])}
                    </Text>
                  ))
                )}
              </Stack>
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

/** The job's totals: match rate, tiers, and per side counts and amounts per currency. */
export function ResultSummaryCards({ summary }: { summary: ResultSummary }) {
  const count = (record: Record<string, { count: number }>, key: string) => record[key]?.count ?? 0;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Stat label="Match rate" value={formatRate(summary.match_rate)} color="teal.8" />
        <Stat label="Auto-matched" value={count(summary.by_tier, 'auto').toLocaleString()} />
        <Stat
          label="To review"
          value={count(summary.by_status, 'suggested').toLocaleString()}
          color={count(summary.by_status, 'suggested') ? 'yellow.8' : undefined}
          hint="Suggested matches"
        />
        <Stat
          label="Unmatched"
          value={(summary.left.unmatched.count + summary.right.unmatched.count).toLocaleString()}
          color={summary.left.unmatched.count + summary.right.unmatched.count ? 'orange.8' : undefined}
          hint={`${summary.left.unmatched.count} left · ${summary.right.unmatched.count} right`}
        />
        <Stat
          label="Discrepancies"
          value={summary.discrepancies.toLocaleString()}
          color={summary.discrepancies ? 'red.7' : undefined}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <SideCard title="Left side" side={summary.left} />
        <SideCard title="Right side" side={summary.right} />
      </SimpleGrid>
    </Stack>
  );
}
