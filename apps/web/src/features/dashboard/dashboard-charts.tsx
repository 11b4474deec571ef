import { Anchor, Paper, SimpleGrid, Skeleton, Table, Text } from '@mantine/core';
import type { Dashboard, ReconciliationAnalytics } from '@recon/shared';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCurrencyAmounts } from '../results/money';

// Recharts is large; this file is only reached through React.lazy so it never weighs on the first view.

const STATUS_COLORS: Record<string, string> = {
  completed: '#0ca678',
  running: '#1c7ed6',
  queued: '#74c0fc',
  failed: '#e03131',
  cancelled: '#adb5bd',
  draft: '#ced4da',
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

// Older buckets in warmer colours: what has waited longest should catch the eye.
const AGEING_COLORS: Record<string, string> = {
  '0-7': '#74c0fc',
  '8-30': '#fab005',
  '31-90': '#f76707',
  '90+': '#e03131',
};

type Ageing = ReconciliationAnalytics['exception_ageing'];

/** Open exceptions by days waiting (bars), with their amounts per currency in the tooltip and the table. */
function ExceptionAgeing({ ageing, onRetry }: { ageing: Ageing | null | undefined; onRetry: () => void }) {
  const buckets = (ageing ?? []).map((bucket) => ({
    ...bucket,
    label: `${bucket.bucket} days`,
    fill: AGEING_COLORS[bucket.bucket] ?? '#868e96',
  }));
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  return (
    <Paper p="md" aria-label="Exception ageing" component="section">
      <Text fw={600} size="sm" mb="sm">
        Exception ageing
      </Text>
      {ageing === null ? (
        <Text size="sm" c="red" role="alert">
          Exception ageing could not be loaded.{' '}
          <Anchor component="button" size="sm" onClick={onRetry}>
            Try again
          </Anchor>
        </Text>
      ) : ageing === undefined ? (
        <Skeleton h={220} aria-label="Loading exception ageing" />
      ) : total === 0 ? (
        <Text size="sm" c="dimmed">
          No open exceptions.
        </Text>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={buckets} margin={{ left: -20 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip
                formatter={(value, _name, item) => {
                  const amounts = (item.payload as Ageing[number] | undefined)?.amounts ?? [];
                  const count = typeof value === 'number' ? value.toLocaleString() : String(value);
                  return amounts.length > 0 ? `${count} (${formatCurrencyAmounts(amounts)})` : count;
                }}
              />
              <Bar dataKey="count" name="Open exceptions" radius={[4, 4, 0, 0]} />
            </BarChart>
          </ResponsiveContainer>
          <Table fz="xs" mt="xs" aria-label="Open exceptions by age and currency">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Days open</Table.Th>
                <Table.Th ta="right">Count</Table.Th>
                <Table.Th ta="right">Amount (absolute)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {buckets
                .filter((bucket) => bucket.count > 0)
                .map((bucket) => (
                  <Table.Tr key={bucket.bucket}>
                    <Table.Td>{bucket.bucket}</Table.Td>
                    <Table.Td ta="right">{bucket.count.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{formatCurrencyAmounts(bucket.amounts)}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {total.toLocaleString()} open, by days since each record was first seen unmatched (carried-forward
            records keep their age). Amounts are per currency.
          </Text>
        </>
      )}
    </Paper>
  );
}

/** Jobs by status (bars), match rates per day (lines) and exception ageing (bars). */
export default function DashboardCharts({
  dashboard,
  ageing,
  onRetryAgeing,
}: {
  dashboard: Dashboard;
  /** Undefined while it loads, null when it failed. */
  ageing: Ageing | null | undefined;
  onRetryAgeing: () => void;
}) {
  const statuses = Object.entries(dashboard.jobs_by_status).map(([status, count]) => ({
    status,
    count,
    fill: STATUS_COLORS[status] ?? '#868e96',
  }));
  const rates = dashboard.rates_over_time.map((day) => ({
    date: day.date.slice(5),
    match: day.match_rate,
    auto: day.auto_match_rate,
  }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
      <Paper p="md" aria-label="Jobs by status" component="section">
        <Text fw={600} size="sm" mb="sm">
          Jobs by status
        </Text>
        {statuses.length === 0 ? (
          <Text size="sm" c="dimmed">
            No jobs yet.
          </Text>
        ) : (
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={statuses} margin={{ left: -20 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="status" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Bar dataKey="count" name="Jobs" radius={[4, 4, 0, 0]} />
            </BarChart>
          </ResponsiveContainer>
        )}
      </Paper>
      <Paper p="md" aria-label="Match rate over time" component="section">
        <Text fw={600} size="sm" mb="sm">
          Match rate over time
        </Text>
        {rates.length === 0 ? (
          <Text size="sm" c="dimmed">
            Rates appear once a job has finished.
          </Text>
        ) : (
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={rates} margin={{ left: -10 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="date" tick={{ fontSize: 12 }} />
              <YAxis domain={[0, 1]} tickFormatter={percent} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(value) => (typeof value === 'number' ? percent(value) : String(value))} />
              <Line type="monotone" dataKey="match" name="Match rate" stroke="#0ca678" strokeWidth={2} />
              <Line type="monotone" dataKey="auto" name="Auto-matched" stroke="#1c7ed6" strokeWidth={2} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </Paper>
      <ExceptionAgeing ageing={ageing} onRetry={onRetryAgeing} />
    </SimpleGrid>
  );
}
