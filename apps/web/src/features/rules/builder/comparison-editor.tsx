import {
  ActionIcon,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { NORMALISERS, SIMILARITY_ALGORITHMS } from '@recon/engine/rules';
import { Trash2 } from 'lucide-react';
import type { Dispatch } from 'react';
import {
  COMPARISON_TYPES,
  type ComparisonType,
  type DraftComparison,
  type ErrorMap,
} from './rule-builder.model';
import type { RuleBuilderAction } from './rule-builder.reducer';
import { DATE_FIELD_OPTIONS, withCurrent, type FieldOption } from './rule-fields';

const TYPE_LABELS: Record<ComparisonType, string> = {
  exact: 'Exact',
  amount: 'Amount tolerance',
  date: 'Date window',
  text: 'Text similarity',
  contains: 'Contains',
  regex: 'Regex extraction',
};
const NORMALISER_LABELS: Record<string, string> = {
  trim: 'Trim spaces',
  case: 'Ignore case',
  strip_non_alphanumeric: 'Strip punctuation',
  remove_leading_zeros: 'Remove leading zeros',
};
const ALGORITHM_LABELS: Record<string, string> = {
  jaro_winkler: 'Jaro-Winkler',
  levenshtein: 'Levenshtein',
  token_set: 'Token set',
  trigram: 'Trigram',
};

/** NumberInput gives '' while empty: keep NaN so validation says "Enter a number" instead of guessing 0. */
export const toNumber = (value: number | string): number => (typeof value === 'number' ? value : NaN);

interface ComparisonEditorProps {
  pass: number;
  index: number;
  comparison: DraftComparison;
  passName: string;
  textFields: FieldOption[];
  errors: ErrorMap;
  dispatch: Dispatch<RuleBuilderAction>;
}

/** One comparison: its type, then only the settings that type has, each with its error beside it. */
export function ComparisonEditor(props: ComparisonEditorProps) {
  const { pass, index, comparison: c, textFields, errors, dispatch } = props;
  const at = `passes.${String(pass)}.comparisons.${String(index)}`;
  const error = (field: string) => errors.get(`${at}.${field}`);
  const update = (patch: Record<string, unknown>) => {
    dispatch({ type: 'updateComparison', pass, comparison: index, patch });
  };
  const label = `comparison ${String(index + 1)} of ${props.passName}`;
  const fieldPickers = c.type !== 'amount' && c.type !== 'date' && (
    <>
      <Select
        size="xs"
        label="Field"
        data={withCurrent(textFields, c.field)}
        value={c.field}
        error={error('field')}
        allowDeselect={false}
        searchable
        onChange={(value) => {
          if (value !== null) update({ field: value });
        }}
      />
      <Select
        size="xs"
        label="Right field"
        placeholder="same as left"
        data={withCurrent(textFields, c.right_field)}
        value={c.right_field ?? null}
        error={error('right_field')}
        clearable
        searchable
        onChange={(value) => {
          update({ right_field: value ?? undefined });
        }}
      />
    </>
  );
  const normalisers = 'normalisers' in c && (
    <MultiSelect
      size="xs"
      label="Normalisers"
      data={NORMALISERS.map((value) => ({ value, label: NORMALISER_LABELS[value] ?? value }))}
      value={c.normalisers}
      error={error('normalisers')}
      onChange={(value) => {
        update({ normalisers: value });
      }}
      miw={200}
    />
  );

  return (
    <Paper withBorder p="xs" radius="sm" role="group" aria-label={label}>
      <Group align="flex-start" gap="xs" wrap="wrap">
        <Select
          size="xs"
          label="Comparison"
          data={COMPARISON_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))}
          value={c.type}
          allowDeselect={false}
          error={error('type')}
          onChange={(value) => {
            const next = COMPARISON_TYPES.find((t) => t === value);
            if (next !== undefined && next !== c.type)
              dispatch({ type: 'changeComparisonType', pass, comparison: index, comparisonType: next });
          }}
          w={170}
        />
        {fieldPickers}
        {c.type === 'amount' && (
          <>
            <NumberInput
              size="xs"
              label="Tolerance (minor units)"
              description="cents"
              min={0}
              allowDecimal={false}
              value={c.tolerance_minor}
              error={error('tolerance_minor')}
              onChange={(v) => {
                update({ tolerance_minor: toNumber(v) });
              }}
              w={150}
            />
            <NumberInput
              size="xs"
              label="Tolerance (%)"
              description="of the smaller amount"
              min={0}
              max={100}
              value={c.tolerance_percent}
              error={error('tolerance_percent')}
              onChange={(v) => {
                update({ tolerance_percent: toNumber(v) });
              }}
              w={150}
            />
            <Select
              size="xs"
              label="Right sign"
              data={[
                { value: 'same', label: 'Same sign' },
                { value: 'opposite', label: 'Opposite sign' },
              ]}
              value={c.right_sign}
              allowDeselect={false}
              onChange={(value) => {
                if (value !== null) update({ right_sign: value });
              }}
              w={140}
            />
          </>
        )}
        {c.type === 'date' && (
          <>
            <Select
              size="xs"
              label="Date"
              data={DATE_FIELD_OPTIONS}
              value={c.field}
              allowDeselect={false}
              onChange={(value) => {
                if (value !== null) update({ field: value });
              }}
              w={140}
            />
            <Select
              size="xs"
              label="Right date"
              placeholder="same as left"
              data={DATE_FIELD_OPTIONS}
              value={c.right_field ?? null}
              clearable
              onChange={(value) => {
                update({ right_field: value ?? undefined });
              }}
              w={140}
            />
            <NumberInput
              size="xs"
              label="From (days)"
              description="right − left, earliest"
              allowDecimal={false}
              value={c.min_days}
              error={error('min_days')}
              onChange={(v) => {
                update({ min_days: toNumber(v) });
              }}
              w={150}
            />
            <NumberInput
              size="xs"
              label="To (days)"
              description="right − left, latest"
              allowDecimal={false}
              value={c.max_days}
              error={error('max_days')}
              onChange={(v) => {
                update({ max_days: toNumber(v) });
              }}
              w={150}
            />
          </>
        )}
        {c.type === 'text' && (
          <>
            <Select
              size="xs"
              label="Method"
              data={SIMILARITY_ALGORITHMS.map((value) => ({
                value,
                label: ALGORITHM_LABELS[value] ?? value,
              }))}
              value={c.algorithm}
              allowDeselect={false}
              onChange={(value) => {
                if (value !== null) update({ algorithm: value });
              }}
              w={140}
            />
            <NumberInput
              size="xs"
              label="Threshold"
              description="0–1"
              min={0}
              max={1}
              step={0.05}
              value={c.threshold}
              error={error('threshold')}
              onChange={(v) => {
                update({ threshold: toNumber(v) });
              }}
              w={110}
            />
          </>
        )}
        {c.type === 'contains' && (
          <Select
            size="xs"
            label="Direction"
            data={[
              { value: 'either', label: 'Either contains the other' },
              { value: 'left_in_right', label: 'Left inside right' },
              { value: 'right_in_left', label: 'Right inside left' },
            ]}
            value={c.direction}
            allowDeselect={false}
            onChange={(value) => {
              if (value !== null) update({ direction: value });
            }}
            w={200}
          />
        )}
        {c.type === 'regex' && (
          <>
            <TextInput
              size="xs"
              label="Pattern"
              description="first capture group is the reference"
              placeholder="(INV-\d+)"
              value={c.pattern}
              error={error('pattern')}
              onChange={(e) => {
                update({ pattern: e.currentTarget.value });
              }}
              ff="monospace"
              w={200}
            />
            <Select
              size="xs"
              label="Apply to"
              data={[
                { value: 'left', label: 'Left' },
                { value: 'right', label: 'Right' },
                { value: 'both', label: 'Both sides' },
              ]}
              value={c.apply_to}
              allowDeselect={false}
              onChange={(value) => {
                if (value !== null) update({ apply_to: value });
              }}
              w={110}
            />
          </>
        )}
        {normalisers}
        <NumberInput
          size="xs"
          label="Weight"
          min={0}
          max={100}
          value={c.weight}
          error={error('weight')}
          onChange={(v) => {
            update({ weight: toNumber(v) });
          }}
          w={80}
        />
        <Switch
          size="xs"
          mt={26}
          label="Required"
          checked={c.required}
          onChange={(e) => {
            update({ required: e.currentTarget.checked });
          }}
        />
        <ActionIcon
          mt={22}
          variant="subtle"
          color="red"
          aria-label={`Remove ${label}`}
          onClick={() => {
            dispatch({ type: 'removeComparison', pass, comparison: index });
          }}
        >
          <Trash2 size={14} aria-hidden />
        </ActionIcon>
      </Group>
      {errors.get(at) !== undefined && (
        <Text size="xs" c="red" mt={4}>
          {errors.get(at)}
        </Text>
      )}
    </Paper>
  );
}
