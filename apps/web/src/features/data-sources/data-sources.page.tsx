import { Anchor, EmptyState, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { hasProjectRole } from '@recon/shared';
import { FileSpreadsheet } from 'lucide-react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../components/format';
import { TableScroll } from '../../components/table-scroll';
import { useProjectContext } from '../../pages/project.page';
import { DataSourceStatus, formatBytes } from './data-source-status';
import { useDataSources } from './data-sources.queries';
import { UploadDropzone } from './upload-dropzone';

function count(value: number | null): string {
  return value === null ? '—' : value.toLocaleString();
}

/** A project's files: upload by drag and drop, then watch each one being read. */
export function DataSourcesPage() {
  const { project } = useProjectContext();
  const sources = useDataSources(project.id);
  const canUpload = hasProjectRole(project.my_role, 'analyst');

  return (
    <Stack gap="lg">
      {canUpload && <UploadDropzone projectId={project.id} />}
      <Paper className="recon-table-card">
        {sources.isPending ? (
          <Stack p="md" gap="sm" aria-label="Loading data sources">
            <Skeleton h={28} />
            <Skeleton h={28} />
          </Stack>
        ) : sources.isError ? (
          <ErrorState error={sources.error} onRetry={() => void sources.refetch()} />
        ) : sources.data.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<FileSpreadsheet size={22} aria-hidden />}
            title="No files yet"
            description="Upload the two sides you want to reconcile, for example a bank statement and a ledger export."
          />
        ) : (
          <TableScroll minWidth={760}>
            <Table className="recon-table" aria-label="Data sources" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th w={220}>Status</Table.Th>
                  <Table.Th className="num">Rows</Table.Th>
                  <Table.Th className="num">Loaded</Table.Th>
                  <Table.Th className="num">Errors</Table.Th>
                  <Table.Th className="num">Size</Table.Th>
                  <Table.Th className="num">Uploaded</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sources.data.map((source) => (
                  <Table.Tr key={source.id}>
                    <Table.Td>
                      <Anchor component={Link} to={source.id} fw={500} size="sm">
                        {source.name}
                      </Anchor>
                      <Text size="xs" c="dimmed" tt="uppercase">
                        {source.format}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DataSourceStatus source={source} />
                    </Table.Td>
                    <Table.Td className="num">{count(source.row_count)}</Table.Td>
                    <Table.Td className="num">{count(source.loaded_count)}</Table.Td>
                    <Table.Td className="num">
                      <Text span size="sm" c={source.error_count ? 'red.7' : undefined}>
                        {count(source.error_count)}
                      </Text>
                    </Table.Td>
                    <Table.Td className="num">{formatBytes(source.size_bytes)}</Table.Td>
                    <Table.Td className="num">{formatDateTime(source.created_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Paper>
    </Stack>
  );
}
