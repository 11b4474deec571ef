import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import type { Dispatch } from 'react';
import { ComparisonEditor, toNumber } from './comparison-editor';
import { GroupEditor } from './group-editor';
import {
  COMPARISON_TYPES,
  PASS_KINDS,
  type BlockingKey,
  type DraftPass,
  type ErrorMap,
  type PassKind,
} from './rule-builder.model';
import type { RuleBuilderAction } from './rule-builder.reducer';
import { withCurrent, type FieldOption } from './rule-fields';

const KIND_LABELS: Record<PassKind, string> = {
  one_to_one: '1:1 — one to one',
  one_to_many: '1:n — one left to many right',
  many_to_one: 'n:1 — many left to one right',
  many_to_many: 'n:m — many to many',
};
const ADD_LABELS: Record<string, string> = {
  exact: 'Exact match',
  amount: 'Amount tolerance',
  date: 'Date window',
  text: 'Text similarity',
  contains: 'Contains',
  regex: 'Regex extraction',
};

interface PassEditorProps {
  index: number;
  count: number;
  pass: DraftPass;
  textFields: FieldOption[];
  blockingFields: FieldOption[];
  errors: ErrorMap;
  dispatch: Dispatch<RuleBuilderAction>;
}

/** Keeps each key's right field and normalisers when the chosen fields change; new keys trim and ignore case. */
function keysFor(fields: string[], before: BlockingKey[]): BlockingKey[] {
  return fields.map(
    (field) =>
      before.find((k) => k.field === field) ?? {
        field,
        right_field: undefined,
        normalisers: ['trim', 'case'],
      },
  ) as BlockingKey[];
}

/** One pass: name, kind, order, blocking keys, comparisons and (grouped kinds) group options. */
export function PassEditor({
  index,
  count,
  pass,
  textFields,
  blockingFields,
  errors,
  dispatch,
}: PassEditorProps) {
  const at = `passes.${String(index)}`;
  const title = `Pass ${String(index + 1)}: ${pass.name}`;
  const setBlocking = (blocking: BlockingKey[][]) => {
    dispatch({ type: 'setBlocking', pass: index, blocking });
  };
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Group gap="xs" align="flex-start">
          <Badge variant="light" mt={28}>
            {index + 1}
          </Badge>
          <TextInput
            size="xs"
            label="Pass name"
            value={pass.name}
            error={errors.get(`${at}.name`)}
            onChange={(e) => {
              dispatch({ type: 'renamePass', pass: index, name: e.currentTarget.value });
            }}
            w={220}
          />
          <Select
            size="xs"
            label="Kind"
            data={PASS_KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
            value={pass.kind}
            allowDeselect={false}
            onChange={(value) => {
              const kind = PASS_KINDS.find((k) => k === value);
              if (kind !== undefined) dispatch({ type: 'setKind', pass: index, kind });
            }}
            w={230}
          />
          <NumberInput
            size="xs"
            label="Confidence override"
            placeholder="rule set's"
            min={0}
            max={1}
            step={0.05}
            value={pass.confidence_threshold ?? ''}
            error={errors.get(`${at}.confidence_threshold`)}
            onChange={(v) => {
              dispatch({
                type: 'setPassOptions',
                pass: index,
                confidence: v === '' ? undefined : toNumber(v),
              });
            }}
            w={140}
          />
          <Switch
            size="xs"
            mt={28}
            label="Same currency only"
            checked={pass.same_currency}
            onChange={(e) => {
              dispatch({ type: 'setPassOptions', pass: index, sameCurrency: e.currentTarget.checked });
            }}
          />
          <Group gap={4} ml="auto" mt={22}>
            <ActionIcon
              variant="default"
              aria-label={`Move ${pass.name} up`}
              disabled={index === 0}
              onClick={() => {
                dispatch({ type: 'movePass', pass: index, by: -1 });
              }}
            >
              <ArrowUp size={14} aria-hidden />
            </ActionIcon>
            <ActionIcon
              variant="default"
              aria-label={`Move ${pass.name} down`}
              disabled={index === count - 1}
              onClick={() => {
                dispatch({ type: 'movePass', pass: index, by: 1 });
              }}
            >
              <ArrowDown size={14} aria-hidden />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove pass ${pass.name}`}
              disabled={count === 1}
              onClick={() => {
                dispatch({ type: 'removePass', pass: index });
              }}
            >
              <Trash2 size={14} aria-hidden />
            </ActionIcon>
          </Group>
        </Group>

        <div>
          <Text size="xs" fw={600}>
            Blocking keys
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            Candidates must agree on every key of at least one set. Required exact, regex and zero-tolerance
            amount comparisons block already.
          </Text>
          <Stack gap={4}>
            {pass.blocking.map((set, setIndex) => (
              <Group key={`${pass.key}-b${String(setIndex)}`} gap="xs" align="flex-start">
                <MultiSelect
                  size="xs"
                  aria-label={`Blocking set ${String(setIndex + 1)} of ${pass.name}`}
                  data={withCurrent(blockingFields, ...set.map((k) => k.field))}
                  value={set.map((k) => k.field)}
                  error={errors.get(`${at}.blocking.${String(setIndex)}`)}
                  searchable
                  onChange={(fields) => {
                    setBlocking(pass.blocking.map((s, i) => (i === setIndex ? keysFor(fields, s) : s)));
                  }}
                  miw={280}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove blocking set ${String(setIndex + 1)}`}
                  onClick={() => {
                    setBlocking(pass.blocking.filter((_, i) => i !== setIndex));
                  }}
                >
                  <Trash2 size={14} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<Plus size={12} aria-hidden />}
              w="fit-content"
              onClick={() => {
                setBlocking([...pass.blocking, keysFor(['reference'], [])]);
              }}
            >
              Add blocking set
            </Button>
          </Stack>
        </div>

        <Text size="xs" fw={600}>
          Comparisons
        </Text>
        {errors.get(`${at}.comparisons`) !== undefined && (
          <Text size="xs" c="red">
            {errors.get(`${at}.comparisons`)}
          </Text>
        )}
        <Stack gap="xs">
          {pass.comparisons.map((comparison, ci) => (
            <ComparisonEditor
              key={comparison.key}
              pass={index}
              index={ci}
              comparison={comparison}
              passName={pass.name}
              textFields={textFields}
              errors={errors}
              dispatch={dispatch}
            />
          ))}
        </Stack>
        <Menu position="bottom-start">
          <Menu.Target>
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<Plus size={12} aria-hidden />}
              w="fit-content"
            >
              Add comparison to {pass.name}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {COMPARISON_TYPES.map((type) => (
              <Menu.Item
                key={type}
                onClick={() => {
                  dispatch({ type: 'addComparison', pass: index, comparisonType: type });
                }}
              >
                {ADD_LABELS[type]}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        {errors.get(`${at}.group`) !== undefined && (
          <Text size="xs" c="red">
            {errors.get(`${at}.group`)}
          </Text>
        )}
        <GroupEditor pass={index} draft={pass} textFields={textFields} errors={errors} dispatch={dispatch} />
      </Stack>
    </Paper>
  );
}
