import {
  Alert,
  Button,
  Grid,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RuleSetView } from '@recon/shared';
import { useMemo, useReducer, useState } from 'react';
import { isApiError } from '../../../api/api-error';
import { ErrorAlert } from '../../../components/error-alert';
import { useDataSources } from '../../data-sources/data-sources.queries';
import { useCreateRuleSet, useDryRun, useSuggestRules, useUpdateRuleSet } from '../rules.queries';
import { BuilderSidePanel } from './builder-side-panel';
import {
  draftFromRules,
  emptyDraft,
  rulesFromDraft,
  serverErrorMap,
  validateDraft,
} from './rule-builder.model';
import { ruleBuilderReducer, type RuleBuilderAction } from './rule-builder.reducer';
import { RuleForm } from './rule-form';
import { extraColumnsOf } from './rule-fields';

interface RuleBuilderProps {
  projectId: string;
  /** The rule set being edited (saving creates its next version); absent for a new one. */
  ruleSet?: RuleSetView;
  /** Rules to start from (a chosen version); defaults to the rule set's current rules. */
  startFrom?: unknown;
  canSave: boolean;
  onClose: (saved?: RuleSetView) => void;
}

function initialState(rules: unknown) {
  if (rules === undefined) return { draft: emptyDraft(), json: null };
  const loaded = draftFromRules(rules);
  // Rules the form cannot hold (hand-written JSON with the wrong shape) open in the JSON editor.
  return loaded.ok
    ? { draft: loaded.draft, json: null }
    : { draft: emptyDraft(), json: JSON.stringify(rules, null, 2) };
}

