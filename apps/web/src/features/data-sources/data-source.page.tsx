import {
  Alert,
  Anchor,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import type { DataSourceView, RecordView } from '@recon/shared';
import { hasProjectRole } from '@recon/shared';
import { ArrowLeft } from 'lucide-react';
import { Link, useParams } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { TableScroll } from '../../components/table-scroll';
import { useProjectContext } from '../../pages/project.page';
import { formatMinor } from '../results/money';
import { DataSourceStatus, formatBytes } from './data-source-status';
import { isIngesting, usePreview, useDataSource, useRowErrors } from './data-sources.queries';
import { MappingEditor } from './mapping-editor';

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

function extraText(record: RecordView): string {
  return Object.entries(record.extra)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function ParsedRows({ source }: { source: DataSourceView }) {
  const preview = usePreview(source.id, source.status === 'ready');
  if (preview.isPending) return <Skeleton h={160} />;
  if (preview.isError) return <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />;
  if (preview.data.records.length === 0) return <Text c="dimmed">No rows were loaded.</Text>;
  return (
    <TableScroll minWidth={900}>
      <Table className="recon-table" aria-label="Parsed rows" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th className="num" w={60}>
              Row
            </Table.Th>
            <Table.Th>Booking date</Table.Th>
            <Table.Th>Reference</Table.Th>
            <Table.Th>Counterparty</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th className="num">Amount</Table.Th>
            <Table.Th>Currency</Table.Th>
            <Table.Th>Other columns</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.data.records.map((record) => (
            <Table.Tr key={record.row}>
              <Table.Td className="num">{record.row}</Table.Td>
              <Table.Td>{record.booking_date ?? '—'}</Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {record.reference ?? '—'}
              </Table.Td>
              <Table.Td>{record.counterparty ?? '—'}</Table.Td>
              <Table.Td>{record.description ?? '—'}</Table.Td>
              <Table.Td className="num" fw={500}>
                {formatMinor(record.amount_minor, record.scale)}
              </Table.Td>
              <Table.Td>{record.currency ?? '—'}</Table.Td>
              <Table.Td fz="xs" c="dimmed">
                {extraText(record)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}

function RowErrors({ source }: { source: DataSourceView }) {
  const errors = useRowErrors(source.id, source.status === 'ready' || source.status === 'failed');
  if (errors.isPending) return <Skeleton h={120} />;
  if (errors.isError) return <ErrorState error={errors.error} onRetry={() => void errors.refetch()} />;
  if (errors.data.items.length === 0) return <Text c="dimmed">Every row was read without an error.</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {errors.data.total.toLocaleString()} rows could not be read; they are left out of matching.
      </Text>
      <TableScroll minWidth={720}>
        <Table className="recon-table" aria-label="Row errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th className="num" w={60}>
                Row
              </Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Value in the file</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.data.items.map((error) => (
              <Table.Tr key={error.seq}>
                <Table.Td className="num">{error.row}</Table.Td>
                <Table.Td>{error.column}</Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {error.raw ?? '(empty)'}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{error.message}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {error.code}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}

/** One uploaded file: ingestion state, counts, parsed rows, row errors and the column mapping. */
export function DataSourcePage() {
  const { project } = useProjectContext();
  const { dataSourceId = '' } = useParams();
  const source = useDataSource(dataSourceId);

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
        <DataSourceStatus source={view} />
      </Group>
      {view.failure && (
        <Alert color="red" title="The file could not be read">
          {view.failure.message}
        </Alert>
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
        <Paper p="lg">
          <Text c="dimmed">The file is being read ({view.progress}%). Rows appear here when it is done.</Text>
        </Paper>
      ) : (
        <Paper p="md">
          <Tabs defaultValue="rows" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="rows">Parsed rows</Tabs.Tab>
              <Tabs.Tab value="errors">Row errors ({errorCount.toLocaleString()})</Tabs.Tab>
              <Tabs.Tab value="mapping">Column mapping</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="rows">
              <ParsedRows source={view} />
            </Tabs.Panel>
            <Tabs.Panel value="errors">
              <RowErrors source={view} />
            </Tabs.Panel>
            <Tabs.Panel value="mapping">
              <MappingEditor
                key={view.updated_at}
                source={view}
                canEdit={hasProjectRole(project.my_role, 'manager')}
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
