import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import type { DataSourceView } from '@recon/shared';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../components/error-alert';
import { mergeFieldErrors } from '../../forms/validate';
import type { FieldErrors } from '../../forms/validate';
import { useDataSources } from '../data-sources/data-sources.queries';
import { SuggestRulesPanel } from '../rules/suggest-rules.panel';
import type { CreateJobInput } from './jobs.queries';
import { useCreateJob, useRuleSets } from './jobs.queries';
import { RULE_PRESETS, presetRules } from './rule-presets';

interface CreateJobModalProps {
  projectId: string;
  opened: boolean;
  onClose: () => void;
}

function sourceOptions(sources: DataSourceView[] | undefined) {
  return (sources ?? [])
    .filter((source) => source.status === 'ready')
    .map((source) => ({
      value: source.id,
      label: `${source.name} · ${(source.loaded_count ?? 0).toLocaleString()} rows`,
    }));
}

const SUGGESTED = 'suggested:once';

function thresholdOf(value: string | number): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Name the job, pick both sides and the rules, then create it (and run it at once). */
export function CreateJobModal({ projectId, opened, onClose }: CreateJobModalProps) {
  const create = useCreateJob(projectId);
  const sources = useDataSources(projectId);
  const ruleSets = useRuleSets(projectId);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [left, setLeft] = useState<string | null>(null);
  const [right, setRight] = useState<string | null>(null);
  const [rules, setRules] = useState<string | null>(RULE_PRESETS[0]?.value ?? null);
  const [confidence, setConfidence] = useState<string | number>(0.6);
  const [autoConfirm, setAutoConfirm] = useState<string | number>(0.9);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  // Rules proposed by "Suggest rules" and used once, without saving them as a rule set.
  const [suggested, setSuggested] = useState<Record<string, unknown> | null>(null);

  const close = () => {
    setClientErrors({});
    create.reset();
    onClose();
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing: FieldErrors = {};
    if (name.trim() === '') missing.name = 'This field is required';
    if (!left) missing.source_data_source_id = 'Choose the left side';
    if (!right) missing.target_data_source_id = 'Choose the right side';
    if (left && right && left === right)
      missing.target_data_source_id = 'Choose a different file than the left side';
    if (!rules) missing.rule_set_id = 'Choose the rules';
    setClientErrors(missing);
    if (Object.keys(missing).length > 0 || !left || !right || !rules) return;
    const input: CreateJobInput = {
      name: name.trim(),
      description,
      project_id: projectId,
      source_data_source_id: left,
      target_data_source_id: right,
      start: true,
    };
    const preset = rules === SUGGESTED ? suggested : presetRules(rules);
    if (preset) input.rules = preset;
    else input.rule_set_id = rules;
    const confidenceThreshold = thresholdOf(confidence);
    const autoConfirmThreshold = thresholdOf(autoConfirm);
    if (confidenceThreshold !== undefined) input.confidence_threshold = confidenceThreshold;
    if (autoConfirmThreshold !== undefined) input.auto_confirm_threshold = autoConfirmThreshold;
    create.mutate(input, {
      onSuccess: (job) => {
        close();
        void navigate(job.id);
      },
    });
  };

  const errors = mergeFieldErrors(clientErrors, create.error);
  const options = sourceOptions(sources.data);
  const ruleOptions = [
    { group: 'Starting points', items: RULE_PRESETS.map(({ value, label }) => ({ value, label })) },
    {
      group: 'Saved rule sets',
      items: (ruleSets.data ?? []).map((set) => ({ value: set.id, label: `${set.name} (v${set.version})` })),
    },
  ];
  if (suggested)
    ruleOptions.unshift({
      group: 'Suggested',
      items: [{ value: SUGGESTED, label: 'Suggested rules (not saved)' }],
    });
  const chosenPreset = RULE_PRESETS.find((preset) => preset.value === rules);

  return (
    <Modal opened={opened} onClose={close} title="New reconciliation job" size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {create.isError && (
            <ErrorAlert
              error={create.error}
              shownFields={['name', 'source_data_source_id', 'target_data_source_id', 'rule_set_id']}
            />
          )}
          <TextInput
            label="Name"
            placeholder="January 2024 — operating account"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
            }}
            error={errors.name}
            required
            data-autofocus
          />
          <Textarea
            label="Description"
            autosize
            minRows={1}
            maxRows={4}
            value={description}
            onChange={(e) => {
              setDescription(e.currentTarget.value);
            }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Left side"
              description="Usually the bank statement"
              data={options}
              value={left}
              onChange={setLeft}
              error={errors.source_data_source_id}
              nothingFoundMessage="Upload a file first"
              required
            />
            <Select
              label="Right side"
              description="Usually the ledger"
              data={options}
              value={right}
              onChange={setRight}
              error={errors.target_data_source_id}
              required
            />
          </SimpleGrid>
          <Select
            label="Rules"
            data={ruleOptions}
            value={rules}
            onChange={setRules}
            error={errors.rule_set_id}
            required
          />
          {chosenPreset && (
            <Text size="xs" c="dimmed" mt={-8}>
              {chosenPreset.description}
            </Text>
          )}
          <SuggestRulesPanel
            projectId={projectId}
            left={left}
            right={right}
            onUse={(proposal) => {
              setSuggested(proposal);
              setRules(SUGGESTED);
            }}
            onSaved={(id) => {
              setRules(id);
            }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Confidence threshold"
              description="Below this score nothing is matched"
              min={0}
              max={1}
              step={0.05}
              decimalScale={2}
              value={confidence}
              onChange={setConfidence}
              error={errors.confidence_threshold}
            />
            <NumberInput
              label="Auto-confirm threshold"
              description="At or above: confirmed without review"
              min={0}
              max={1}
              step={0.05}
              decimalScale={2}
              value={autoConfirm}
              onChange={setAutoConfirm}
              error={errors.auto_confirm_threshold}
            />
          </SimpleGrid>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create and run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
