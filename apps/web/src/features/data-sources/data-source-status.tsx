import { Badge, Group, Progress, Text } from '@mantine/core';
import type { DataSourceView } from '@recon/shared';

const STATUS: Record<DataSourceView['status'], { color: string; label: string }> = {
  queued: { color: 'gray', label: 'Queued' },
  ingesting: { color: 'blue', label: 'Reading' },
  ready: { color: 'teal', label: 'Ready' },
  failed: { color: 'red', label: 'Failed' },
};

/** Ingestion state as a badge, with a progress bar while the server reads the file. */
export function DataSourceStatus({
  source,
}: {
  source: Pick<DataSourceView, 'status' | 'progress' | 'phase'>;
}) {
  const { color, label } = STATUS[source.status];
  const badge = (
    <Badge variant="dot" color={color} radius="sm" fw={500} tt="none">
      {label}
    </Badge>
  );
  if (source.status !== 'ingesting' && source.status !== 'queued') return badge;
  return (
    <Group gap="xs" wrap="nowrap">
      {badge}
      <Progress
        value={source.progress}
        w={80}
        size="sm"
        animated
        aria-label={`Ingestion ${source.progress}%`}
      />
      <Text size="xs" c="dimmed" ff="monospace">
        {source.phase ?? ''}
      </Text>
    </Group>
  );
}

/** A byte count for people: 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'GB'}`;
}
