import { Alert, Loader, Group, Table, Text } from '@mantine/core';
import type { DataSourceView } from '@recon/shared';
import { ErrorAlert } from '../../components/error-alert';
import { TableScroll } from '../../components/table-scroll';
import { useMappingPreview } from './data-sources.queries';
import { recordColumnCount, RecordCells, RecordHeads } from './record-cells';

/**
 * The first stored rows read by the server with the mapping being edited (not saved yet), so a person
 * sees amounts and dates come out right before re-reading the whole file.
 */
export function MappingLivePreview({
  source,
  mappingJson,
}: {
  source: DataSourceView;
  mappingJson: string | null;
}) {
  const preview = useMappingPreview(source, mappingJson);
  if (mappingJson === null) {
    return (
      <Text size="sm" c="dimmed">
        Fix the highlighted fields to see the rows read with this mapping.
      </Text>
    );
  }
  if (preview.isError) return <ErrorAlert error={preview.error} title="The preview could not be read" />;
  const data = preview.data;
  return (
    <div aria-label="Preview with this mapping" role="region" aria-busy={preview.isFetching}>
      <Group gap="xs" mb={4}>
        <Text size="sm" fw={600}>
          Preview with this mapping
        </Text>
        {preview.isFetching && <Loader size="xs" aria-label="Updating preview" />}
      </Group>
      {data && data.issues.length > 0 && (
        <Alert color="yellow" variant="light" title="The server cannot use this mapping yet">
          {data.issues.map((issue) => (
            <Text key={`${issue.field}:${issue.message}`} size="sm">
              {issue.field.replace(/^mapping\./, '')}: {issue.message}
            </Text>
          ))}
        </Alert>
      )}
      {data && data.rows.length > 0 && (
        <TableScroll minWidth={760}>
          <Table className="recon-table" aria-label="Parsed preview" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th className="num" w={56}>
                  Row
                </Table.Th>
                <RecordHeads withValueDate />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map(({ row, record, errors }) => (
                <Table.Tr key={row} bg={record === null ? 'red.0' : undefined}>
                  <Table.Td className="num">{row}</Table.Td>
                  {record === null ? (
                    <Table.Td colSpan={recordColumnCount(true)}>
                      {errors.map((error) => (
                        <Text key={`${error.column}:${error.code}`} size="sm" c="red.8">
                          {error.column} “{error.raw ?? ''}”: {error.message} ({error.code})
                        </Text>
                      ))}
                    </Table.Td>
                  ) : (
                    <RecordCells record={record} withValueDate />
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </div>
  );
}
