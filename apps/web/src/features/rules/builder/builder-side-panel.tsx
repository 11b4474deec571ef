import { Alert, Button, List, Paper, Select, Stack, Text } from '@mantine/core';
import type { DataSourceView, DryRunResult } from '@recon/shared';
import { FlaskConical, Sparkles } from 'lucide-react';
import { ErrorAlert } from '../../../components/error-alert';
import { DryRunCounts } from './dry-run-counts';

interface BuilderSidePanelProps {
  sources: DataSourceView[];
  left: string | null;
  right: string | null;
  onPick: (side: 'left' | 'right', id: string | null) => void;
  onSuggest: () => void;
  isSuggesting: boolean;
  suggestError: unknown;
  notes: string[];
  onDryRun: () => void;
  dryRun: { result: DryRunResult | undefined; isPending: boolean; error: unknown; isStale: boolean };
  /** Why the dry run cannot run now (invalid rules), shown instead of running it. */
  blockedReason: string | null;
}

/** The data the rules are tried on: both sources, "suggest from the data", and the dry run's counts. */
export function BuilderSidePanel(props: BuilderSidePanelProps) {
  const { sources, left, right } = props;
  const options = sources.filter((s) => s.status === 'ready').map((s) => ({ value: s.id, label: s.name }));
  const ready = left !== null && right !== null && left !== right;
  return (
    <Stack gap="sm" pos="sticky" top={16}>
      <Paper withBorder p="sm" radius="md" component="section" aria-label="Data to try the rules on">
        <Stack gap="xs">
          <Select
            size="xs"
            label="Left data source"
            data={options}
            value={left}
            onChange={(id) => {
              props.onPick('left', id);
            }}
            placeholder="Choose a ready file"
          />
          <Select
            size="xs"
            label="Right data source"
            data={options}
            value={right}
            onChange={(id) => {
              props.onPick('right', id);
            }}
            placeholder="Choose a ready file"
            error={left !== null && left === right ? 'Choose two different sources' : undefined}
          />
          <Button
            size="xs"
            variant="light"
            leftSection={<Sparkles size={14} aria-hidden />}
            disabled={!ready}
            loading={props.isSuggesting}
            onClick={props.onSuggest}
          >
            Suggest rules from the data
          </Button>
          {props.suggestError !== null && props.suggestError !== undefined && (
            <ErrorAlert error={props.suggestError} title="Could not suggest rules" />
          )}
          {props.notes.length > 0 && (
            <Alert variant="light" color="blue" title="Why these rules" p="xs">
              <List size="xs" spacing={2}>
                {props.notes.map((note) => (
                  <List.Item key={note}>{note}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Button
            size="xs"
            leftSection={<FlaskConical size={14} aria-hidden />}
            disabled={!ready}
            loading={props.dryRun.isPending}
            onClick={props.onDryRun}
          >
            Dry run
          </Button>
          {props.blockedReason !== null && (
            <Text size="xs" c="red">
              {props.blockedReason}
            </Text>
          )}
        </Stack>
      </Paper>
      <DryRunCounts
        result={props.dryRun.result}
        isPending={props.dryRun.isPending}
        error={props.dryRun.error}
        isStale={props.dryRun.isStale}
      />
    </Stack>
  );
}
