import { Alert, Badge, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { DryRunResult } from '@recon/shared';
import { ErrorAlert } from '../../../components/error-alert';

const count = (n: number) => n.toLocaleString('en-GB');
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

interface DryRunCountsProps {
  result: DryRunResult | undefined;
  isPending: boolean;
  error: unknown;
  /** The rules changed after this run: the counts describe the previous rules. */
  isStale: boolean;
}

interface CountsRow {
  key: string;
  name: string;
  counts: number[];
  isTotal?: boolean;
}

/** A small table of a name and right-aligned counts per row. */
function CountsTable({ label, head, rows }: { label: string; head: string[]; rows: CountsRow[] }) {
  return (
    <Table fz="xs" withRowBorders={false} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {head.map((title, i) => (
            <Table.Th key={title} ta={i === 0 ? undefined : 'right'}>
              {title}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key} fw={row.isTotal ? 600 : undefined}>
            <Table.Td>{row.name}</Table.Td>
            {row.counts.map((n, i) => (
              <Table.Td key={head[i + 1] ?? i} ta="right">
                {count(n)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** What the rules would match, per pass and tier, before anything is saved. */
export function DryRunCounts({ result, isPending, error, isStale }: DryRunCountsProps) {
  if (isPending) return <Skeleton h={160} aria-label="Running the dry run" />;
  if (error !== null && error !== undefined) return <ErrorAlert error={error} title="The dry run failed" />;
  if (result === undefined) {
    return (
      <Text size="sm" c="dimmed">
        Choose both data sources and press “Dry run” to see what these rules would match. Nothing is saved.
      </Text>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" role="region" aria-label="Dry run counts">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text fw={600} size="sm">
            Match rate {percent(result.match_rate)}
          </Text>
          <Text size="xs" c="dimmed">
            {count(result.elapsed_ms)} ms
          </Text>
        </Group>
        {isStale && (
          <Badge color="yellow" variant="light">
            Rules changed since this run
          </Badge>
        )}
        {result.sampled && (
          <Alert color="blue" variant="light" p="xs">
            <Text size="xs">
              Sample: the first {count(result.sample_limit)} records of each side (left{' '}
              {count(result.left.records)} of {count(result.left.available)}, right{' '}
              {count(result.right.records)} of {count(result.right.available)}).
            </Text>
          </Alert>
        )}
        <CountsTable
          label="Matches per pass"
          head={['Pass', 'Matches', 'Auto', 'Suggested']}
          rows={[
            ...result.passes.map((pass) => ({
              key: `${String(pass.index)}-${pass.name}`,
              name: `${String(pass.index + 1)}. ${pass.name}`,
              counts: [pass.matches, pass.auto, pass.suggested],
            })),
            {
              key: 'all',
              name: 'All passes',
              counts: [result.matches, result.auto, result.suggested],
              isTotal: true,
            },
          ]}
        />
        <CountsTable
          label="Records per side"
          head={['Side', 'Records', 'Matched', 'Unmatched']}
          rows={(['left', 'right'] as const).map((side) => ({
            key: side,
            name: side === 'left' ? 'Left' : 'Right',
            counts: [result[side].records, result[side].matched, result[side].unmatched],
          }))}
        />
      </Stack>
    </Paper>
  );
}
