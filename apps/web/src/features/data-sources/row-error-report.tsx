import { Button, Group, Select, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { DataSourceView } from '@recon/shared';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../components/error-state';
import { TableScroll } from '../../components/table-scroll';
import {
  rowErrorsCsvUrl,
  useRowErrorSummary,
  useRowErrors,
  type RowErrorFilter,
} from './data-sources.queries';
import { errorPager, type ErrorPager } from './row-error-pager';

const PAGE_SIZE = 50;

/**
 * Every row error of a data source: a keyset-paged table (row, column, raw value, code, message), filters
 * by code and column from the server's summary, and the same selection as a CSV download.
 */
export function RowErrorReport({ source }: { source: DataSourceView }) {
  const isEnabled = source.status === 'ready' || source.status === 'failed';
  const [filter, setFilter] = useState<RowErrorFilter>({});
  const [pager, setPager] = useState<ErrorPager>(errorPager.first());
  const summary = useRowErrorSummary(source, isEnabled);
  const page = useRowErrors(source, filter, errorPager.after(pager), PAGE_SIZE, isEnabled);
  const changeFilter = (next: RowErrorFilter) => {
    setFilter(next);
    setPager(errorPager.first());
  };

  if (summary.isPending || page.isPending) return <Skeleton h={120} />;
  if (summary.isError) return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  if (page.isError) return <ErrorState error={page.error} onRetry={() => void page.refetch()} />;
  if (summary.data.total === 0) return <Text c="dimmed">Every row was read without an error.</Text>;
  const { items, total, next_after: nextAfter } = page.data;
  const first = errorPager.offset(pager) + 1;

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <Select
          label="Error code"
          placeholder="All codes"
          clearable
          w={260}
          data={summary.data.by_code.map((c) => ({
            value: c.code,
            label: `${c.code} (${c.count.toLocaleString()})`,
          }))}
          value={filter.code ?? null}
          onChange={(code) => {
            changeFilter({ ...filter, code: code ?? undefined });
          }}
        />
        <Select
          label="Column"
          placeholder="All columns"
          clearable
          w={260}
          data={summary.data.by_column.map((c) => ({
            value: c.column,
            label: `${c.column} (${c.count.toLocaleString()})`,
          }))}
          value={filter.column ?? null}
          onChange={(column) => {
            changeFilter({ ...filter, column: column ?? undefined });
          }}
        />
        <Button
          component="a"
          href={rowErrorsCsvUrl(source.id, filter)}
          download
          variant="default"
          leftSection={<Download size={16} aria-hidden />}
        >
          Download CSV
        </Button>
      </Group>
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0
          ? 'No errors match these filters.'
          : `Errors ${first.toLocaleString()}–${(first + items.length - 1).toLocaleString()} of ${total.toLocaleString()}${
              total === summary.data.total ? '' : ` (filtered from ${summary.data.total.toLocaleString()})`
            }. Rows with an error are left out of matching.`}
      </Text>
      {items.length > 0 && (
        <TableScroll minWidth={760}>
          <Table className="recon-table" aria-label="Row errors" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th className="num" w={70}>
                  Row
                </Table.Th>
                <Table.Th>Column</Table.Th>
                <Table.Th>Value in the file</Table.Th>
                <Table.Th>Code</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((error) => (
                <Table.Tr key={error.seq}>
                  <Table.Td className="num">{error.row}</Table.Td>
                  <Table.Td>{error.column}</Table.Td>
                  <Table.Td ff="monospace" fz="sm">
                    {error.raw ?? (
                      <Text span c="dimmed" size="sm">
                        (empty)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {error.code}
                  </Table.Td>
                  <Table.Td fz="sm">{error.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <Group justify="flex-end" gap="xs">
        <Button
          variant="default"
          size="xs"
          disabled={!errorPager.hasPrevious(pager)}
          onClick={() => {
            setPager(errorPager.previous(pager));
          }}
        >
          Previous
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={nextAfter === null || page.isPlaceholderData}
          onClick={() => {
            if (nextAfter !== null) setPager(errorPager.next(pager, nextAfter, items.length));
          }}
        >
          Next
        </Button>
      </Group>
    </Stack>
  );
}
