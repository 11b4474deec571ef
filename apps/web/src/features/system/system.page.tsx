import { Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { ErrorState } from '../../components/error-state';
import { PageHeader } from '../../components/page-header';
import { LiveIndicator } from '../jobs/job-progress';
import type { LiveMetrics } from './system-live';
import { useSystemMetrics } from './system-live';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${String(h)} h ${String(m)} min` : `${String(m)} min`;
}

/** A tiny SVG line of the last samples; no chart library needed for this. */
function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return null;
  const max = Math.max(...values, 1e-9);
  const points = values
    .map(
      (value, index) =>
        `${((index / (values.length - 1)) * 100).toFixed(1)},${(28 - (value / max) * 26).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg
      viewBox="0 0 100 30"
      width="100%"
      height={30}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <polyline points={points} fill="none" stroke="var(--mantine-color-blue-6)" strokeWidth={1.5} />
    </svg>
  );
}

function Metric({
  label,
  value,
  hint,
  series,
}: {
  label: string;
  value: string;
  hint?: string;
  series?: number[];
}) {
  return (
    <Paper p="md" aria-label={label} component="section">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts="0.04em">
        {label}
      </Text>
      <Text fz={24} fw={650} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
      {series && <Sparkline values={series} label={`${label}, recent history`} />}
    </Paper>
  );
}

function Panels({ metrics, history }: { metrics: LiveMetrics; history: LiveMetrics[] }) {
  const jobs = Object.entries(metrics.jobs.by_status);
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Metric
          label="Requests per second"
          value={metrics.http.request_rate_per_second.toFixed(2)}
          hint={`${metrics.http.requests.toLocaleString()} in the last ${String(metrics.http.window_seconds)} s`}
          series={history.map((m) => m.http.request_rate_per_second)}
        />
        <Metric
          label="Latency p95"
          value={`${metrics.http.latency_ms.p95.toFixed(0)} ms`}
          hint={`p50 ${metrics.http.latency_ms.p50.toFixed(0)} ms · p99 ${metrics.http.latency_ms.p99.toFixed(0)} ms`}
          series={history.map((m) => m.http.latency_ms.p95)}
        />
        <Metric
          label="Errors"
          value={`${(metrics.http.error_rate * 100).toFixed(2)}%`}
          hint="Share of 5xx answers"
          series={history.map((m) => m.http.error_rate)}
        />
        <Metric
          label="Memory"
          value={mb(metrics.process.rss_bytes)}
          hint={`Heap ${mb(metrics.process.heap_used_bytes)}`}
          series={history.map((m) => m.process.rss_bytes)}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Metric
          label="Job queue"
          value={metrics.jobs.queue_depth === null ? '—' : String(metrics.jobs.queue_depth)}
          hint="Jobs waiting for a worker"
        />
        <Metric label="WebSocket connections" value={String(metrics.websocket.connections)} />
        <Metric
          label="Database pool"
          value={metrics.db_pool ? `${String(metrics.db_pool.total - metrics.db_pool.idle)} busy` : '—'}
          hint={
            metrics.db_pool
              ? `${String(metrics.db_pool.idle)} idle · ${String(metrics.db_pool.waiting)} waiting`
              : undefined
          }
        />
        <Metric
          label="Uptime"
          value={duration(metrics.uptime_seconds)}
          hint={
            metrics.disk.data_dir_free_bytes === null
              ? undefined
              : `${gb(metrics.disk.data_dir_free_bytes)} free on the data disk`
          }
        />
      </SimpleGrid>
      <Paper p="md">
        <Text fw={600} size="sm" mb="xs">
          Jobs by status
        </Text>
        <Group gap="xs">
          {jobs.length === 0 ? (
            <Text size="sm" c="dimmed">
              No jobs yet.
            </Text>
          ) : (
            jobs.map(([status, count]) => (
              <Badge key={status} variant="light" size="lg" tt="none">
                {status}: {count}
              </Badge>
            ))
          )}
        </Group>
      </Paper>
    </>
  );
}

/** Live health of the server for administrators: traffic, latency, errors, jobs and memory. */
export function SystemPage() {
  const { query, history, isLive } = useSystemMetrics();
  return (
    <>
      <PageHeader
        title="System"
        description="Live figures from the server, pushed every few seconds."
        actions={<LiveIndicator isLive={isLive} />}
      />
      {query.isPending ? (
        <Skeleton h={200} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap="md">
          <Panels metrics={query.data} history={history} />
        </Stack>
      )}
    </>
  );
}