/** Create or edit a rule set: the visual form (or JSON), suggest from the data, dry run, save. */
export function RuleBuilder({ projectId, ruleSet, startFrom, canSave, onClose }: RuleBuilderProps) {
  const start = useMemo(() => initialState(startFrom ?? ruleSet?.rules), [startFrom, ruleSet]);
  const [draft, rawDispatch] = useReducer(ruleBuilderReducer, start.draft);
  const [json, setJson] = useState<string | null>(start.json);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [name, setName] = useState(ruleSet?.name ?? '');
  const [description, setDescription] = useState(ruleSet?.description ?? '');
  const [sides, setSides] = useState<{ left: string | null; right: string | null }>({
    left: null,
    right: null,
  });
  const [notes, setNotes] = useState<string[]>([]);
  const [ranWith, setRanWith] = useState<string | null>(null);
  const sources = useDataSources(projectId);
  const suggest = useSuggestRules(projectId);
  const dryRun = useDryRun(projectId);
  const create = useCreateRuleSet(projectId);
  const update = useUpdateRuleSet(projectId);
  const save = ruleSet === undefined ? create : update;

  // Server errors describe the rules as sent; the first edit afterwards makes them stale.
  const dispatch = (action: RuleBuilderAction) => {
    save.reset();
    rawDispatch(action);
  };
  const errors = useMemo(() => {
    const local = new Map(validateDraft(draft));
    const server = isApiError(save.error)
      ? serverErrorMap(save.error.fieldErrors)
      : new Map<string, string>();
    for (const [path, message] of server) if (!local.has(path)) local.set(path, message);
    return local;
  }, [draft, save.error]);
  const extraColumns = useMemo(
    () =>
      (sources.data ?? []).filter((s) => s.id === sides.left || s.id === sides.right).flatMap(extraColumnsOf),
    [sources.data, sides],
  );
  const rulesJson = JSON.stringify(rulesFromDraft(draft));
  const problemCount = errors.size;
  const inJson = json !== null;

  const toForm = () => {
    if (json === null) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : 'Not valid JSON');
      return;
    }
    const loaded = draftFromRules(parsed);
    if (!loaded.ok) {
      setJsonError(loaded.errors.map((e) => `${e.path || 'rules'}: ${e.message}`).join('\n'));
      return;
    }
    dispatch({ type: 'load', draft: loaded.draft });
    setJson(null);
    setJsonError(null);
  };

  const runDry = () => {
    if (sides.left === null || sides.right === null || problemCount > 0 || inJson) return;
    setRanWith(rulesJson);
    dryRun.mutate({
      rules: rulesFromDraft(draft),
      left_data_source_id: sides.left,
      right_data_source_id: sides.right,
    });
  };

  const runSuggest = () => {
    if (sides.left === null || sides.right === null) return;
    suggest.mutate(
      { source_data_source_id: sides.left, target_data_source_id: sides.right },
      {
        onSuccess: (proposal) => {
          const loaded = draftFromRules(proposal.rules);
          if (loaded.ok) dispatch({ type: 'load', draft: loaded.draft });
          setNotes(proposal.notes);
          setJson(null);
        },
      },
    );
  };

  const submit = () => {
    if (problemCount > 0 || inJson || name.trim() === '') return;
    const body = { name: name.trim(), description, rules: rulesFromDraft(draft) };
    const onSuccess = (saved: RuleSetView) => {
      notifications.show({
        color: 'teal',
        message: `Rule set "${saved.name}" saved as version ${String(saved.version)}`,
      });
      onClose(saved);
    };
    if (ruleSet === undefined) create.mutate(body, { onSuccess });
    else update.mutate({ ...body, id: ruleSet.id }, { onSuccess });
  };

  return (
    <Grid gap="md" align="flex-start">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack
          gap="sm"
          component="form"
          aria-label="Rule builder"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Group align="flex-start" gap="sm">
            <TextInput
              label="Rule set name"
              value={name}
              required
              w={280}
              size="xs"
              error={
                name.trim() === ''
                  ? 'Give the rule set a name'
                  : isApiError(save.error)
                    ? save.error.fieldError('name')
                    : undefined
              }
              onChange={(e) => {
                setName(e.currentTarget.value);
              }}
            />
            <TextInput
              label="Description"
              value={description}
              style={{ flex: 1 }}
              size="xs"
              onChange={(e) => {
                setDescription(e.currentTarget.value);
              }}
            />
          </Group>
          <SegmentedControl
            size="xs"
            w="fit-content"
            aria-label="Editor"
            value={inJson ? 'json' : 'form'}
            data={[
              { value: 'form', label: 'Form' },
              { value: 'json', label: 'Advanced: JSON' },
            ]}
            onChange={(mode) => {
              if (mode === 'json') setJson(JSON.stringify(rulesFromDraft(draft), null, 2));
              else toForm();
            }}
          />
          {inJson ? (
            <Stack gap="xs">
              <Textarea
                label="Rules (engine JSON)"
                autosize
                minRows={12}
                maxRows={30}
                ff="monospace"
                size="xs"
                value={json}
                error={jsonError}
                onChange={(e) => {
                  setJson(e.currentTarget.value);
                }}
              />
              <Button size="xs" variant="default" w="fit-content" onClick={toForm}>
                Apply JSON to the form
              </Button>
            </Stack>
          ) : (
            <RuleForm draft={draft} dispatch={dispatch} errors={errors} extraColumns={extraColumns} />
          )}
          {save.isError && (
            <ErrorAlert
              error={save.error}
              title="Could not save"
              shownFields={['name', ...[...errors.keys()].map((p) => `rules.${p}`)]}
            />
          )}
          {problemCount > 0 && !inJson && (
            <Alert color="red" variant="light" p="xs" role="status">
              <Text size="sm">
                {problemCount === 1 ? '1 problem' : `${String(problemCount)} problems`} to fix before a dry
                run or saving.
              </Text>
            </Alert>
          )}
          <Group gap="xs">
            {canSave && (
              <Button
                type="submit"
                size="sm"
                loading={save.isPending}
                disabled={problemCount > 0 || inJson || name.trim() === ''}
              >
                {ruleSet === undefined ? 'Save rule set' : 'Save as new version'}
              </Button>
            )}
            <Button
              size="sm"
              variant="default"
              onClick={() => {
                onClose();
              }}
            >
              Cancel
            </Button>
            {!canSave && (
              <Text size="xs" c="dimmed">
                Managers and owners save rule sets; you can try rules with a dry run.
              </Text>
            )}
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <BuilderSidePanel
          sources={sources.data ?? []}
          left={sides.left}
          right={sides.right}
          onPick={(side, id) => {
            setSides((s) => ({ ...s, [side]: id }));
          }}
          onSuggest={runSuggest}
          isSuggesting={suggest.isPending}
          suggestError={suggest.error}
          notes={notes}
          onDryRun={runDry}
          dryRun={{
            result: dryRun.data,
            isPending: dryRun.isPending,
            error: dryRun.error,
            isStale: ranWith !== null && ranWith !== rulesJson,
          }}
          blockedReason={
            inJson ? 'Apply the JSON to the form first.' : problemCount > 0 ? 'Fix the rules first.' : null
          }
        />
      </Grid.Col>
    </Grid>
  );
}
