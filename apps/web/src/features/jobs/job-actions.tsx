import { Button, Group } from '@mantine/core';
import type { JobView } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Play, RotateCcw, Square, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ConfirmModal } from '../../components/confirm-modal';
import { describeError } from '../../components/error-alert';
import type { JobAction } from './jobs.queries';
import { isActive, useDeleteJob, useJobAction } from './jobs.queries';

const LABEL: Record<JobAction, string> = { start: 'Start', rerun: 'Rerun', cancel: 'Cancel' };

/** Start, cancel, rerun and delete, offered only when the job's state allows them. */
export function JobActions({ job, onDeleted }: { job: JobView; onDeleted?: () => void }) {
  const action = useJobAction(job.project_id);
  const remove = useDeleteJob(job.project_id);
  const [isConfirming, setConfirming] = useState(false);

  const run = (kind: JobAction) => {
    action.mutate(
      { id: job.id, action: kind },
      {
        onError: (error) => {
          const described = describeError(error);
          notifications.show({
            color: 'red',
            title: `${LABEL[kind]} failed`,
            message: described.detail || described.title,
          });
        },
      },
    );
  };
  const isFinished = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled';

  return (
    <Group gap={6} wrap="nowrap" justify="flex-end">
      {job.status === 'draft' && (
        <Button
          size="xs"
          leftSection={<Play size={14} aria-hidden />}
          onClick={() => {
            run('start');
          }}
          loading={action.isPending}
        >
          Start
        </Button>
      )}
      {isActive(job) && (
        <Button
          size="xs"
          variant="default"
          leftSection={<Square size={14} aria-hidden />}
          onClick={() => {
            run('cancel');
          }}
          loading={action.isPending}
          aria-label={`Cancel ${job.name}`}
        >
          Cancel
        </Button>
      )}
      {isFinished && (
        <Button
          size="xs"
          variant="default"
          leftSection={<RotateCcw size={14} aria-hidden />}
          onClick={() => {
            run('rerun');
          }}
          loading={action.isPending}
          aria-label={`Rerun ${job.name}`}
        >
          Rerun
        </Button>
      )}
      {!isActive(job) && (
        <Button
          size="xs"
          variant="subtle"
          color="red"
          px={8}
          onClick={() => {
            setConfirming(true);
          }}
          aria-label={`Delete ${job.name}`}
        >
          <Trash2 size={14} aria-hidden />
        </Button>
      )}
      <ConfirmModal
        opened={isConfirming}
        title="Delete job"
        message={`“${job.name}” and all its results and review decisions will be deleted.`}
        confirmLabel="Delete job"
        danger
        isPending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setConfirming(false);
        }}
        onConfirm={() => {
          remove.mutate(job.id, {
            onSuccess: () => {
              setConfirming(false);
              onDeleted?.();
            },
          });
        }}
      />
    </Group>
  );
}
