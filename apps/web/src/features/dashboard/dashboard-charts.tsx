import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { Dashboard } from '@recon/shared';
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

/** Jobs by status (bars) and match rates per day (lines). */
export default function DashboardCharts({ dashboard }: { dashboard: Dashboard }) {
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
    <SimpleGrid cols={{ base: 1, md: 2 }}>
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
    </SimpleGrid>
  );
}
