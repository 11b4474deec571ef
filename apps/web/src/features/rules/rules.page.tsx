import { EmptyState, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RuleSetView } from '@recon/shared';
import { hasProjectRole } from '@recon/shared';
import { Workflow } from 'lucide-react';
import { useState } from 'react';
import { ConfirmModal } from '../../components/confirm-modal';
import { ErrorState } from '../../components/error-state';
import { useProjectContext } from '../../pages/project.page';
import { useRuleSets } from '../jobs/jobs.queries';
import { RuleSetCard } from './rule-set-card';
import { useDeleteRuleSet } from './rules.queries';

/** A project's saved rule sets with their passes in words and their versions. */
export function RulesPage() {
  const { project } = useProjectContext();
  const ruleSets = useRuleSets(project.id);
  const remove = useDeleteRuleSet(project.id);
  const [deleting, setDeleting] = useState<RuleSetView | null>(null);
  const canManage = hasProjectRole(project.my_role, 'manager');

  if (ruleSets.isPending) {
    return (
      <Stack gap="sm" aria-label="Loading rule sets">
        <Skeleton h={120} />
        <Skeleton h={120} />
      </Stack>
    );
  }
  if (ruleSets.isError) return <ErrorState error={ruleSets.error} onRetry={() => void ruleSets.refetch()} />;

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A rule set says which records belong together, pass by pass. Changing one creates a new version; jobs
        keep the version they ran with. Create one from a new job with “Suggest rules from the data”.
      </Text>
      {ruleSets.data.length === 0 ? (
        <Paper className="recon-table-card">
          <EmptyState
            py="xl"
            icon={<Workflow size={22} aria-hidden />}
            title="No rule sets yet"
            description="Start a new job, choose both files and press “Suggest rules from the data”, then save the proposal."
          />
        </Paper>
      ) : (
        ruleSets.data.map((set) => (
          <RuleSetCard key={set.id} ruleSet={set} canManage={canManage} onDelete={setDeleting} />
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
