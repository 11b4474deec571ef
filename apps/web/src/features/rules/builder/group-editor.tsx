import { Group, NumberInput, Select, Switch, Text } from '@mantine/core';
import type { Dispatch } from 'react';
import { toNumber } from './comparison-editor';
import type { DraftPass, ErrorMap } from './rule-builder.model';
import type { RuleBuilderAction } from './rule-builder.reducer';
import { withCurrent, type FieldOption } from './rule-fields';

interface GroupEditorProps {
  pass: number;
  draft: DraftPass;
  textFields: FieldOption[];
  errors: ErrorMap;
  dispatch: Dispatch<RuleBuilderAction>;
}

/**
 * Group options of a grouped pass: which side is grouped by what, and the limits that keep the subset-sum
 * search bounded (group size, candidates per target, search steps).
 */
export function GroupEditor({ pass, draft, textFields, errors, dispatch }: GroupEditorProps) {
  const group = draft.group;
  if (group === undefined) return null;
  const error = (field: string) => errors.get(`passes.${String(pass)}.group.${field}`);
  const set = (patch: Record<string, unknown>) => {
    dispatch({ type: 'setGroup', pass, patch });
  };
  const groupsLeft = draft.kind === 'many_to_one' || draft.kind === 'many_to_many';
  const groupsRight = draft.kind === 'one_to_many' || draft.kind === 'many_to_many';
  return (
    <div role="group" aria-label={`Group options of ${draft.name}`}>
      <Text size="xs" fw={600} mb={4}>
        Groups and subset-sum limits
      </Text>
      <Group gap="xs" align="flex-start">
        {groupsLeft && (
          <Select
            size="xs"
            label="Group left by"
            placeholder={draft.kind === 'many_to_many' ? 'required' : 'any records'}
            data={withCurrent(textFields, group.left_key)}
            value={group.left_key ?? null}
            error={error('left_key')}
            clearable
            searchable
            onChange={(value) => {
              set({ left_key: value ?? undefined });
            }}
            w={170}
          />
        )}
        {groupsRight && (
          <Select
            size="xs"
            label="Group right by"
            placeholder={draft.kind === 'many_to_many' ? 'required' : 'any records'}
            data={withCurrent(textFields, group.right_key)}
            value={group.right_key ?? null}
            error={error('right_key')}
            clearable
            searchable
            onChange={(value) => {
              set({ right_key: value ?? undefined });
            }}
            w={170}
          />
        )}
        <NumberInput
          size="xs"
          label="Max group size"
          min={2}
          max={50}
          allowDecimal={false}
          value={group.max_group_size}
          error={error('max_group_size')}
          onChange={(v) => {
            set({ max_group_size: toNumber(v) });
          }}
          w={120}
        />
        <NumberInput
          size="xs"
          label="Max candidates"
          description="per target"
          min={2}
          max={64}
          allowDecimal={false}
          value={group.max_candidates}
          error={error('max_candidates')}
          onChange={(v) => {
            set({ max_candidates: toNumber(v) });
          }}
          w={120}
        />
        <NumberInput
          size="xs"
          label="Search budget"
          description="steps per target"
          min={100}
          max={10_000_000}
          allowDecimal={false}
          thousandSeparator=" "
          value={group.search_budget}
          error={error('search_budget')}
          onChange={(v) => {
            set({ search_budget: toNumber(v) });
          }}
          w={140}
        />
        <NumberInput
          size="xs"
          label="Date span (days)"
          description="empty: no limit"
          min={0}
          max={366}
          allowDecimal={false}
          value={group.date_span_days ?? ''}
          error={error('date_span_days')}
          onChange={(v) => {
            set({ date_span_days: v === '' ? undefined : toNumber(v) });
          }}
          w={130}
        />
        <Switch
          size="xs"
          mt={26}
          label="One counterparty per group"
          checked={group.same_counterparty}
          onChange={(e) => {
            set({ same_counterparty: e.currentTarget.checked });
          }}
        />
      </Group>
    </div>
  );
}
