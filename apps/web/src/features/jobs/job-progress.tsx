import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { Radio } from 'lucide-react';
import type { JobView } from '@recon/shared';

const STATUS: Record<JobView['status'], { color: string; label: string }> = {
  draft: { color: 'gray', label: 'Draft' },
  queued: { color: 'gray', label: 'Queued' },
  running: { color: 'blue', label: 'Running' },
  completed: { color: 'teal', label: 'Completed' },
  failed: { color: 'red', label: 'Failed' },
  cancelled: { color: 'yellow', label: 'Cancelled' },
};

/** A job's state as a coloured dot badge. */
export function JobStatusBadge({ status }: { status: JobView['status'] }) {
  const { color, label } = STATUS[status];
  return (
    <Badge variant="dot" color={color} radius="sm" fw={500} tt="none">
      {label}
    </Badge>
  );
}

/** Seconds as "2 min 5 s" / "12 s". */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The live bar of a queued or running job: percent, phase and time left. */
export function JobProgress({
  job,
}: {
  job: Pick<JobView, 'status' | 'progress' | 'phase' | 'eta_seconds'>;
}) {
  const isRunning = job.status === 'running' || job.status === 'queued';
  if (!isRunning) return null;
  return (
    <Stack gap={4} miw={220} aria-live="polite">
      <Progress
        value={job.status === 'queued' ? 0 : job.progress}
        size="md"
        animated
        striped={job.status === 'queued'}
        aria-label={`Job progress ${job.progress}%`}
      />
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {job.status === 'queued' ? 'Waiting for a worker' : `${job.phase ?? 'Working'} · ${job.progress}%`}
        </Text>
        {job.eta_seconds !== null && job.status === 'running' && (
          <Text size="xs" c="dimmed" className="num">
            about {formatEta(job.eta_seconds)} left
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** Live connection state, so people know whether bars move by themselves. */
export function LiveIndicator({ isLive }: { isLive: boolean }) {
  return (
    <Tooltip label={isLive ? 'Progress arrives live' : 'Reconnecting; checking every 2 seconds'}>
      <Group gap={4} c={isLive ? 'teal.7' : 'dimmed'}>
        <Radio size={14} aria-hidden />
        <Text size="xs">{isLive ? 'Live' : 'Polling'}</Text>
      </Group>
    </Tooltip>
  );
}
