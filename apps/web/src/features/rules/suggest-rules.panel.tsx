import { Alert, Button, Group, List, Paper, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Sparkles } from 'lucide-react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { RulesView } from './rules-view';
import { useCreateRuleSet, useSuggestRules } from './rules.queries';

interface SuggestRulesPanelProps {
  projectId: string;
  left: string | null;
  right: string | null;
  /** Use the proposal inline for this job only. */
  onUse: (rules: Record<string, unknown>) => void;
  /** The proposal was saved as a rule set; the job should use it. */
  onSaved: (ruleSetId: string) => void;
}

/**
 * "Suggest rules from the data": the engine profiles both sides and proposes passes; the person reads them
 * (and why each was chosen) before using them once or saving them as a versioned rule set.
 */
export function SuggestRulesPanel({ projectId, left, right, onUse, onSaved }: SuggestRulesPanelProps) {
  const suggest = useSuggestRules(projectId);
  const save = useCreateRuleSet(projectId);
  const [name, setName] = useState('');
  const ready = left !== null && right !== null && left !== right;

  const ask = () => {
    if (!ready) return;
    save.reset();
    suggest.mutate({ source_data_source_id: left, target_data_source_id: right });
  };

  const saveAs = () => {
    if (!suggest.data || name.trim() === '') return;
    save.mutate(
      { name: name.trim(), description: 'Suggested from the data', rules: suggest.data.rules },
      {
        onSuccess: (set) => {
          notifications.show({ color: 'teal', message: `Rule set "${set.name}" saved as version 1` });
          onSaved(set.id);
          suggest.reset();
          setName('');
        },
      },
    );
  };

  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant="light"
          size="xs"
          leftSection={<Sparkles size={14} aria-hidden />}
          onClick={ask}
          disabled={!ready}
          loading={suggest.isPending}
        >
          Suggest rules from the data
        </Button>
        {!ready && (
          <Text size="xs" c="dimmed">
            Choose both sides first
          </Text>
        )}
      </Group>
      {suggest.isError && <ErrorAlert error={suggest.error} title="Could not suggest rules" />}
      {suggest.data && (
        <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-gray-0)">
          <Stack gap="sm">
            <Text size="sm" fw={600}>
              Proposed rules
            </Text>
            <RulesView rules={suggest.data.rules} label="Proposed passes" />
            {suggest.data.notes.length > 0 && (
              <Alert variant="light" color="blue" title="Why these rules" p="xs">
                <List size="xs" spacing={2}>
                  {suggest.data.notes.map((note) => (
                    <List.Item key={note}>{note}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {save.isError && <ErrorAlert error={save.error} shownFields={['name']} />}
            <Group align="flex-end" gap="xs">
              <TextInput
                label="Save as rule set"
                placeholder="Bank vs ledger — suggested"
                size="xs"
                value={name}
                onChange={(e) => {
                  setName(e.currentTarget.value);
                }}
                style={{ flex: 1 }}
              />
              <Button size="xs" onClick={saveAs} disabled={name.trim() === ''} loading={save.isPending}>
                Save and use
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  onUse(suggest.data.rules);
                }}
              >
                Use once
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
