import { Badge, Button, Collapse, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import type { RuleSetView } from '@recon/shared';
import { History, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../components/format';
import { RuleVersions } from './rule-versions';
import { RulesView } from './rules-view';
import { useRuleSetVersions } from './rules.queries';

interface RuleSetCardProps {
  ruleSet: RuleSetView;
  canManage: boolean;
  onDelete: (ruleSet: RuleSetView) => void;
  /** Opens the builder on these rules (the version on screen); saving makes the next version. */
  onEdit: (ruleSet: RuleSetView, rules: Record<string, unknown>) => void;
}

/** One rule set: its current passes in words, and every earlier version on request. */
export function RuleSetCard({ ruleSet, canManage, onDelete, onEdit }: RuleSetCardProps) {
  const [showVersions, setShowVersions] = useState(false);
  const [picked, setPicked] = useState<number | null>(null);
  const [compareWith, setCompareWith] = useState<number | null>(null);
  const versions = useRuleSetVersions(ruleSet.id, showVersions);
  const shownVersion = showVersions ? (picked ?? ruleSet.version) : ruleSet.version;
  const shown = versions.data?.find((item) => item.version === shownVersion);
  const rules = shown?.rules ?? ruleSet.rules;

  return (
    <Paper withBorder p="md" radius="md" aria-label={`Rule set ${ruleSet.name}`} component="section">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Group gap="xs">
            <Text fw={600}>{ruleSet.name}</Text>
            <Badge variant="light" size="sm">
              Version {ruleSet.version}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {ruleSet.description ? `${ruleSet.description} · ` : ''}Updated{' '}
            {formatDateTime(ruleSet.updated_at)}
          </Text>
        </div>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<History size={14} aria-hidden />}
            onClick={() => {
              setShowVersions((value) => !value);
            }}
            aria-expanded={showVersions}
          >
            Versions
          </Button>
          {canManage && (
            <Button
              size="xs"
              variant="default"
              leftSection={<Pencil size={14} aria-hidden />}
              onClick={() => {
                onEdit(ruleSet, rules);
              }}
              aria-label={`Edit ${ruleSet.name}`}
            >
              {shownVersion === ruleSet.version ? 'Edit' : `Edit from version ${String(shownVersion)}`}
            </Button>
          )}
          {canManage && (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<Trash2 size={14} aria-hidden />}
              onClick={() => {
                onDelete(ruleSet);
              }}
              aria-label={`Delete ${ruleSet.name}`}
            >
              Delete
            </Button>
          )}
        </Group>
      </Group>
      <Collapse expanded={showVersions}>
        <Stack gap="xs" mb="sm">
          {versions.isPending ? (
            <Skeleton h={28} />
          ) : versions.isError ? (
            <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />
          ) : (
            <RuleVersions
              name={ruleSet.name}
              versions={versions.data}
              shown={shownVersion}
              compareWith={compareWith}
              onShow={(version) => {
                setPicked(version);
                setCompareWith(null);
              }}
              onCompare={setCompareWith}
            />
          )}
        </Stack>
      </Collapse>
      <RulesView rules={rules} label={`Passes of ${ruleSet.name}`} />
    </Paper>
  );
}
