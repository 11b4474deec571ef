import { Badge, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { DataSourceView, RecordView } from '@recon/shared';
import { ErrorState } from '../../components/error-state';
import { TableScroll } from '../../components/table-scroll';
import { usePreview } from './data-sources.queries';
import { sideBySide, type SideBySideRow } from './preview-rows';
import { recordColumnCount, RecordCells, RecordHeads } from './record-cells';

const BANK_FORMATS = new Set(['camt', 'mt940', 'ofx', 'qif', 'bai2']);
// A stronger rule where the raw side ends and the parsed side begins.
const SPLIT = { borderLeft: '2px solid var(--mantine-color-gray-5)' } as const;

function ParsedCells({ row }: { row: SideBySideRow }) {
  const record: RecordView | null = row.record;
  if (record === null) {
    return (
      <Table.Td colSpan={recordColumnCount()} style={SPLIT}>
        <Text size="sm" c="red.8" fw={500}>
          Not loaded
        </Text>
        {row.errors.map((error) => (
          <Text key={`${error.column}:${error.code}`} size="xs" c="red.8">
            {error.column}: {error.message} ({error.code})
          </Text>
        ))}
        {row.errors.length === 0 && (
          <Text size="xs" c="dimmed">
            Rejected; see the row errors.
          </Text>
        )}
      </Table.Td>
    );
  }
  return <RecordCells record={record} leadStyle={SPLIT} />;
}

/**
 * The first rows of a data source: each row's raw cells (as in the file, or the source text of a bank
 * transaction) beside the canonical values they became. Unreadable cells are highlighted with the reason.
 */
export function RawParsedPreview({ source }: { source: DataSourceView }) {
  const preview = usePreview(source, source.status === 'ready');
  if (preview.isPending) return <Skeleton h={160} />;
  if (preview.isError) return <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />;
  const table = sideBySide(preview.data);
  if (table.rows.length === 0) return <Text c="dimmed">No rows were read.</Text>;
  const isBank = BANK_FORMATS.has(source.format);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {isBank
          ? 'Left: the statement fields each transaction was read from. Right: the record it became.'
          : 'Left: the cells as they are in the file. Right: the values read with the column mapping.'}{' '}
        Highlighted cells could not be read.
      </Text>
      <TableScroll minWidth={Math.max(900, 160 * table.columns.length + 700)}>
        <Table className="recon-table" aria-label="Raw and parsed rows" withColumnBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th rowSpan={2} className="num" w={56}>
                Row
              </Table.Th>
              <Table.Th colSpan={Math.max(1, table.columns.length)} ta="center">
                {isBank ? 'Source' : 'Raw (file)'}
              </Table.Th>
              <Table.Th colSpan={recordColumnCount()} ta="center" style={SPLIT}>
                Parsed
              </Table.Th>
            </Table.Tr>
            <Table.Tr>
              {table.columns.length === 0 ? <Table.Th>—</Table.Th> : null}
              {table.columns.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
              ))}
              <RecordHeads leadStyle={SPLIT} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.rows.map((row) => (
              <Table.Tr key={row.row} data-rejected={row.record === null || undefined}>
                <Table.Td className="num">{row.row}</Table.Td>
                {table.columns.length === 0 ? <Table.Td c="dimmed">—</Table.Td> : null}
                {row.cells.map((cell, i) => {
                  const content = (
                    <Text
                      size="sm"
                      ff={isBank ? 'monospace' : undefined}
                      style={isBank ? { whiteSpace: 'pre-wrap' } : undefined}
                    >
                      {cell.value ?? (
                        <Text span c="dimmed" size="sm">
                          (empty)
                        </Text>
                      )}
                    </Text>
                  );
                  return (
                    <Table.Td
                      key={table.columns[i] ?? i}
                      data-error={cell.error?.code}
                      bg={cell.error ? 'red.0' : undefined}
                    >
                      {cell.error ? (
                        <Tooltip label={`${cell.error.code}: ${cell.error.message}`} multiline maw={320}>
                          <div>
                            {content}
                            <Badge size="xs" color="red" variant="light" mt={2}>
                              {cell.error.code}
                            </Badge>
                          </div>
                        </Tooltip>
                      ) : (
                        content
                      )}
                    </Table.Td>
                  );
                })}
                <ParsedCells row={row} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
