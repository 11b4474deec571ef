import { Button, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DataSourceView } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api } from '../../api/api';
import { ErrorAlert } from '../../components/error-alert';
import { dataSourceKeys } from './data-sources.queries';

/** One mapping entry in words: a column name, or the column with its options. */
export function describeMappingValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`)
      .join(' · ');
  }
  return JSON.stringify(value);
}

/** Reads the editor text: a JSON object, or the reason it is not one. */
export function parseMapping(
  text: string,
): { ok: true; mapping: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The mapping must be a JSON object of field → column' };
  }
  return { ok: true, mapping: Object.fromEntries(Object.entries(value)) };
}

/** The mapping used (prefilled by detection); saving re-reads the file with the new mapping. */
export function MappingEditor({ source, canEdit }: { source: DataSourceView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(source.mapping ?? {}, null, 2));
  const [isEditing, setEditing] = useState(false);
  const [parseError, setParseError] = useState('');
  const save = useMutation({
    mutationFn: (mapping: Record<string, unknown>) =>
      api.put<DataSourceView>(`/api/data-sources/${encodeURIComponent(source.id)}/mapping`, { mapping }),
    onSuccess: (view) => {
      queryClient.setQueryData(dataSourceKeys.detail(source.id), view);
      void queryClient.invalidateQueries({ queryKey: ['data-sources'] });
      setEditing(false);
      notifications.show({ color: 'teal', title: 'Mapping saved', message: 'The file is being read again.' });
    },
  });
  const entries = Object.entries(source.mapping ?? {});

  if (!isEditing) {
    return (
      <Stack gap="sm">
        {entries.length === 0 ? (
          <Text size="sm" c="dimmed">
            No column mapping: this format carries its own structure.
          </Text>
        ) : (
          <Table className="recon-table" aria-label="Column mapping" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>Field</Table.Th>
                <Table.Th>Column and format</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map(([field, value]) => (
                <Table.Tr key={field}>
                  <Table.Td ff="monospace" fz="sm">
                    {field}
                  </Table.Td>
                  <Table.Td fz="sm">{describeMappingValue(value)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canEdit && (
          <Group>
            <Button
              variant="default"
              onClick={() => {
                setEditing(true);
              }}
            >
              Edit mapping
            </Button>
          </Group>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Textarea
        label="Mapping (JSON)"
        description="Engine field → column, e.g. amount: { kind: 'signed', column: 'Amount' }, booking_date: { column: 'Date', format: 'DD/MM/YYYY' }"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setParseError('');
        }}
        autosize
        minRows={8}
        ff="monospace"
        error={parseError || undefined}
      />
      <ErrorAlert error={save.error} />
      <Group>
        <Button
          loading={save.isPending}
          onClick={() => {
            const parsed = parseMapping(text);
            if (parsed.ok) save.mutate(parsed.mapping);
            else setParseError(parsed.message);
          }}
        >
          Save and re-read
        </Button>
        <Button
          variant="subtle"
          onClick={() => {
            setEditing(false);
          }}
        >
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
