import { Button, EmptyState, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RuleSetView } from '@recon/shared';
import { hasProjectRole } from '@recon/shared';
import { Plus, Workflow } from 'lucide-react';
import { useState } from 'react';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorState } from '../../components/error-state';
import { useProjectContext } from '../../pages/project.page';
import { useRuleSets } from '../jobs/jobs.queries';
import { RuleBuilder } from './builder/rule-builder';
import { RuleSetCard } from './rule-set-card';
import { useDeleteRuleSet } from './rules.queries';

/** What the builder is open on: a new rule set, or an existing one starting from one of its versions. */
type Editing = { ruleSet?: RuleSetView; startFrom?: Record<string, unknown> } | null;

/** A project's saved rule sets with their passes in words and their versions, and the rule builder. */
export function RulesPage() {
  const { project } = useProjectContext();
  const ruleSets = useRuleSets(project.id);
  const remove = useDeleteRuleSet(project.id);
  const [deleting, setDeleting] = useState<RuleSetView | null>(null);
  const canManage = hasProjectRole(project.my_role, 'manager');
  const canTry = hasProjectRole(project.my_role, 'analyst');
  const [editing, setEditing] = useState<Editing>(null);

  if (ruleSets.isPending) {
    return (
      <Stack gap="sm" aria-label="Loading rule sets">
        <Skeleton h={120} />
        <Skeleton h={120} />
      </Stack>
    );
  }
  if (ruleSets.isError) return <ErrorState error={ruleSets.error} onRetry={() => void ruleSets.refetch()} />;

  if (editing !== null) {
    return (
      <Stack gap="md">
        <Text size="sm" fw={600} role="heading" aria-level={2}>
          {editing.ruleSet === undefined
            ? 'New rule set'
            : `Edit ${editing.ruleSet.name} (saving creates version ${String(editing.ruleSet.version + 1)})`}
        </Text>
        <RuleBuilder
          projectId={project.id}
          {...(editing.ruleSet === undefined ? {} : { ruleSet: editing.ruleSet })}
          {...(editing.startFrom === undefined ? {} : { startFrom: editing.startFrom })}
          canSave={canManage}
          onClose={() => {
            setEditing(null);
          }}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed">
          A rule set says which records belong together, pass by pass. Changing one creates a new version;
          jobs keep the version they ran with. Build one here, or let the platform suggest rules from the
          data.
        </Text>
        {canTry && (
          <Button
            size="xs"
            leftSection={<Plus size={14} aria-hidden />}
            onClick={() => {
              setEditing({});
            }}
          >
            New rule set
          </Button>
        )}
      </Group>
      {ruleSets.data.length === 0 ? (
        <Paper className="recon-table-card">
          <EmptyState
            py="xl"
            icon={<Workflow size={22} aria-hidden />}
            title="No rule sets yet"
            description="Press “New rule set”, choose both files and suggest rules from the data, or build the passes yourself."
          />
        </Paper>
      ) : (
        ruleSets.data.map((set) => (
          <RuleSetCard
            key={set.id}
            ruleSet={set}
            canManage={canManage}
            onDelete={setDeleting}
            onEdit={(ruleSet, rules) => {
              setEditing({ ruleSet, startFrom: rules });
            }}
          />
        ))
      )}
      <ConfirmModal
        opened={deleting !== null}
        title="Delete rule set"
        message={`Delete “${deleting?.name ?? ''}” and all its versions? Jobs that already ran keep their results.`}
        confirmLabel="Delete rule set"
        danger
        isPending={remove.isPending}
        error={remove.error}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() => {
          if (!deleting) return;
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: `Rule set "${deleting.name}" deleted` });
              setDeleting(null);
            },
          });
        }}
      />
    </Stack>
  );
}
