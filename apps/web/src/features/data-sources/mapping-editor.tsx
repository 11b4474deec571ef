import { Alert, Button, Group, Stack, Switch, Table, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DataSourceView } from '@recon/shared';
import { useMemo, useState } from 'react';
import { api } from '../../api/api';
import { isApiError } from '../../api/api-error';
import { ErrorAlert } from '../../components/error-alert';
import { dataSourceKeys } from './data-sources.queries';
import { formErrorsFromServer } from './mapping-form-errors';
import {
  formFromMapping,
  mappingFromForm,
  sampleValues,
  validateMappingForm,
  type MappingFormErrors,
  type MappingFormState,
} from './mapping-form';
import { MappingFormFields } from './mapping-form-fields';
import { MappingLivePreview } from './mapping-live-preview';

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

/** What detection said it was unsure about (e.g. a date column that fits two formats). */
export function detectionNotes(source: Pick<DataSourceView, 'detected'>): string[] {
  const notes = source.detected?.notes;
  return Array.isArray(notes) ? notes.filter((n): n is string => typeof n === 'string') : [];
}

/** The file's columns as profiled at ingestion (the raw view's, as a fallback). */
function fileColumns(source: DataSourceView): string[] {
  return (source.profile ?? []).map((p) => p.name).filter((n): n is string => typeof n === 'string');
}

function MappingSummary({ source }: { source: DataSourceView }) {
  const entries = Object.entries(source.mapping ?? {});
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No column mapping: this format carries its own structure.
      </Text>
    );
  }
  return (
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
  );
}

function MappingEdit({
  source,
  onDone,
  onSaved,
}: {
  source: DataSourceView;
  onDone: () => void;
  onSaved?: (() => void) | undefined;
}) {
  const queryClient = useQueryClient();
  const initial = source.mapping ?? source.detected?.mapping ?? {};
  const [base, setBase] = useState<unknown>(initial);
  const [state, setState] = useState<MappingFormState>(() => formFromMapping(initial));
  const [serverErrors, setServerErrors] = useState<MappingFormErrors>({});
  const [isJson, setJson] = useState(false);
  const [text, setText] = useState('');
  const [jsonError, setJsonError] = useState('');
  const columns = useMemo(() => fileColumns(source), [source]);
  const clientErrors = validateMappingForm(state, columns.length > 0 ? columns : null);
  const errors: MappingFormErrors = { ...serverErrors, ...clientErrors };
  const isValid = Object.keys(clientErrors).length === 0;
  const mappingJson = JSON.stringify(mappingFromForm(state, base));
  const [debounced] = useDebouncedValue(isValid && !isJson ? mappingJson : null, 350);

  const save = useMutation({
    mutationFn: (mapping: Record<string, unknown>) =>
      api.put<DataSourceView>(`/api/data-sources/${encodeURIComponent(source.id)}/mapping`, { mapping }),
    onSuccess: (view) => {
      queryClient.setQueryData(dataSourceKeys.detail(source.id), view);
      void queryClient.invalidateQueries({ queryKey: ['data-sources', 'list'] });
      notifications.show({ color: 'teal', title: 'Mapping saved', message: 'The file is being read again.' });
      onDone();
      onSaved?.();
    },
    onError: (error) => {
      if (isApiError(error)) setServerErrors(formErrorsFromServer(error.fieldErrors));
    },
  });
  const change = (patch: Partial<MappingFormState>) => {
    setState((current) => ({ ...current, ...patch }));
    // A field's server message no longer applies once the person changed it.
    setServerErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !(key in patch))),
    );
  };
  const toggleJson = (checked: boolean) => {
    if (checked) {
      setText(JSON.stringify(JSON.parse(mappingJson), null, 2));
      setJsonError('');
      setJson(true);
      return;
    }
    const parsed = parseMapping(text);
    if (!parsed.ok) {
      setJsonError(parsed.message);
      return;
    }
    setBase(parsed.mapping);
    setState(formFromMapping(parsed.mapping));
    setJson(false);
  };
  const notes = detectionNotes(source);

  return (
    <Stack gap="md">
      {notes.length > 0 && (
        <Alert color="yellow" variant="light" title="Detection was unsure about">
          {notes.map((note) => (
            <Text key={note} size="sm">
              {note}
            </Text>
          ))}
        </Alert>
      )}
      <Switch
        label="Advanced: edit as JSON"
        checked={isJson}
        onChange={(e) => {
          toggleJson(e.currentTarget.checked);
        }}
      />
      {isJson ? (
        <Textarea
          label="Mapping (JSON)"
          description="The engine's column mapping; the server checks it when you save"
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setJsonError('');
          }}
          autosize
          minRows={10}
          ff="monospace"
          error={jsonError || undefined}
        />
      ) : (
        <>
          <MappingFormFields
            state={state}
            errors={errors}
            columns={columns}
            samplesOf={(column) => sampleValues(column, source.profile, null)}
            onChange={change}
          />
          <MappingLivePreview source={source} mappingJson={debounced} />
        </>
      )}
      <ErrorAlert
        error={save.error}
        title="The mapping was not saved"
        shownFields={isApiError(save.error) ? save.error.fieldErrors.map((f) => f.path) : []}
      />
      <Group>
        <Button
          loading={save.isPending}
          disabled={!isJson && !isValid}
          onClick={() => {
            if (!isJson) {
              save.mutate(JSON.parse(mappingJson) as Record<string, unknown>);
              return;
            }
            const parsed = parseMapping(text);
            if (parsed.ok) save.mutate(parsed.mapping);
            else setJsonError(parsed.message);
          }}
        >
          Save and re-read
        </Button>
        <Button variant="subtle" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

/** The mapping used (prefilled by detection); editing it re-reads the file with the new mapping. */
export function MappingEditor({
  source,
  canEdit,
  onSaved,
}: {
  source: DataSourceView;
  canEdit: boolean;
  /** Called once a new mapping was accepted and re-ingestion queued. */
  onSaved?: () => void;
}) {
  const [isEditing, setEditing] = useState(false);
  const hasColumns = (source.profile ?? []).length > 0 && source.mapping !== null;
  if (isEditing) {
    return (
      <MappingEdit
        source={source}
        onSaved={onSaved}
        onDone={() => {
          setEditing(false);
        }}
      />
    );
  }
  return (
    <Stack gap="sm">
      <MappingSummary source={source} />
      {canEdit && hasColumns && (
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
