import { Button, Group, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { Plus } from 'lucide-react';
import type { Dispatch } from 'react';
import { toNumber } from './comparison-editor';
import { PassEditor } from './pass-editor';
import type { ErrorMap, RuleDraft } from './rule-builder.model';
import type { RuleBuilderAction } from './rule-builder.reducer';
import { blockingFieldOptions, textFieldOptions } from './rule-fields';

interface RuleFormProps {
  draft: RuleDraft;
  dispatch: Dispatch<RuleBuilderAction>;
  errors: ErrorMap;
  /** Preserved columns of the chosen data sources, offered as `extra.<column>`. */
  extraColumns: readonly string[];
}

const THRESHOLDS = [
  ['confidence_threshold', 'Confidence threshold', 'below it a candidate is never matched'],
  ['auto_confirm_threshold', 'Auto-confirm threshold', 'at or above it, confirmed without review'],
  ['ambiguity_margin', 'Ambiguity margin', 'a closer runner-up makes it only suggested'],
] as const;

/** The visual editor: thresholds, then the ordered passes. Holds no state of its own. */
export function RuleForm({ draft, dispatch, errors, extraColumns }: RuleFormProps) {
  const textFields = textFieldOptions(extraColumns);
  const blockingFields = blockingFieldOptions(extraColumns);
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" radius="md" component="section" aria-label="Thresholds">
        <Group gap="md" align="flex-start">
          {THRESHOLDS.map(([field, label, description]) => (
            <NumberInput
              key={field}
              size="xs"
              label={label}
              description={description}
              min={0}
              max={1}
              step={0.05}
              decimalScale={3}
              value={draft[field]}
              error={errors.get(field)}
              onChange={(value) => {
                dispatch({ type: 'setThreshold', field, value: toNumber(value) });
              }}
              w={220}
            />
          ))}
        </Group>
      </Paper>
      {errors.get('passes') !== undefined && (
        <Text size="sm" c="red">
          {errors.get('passes')}
        </Text>
      )}
      {draft.passes.map((pass, index) => (
        <PassEditor
          key={pass.key}
          index={index}
          count={draft.passes.length}
          pass={pass}
          textFields={textFields}
          blockingFields={blockingFields}
          errors={errors}
          dispatch={dispatch}
        />
      ))}
      <Button
        variant="default"
        size="xs"
        leftSection={<Plus size={14} aria-hidden />}
        w="fit-content"
        onClick={() => {
          dispatch({ type: 'addPass' });
        }}
      >
        Add pass
      </Button>
    </Stack>
  );
}
