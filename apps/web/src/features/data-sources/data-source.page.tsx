import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DataSourceView } from '@recon/shared';
import { hasProjectRole } from '@recon/shared';
import { ArrowLeft, Trash2, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/api';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorState } from '../../components/error-state';
import { useProjectContext } from '../../pages/project.page';
import { DataSourceStatus, formatBytes } from './data-source-status';
import { isIngesting, useDataSource, useRowErrorSummary } from './data-sources.queries';
import { MappingEditor } from './mapping-editor';
import { RawParsedPreview } from './raw-parsed-preview';
import { RowErrorReport } from './row-error-report';

function Stat({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Paper p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts="0.04em">
        {label}
      </Text>
      <Text size="xl" fw={600} mt={4} className="num" ta="left" c={color}>
        {value}
      </Text>
    </Paper>
  );
}

const PHASES: Record<string, string> = {
  read: 'Reading the file',
  write: 'Saving the records',
  done: 'Done',
};

/** Ingestion (first upload or re-reading after a mapping change) with its phase and progress. */
function IngestionProgress({ source }: { source: DataSourceView }) {
  const phase =
    source.status === 'queued' ? 'Waiting for a worker' : (PHASES[source.phase ?? ''] ?? 'Reading');
  return (
    <Paper p="lg" aria-live="polite">
      <Group justify="space-between" mb={6}>
        <Text fw={500}>{phase}</Text>
        <Text size="sm" c="dimmed" className="num">
          {source.progress}%
        </Text>
      </Group>
      <Progress value={source.progress} animated size="lg" aria-label="Ingestion progress" />
      <Text size="sm" c="dimmed" mt="sm">
        The rows, the mapping and the error report appear here when the file has been read.
      </Text>
    </Paper>
  );
}

/** "3 rows could not be read: 2 in Amount, 1 in Date" with a way to the report. */
function ErrorBanner({ source, onOpenReport }: { source: DataSourceView; onOpenReport: () => void }) {
  const summary = useRowErrorSummary(source, (source.error_count ?? 0) > 0);
  const rejected = source.rejected_row_count ?? 0;
  if ((source.error_count ?? 0) === 0 || !summary.data) return null;
  const byColumn = summary.data.by_column
    .slice(0, 4)
    .map((c) => `${c.count.toLocaleString()} in ${c.column}`)
    .join(', ');
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<TriangleAlert size={18} aria-hidden />}
      title={`${rejected.toLocaleString()} ${rejected === 1 ? 'row' : 'rows'} could not be read and ${rejected === 1 ? 'is' : 'are'} left out of matching`}
    >
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {summary.data.total.toLocaleString()} {summary.data.total === 1 ? 'error' : 'errors'}: {byColumn}
          {summary.data.by_column.length > 4 ? ', …' : ''}. Fix the column mapping or the file.
        </Text>
        <Button size="xs" variant="light" color="orange" onClick={onOpenReport}>
          Open the error report
        </Button>
      </Group>
    </Alert>
  );
}

function DeleteButton({ source }: { source: DataSourceView }) {
  const [isOpen, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/data-sources/${encodeURIComponent(source.id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['data-sources', 'list'] });
      notifications.show({ color: 'teal', title: 'Data source deleted', message: source.name });
      void navigate('..', { relative: 'path' });
    },
  });
  return (
    <>
      <Button
        variant="subtle"
        color="red"
        leftSection={<Trash2 size={16} aria-hidden />}
        onClick={() => {
          remove.reset();
          setOpen(true);
        }}
      >
        Delete
      </Button>
      <ConfirmModal
        opened={isOpen}
        title="Delete this data source?"
        message={`${source.name}, its records and its row errors are removed. Jobs that used it must be deleted first.`}
        confirmLabel="Delete"
        danger
        isPending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          remove.mutate();
        }}
        onClose={() => {
          setOpen(false);
        }}
      />
    </>
  );
}

/** One uploaded file: ingestion state, counts, raw and parsed rows, row errors and the column mapping. */
export function DataSourcePage() {
  const { project } = useProjectContext();
  const { dataSourceId = '' } = useParams();
  const source = useDataSource(dataSourceId);
  const [tab, setTab] = useState<string | null>('rows');

  if (source.isPending) return <Skeleton h={240} />;
  if (source.isError) return <ErrorState error={source.error} onRetry={() => void source.refetch()} />;
  const view = source.data;
  const errorCount = view.error_count ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Stack gap={2}>
          <Anchor component={Link} to=".." relative="path" size="sm" c="dimmed">
            <Group gap={4} component="span">
              <ArrowLeft size={14} aria-hidden /> All data sources
            </Group>
          </Anchor>
          <Title order={2} fz={20}>
            {view.name}
          </Title>
        </Stack>
        <Group gap="sm">
          <DataSourceStatus source={view} />
          {hasProjectRole(project.my_role, 'manager') && !isIngesting(view) && <DeleteButton source={view} />}
        </Group>
      </Group>
      {view.failure && (
        <Alert color="red" title="The file could not be read">
          {view.failure.message}
        </Alert>
      )}
      {!isIngesting(view) && (
        <ErrorBanner
          source={view}
          onOpenReport={() => {
            setTab('errors');
          }}
        />
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Stat label="Rows" value={(view.row_count ?? 0).toLocaleString()} />
        <Stat label="Loaded" value={(view.loaded_count ?? 0).toLocaleString()} color="teal.8" />
        <Stat
          label="Row errors"
          value={errorCount.toLocaleString()}
          color={errorCount ? 'red.7' : undefined}
        />
        <Stat label="Format" value={view.format.toUpperCase()} />
        <Stat label="Size" value={formatBytes(view.size_bytes)} />
      </SimpleGrid>
      {isIngesting(view) ? (
        <IngestionProgress source={view} />
      ) : (
        <Paper p="md">
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="rows">Raw and parsed rows</Tabs.Tab>
              <Tabs.Tab value="errors">Row errors ({errorCount.toLocaleString()})</Tabs.Tab>
              <Tabs.Tab value="mapping">Column mapping</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="rows">
              <RawParsedPreview source={view} />
            </Tabs.Panel>
            <Tabs.Panel value="errors">
              <RowErrorReport source={view} />
            </Tabs.Panel>
            <Tabs.Panel value="mapping">
              <MappingEditor
                key={view.updated_at}
                source={view}
                canEdit={hasProjectRole(project.my_role, 'analyst')}
                onSaved={() => {
                  setTab('rows');
                }}
              />
              <Text size="xs" c="dimmed" mt="sm">
                Encoding {view.encoding ?? '—'} · delimiter {JSON.stringify(view.delimiter ?? '')}
              </Text>
            </Tabs.Panel>
          </Tabs>
        </Paper>
      )}
    </Stack>
  );
}
