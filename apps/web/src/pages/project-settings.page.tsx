import { Button, Divider, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { hasProjectRole, updateProjectBodySchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Archive, ArchiveRestore, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmModal } from '../components/confirm-modal';
import { FormSection } from '../components/form-section';
import { useFormFields } from '../components/use-form-fields';
import { useDeleteProject, useUpdateProject } from '../queries/projects.queries';
import { useProjectContext } from './project.page';

function DetailsForm() {
  const { project } = useProjectContext();
  const update = useUpdateProject(project.id);
  const initial = { name: project.name, description: project.description };
  const form = useFormFields(updateProjectBodySchema, initial, update.error);
  const canEdit = hasProjectRole(project.my_role, 'manager') && project.status === 'active';
  const isDirty = form.values.name !== project.name || form.values.description !== project.description;
  const onSubmit = form.handleSubmit((data) => {
    update.mutate(data, {
      onSuccess: () =>
        notifications.show({ color: 'teal', title: 'Project saved', message: 'The new details are live.' }),
    });
  });
  return (
    <FormSection
      title="Details"
      onSubmit={onSubmit}
      error={update.error}
      shownFields={['name', 'description']}
      submitLabel="Save changes"
      isPending={update.isPending}
      canSubmit={isDirty}
      isEditable={canEdit}
    >
      <TextInput label="Name" {...form.input('name')} disabled={!canEdit} required />
      <Textarea
        label="Description"
        autosize
        minRows={2}
        maxRows={6}
        {...form.input('description')}
        disabled={!canEdit}
      />
    </FormSection>
  );
}

/** Rename, archive or delete a project. */
export function ProjectSettingsPage() {
  const { project } = useProjectContext();
  const navigate = useNavigate();
  const archive = useUpdateProject(project.id);
  const remove = useDeleteProject(project.id);
  const [confirming, setConfirming] = useState<'archive' | 'delete' | null>(null);
  const isArchived = project.status === 'archived';
  const canArchive = hasProjectRole(project.my_role, 'manager');
  const canDelete = hasProjectRole(project.my_role, 'owner');

  return (
    <Stack gap="lg">
      <Paper p="lg" key={`${project.id}:${project.updated_at}`}>
        <DetailsForm />
      </Paper>
      <Paper p="lg" style={{ borderColor: 'var(--mantine-color-red-2)' }}>
        <Title order={2} fz="md" mb="md">
          Archive and delete
        </Title>
        <Stack gap="md">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={500} size="sm">
                {isArchived ? 'Restore this project' : 'Archive this project'}
              </Text>
              <Text size="sm" c="dimmed">
                {isArchived
                  ? 'Make the project editable again.'
                  : 'Keep everything, read-only. Archived projects leave the active list and can be restored.'}
              </Text>
            </div>
            <Button
              variant="default"
              leftSection={
                isArchived ? <ArchiveRestore size={16} aria-hidden /> : <Archive size={16} aria-hidden />
              }
              disabled={!canArchive}
              onClick={() => {
                archive.reset();
                setConfirming('archive');
              }}
            >
              {isArchived ? 'Restore' : 'Archive'}
            </Button>
          </Group>
          <Divider />
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={500} size="sm">
                Delete this project
              </Text>
              <Text size="sm" c="dimmed">
                Removes the project, its members and everything in it. This cannot be undone.
              </Text>
            </div>
            <Button
              color="red"
              variant="light"
              leftSection={<Trash2 size={16} aria-hidden />}
              disabled={!canDelete}
              onClick={() => {
                remove.reset();
                setConfirming('delete');
              }}
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Paper>
      <ConfirmModal
        opened={confirming === 'archive'}
        title={isArchived ? 'Restore project' : 'Archive project'}
        message={
          isArchived
            ? `“${project.name}” becomes active and editable again.`
            : `“${project.name}” becomes read-only and moves to the archived list.`
        }
        confirmLabel={isArchived ? 'Restore' : 'Archive'}
        isPending={archive.isPending}
        error={archive.error}
        onClose={() => {
          setConfirming(null);
        }}
        onConfirm={() => {
          archive.mutate(
            { status: isArchived ? 'active' : 'archived' },
            {
              onSuccess: () => {
                setConfirming(null);
              },
            },
          );
        }}
      />
      <ConfirmModal
        opened={confirming === 'delete'}
        title="Delete project"
        message={`This permanently deletes “${project.name}” and everything in it.`}
        confirmLabel="Delete project"
        danger
        typeToConfirm={project.name}
        isPending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setConfirming(null);
        }}
        onConfirm={() => {
          remove.mutate(undefined, {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: 'Project deleted',
                message: `“${project.name}” is gone.`,
              });
              void navigate('/projects', { replace: true });
            },
          });
        }}
      />
    </Stack>
  );
}
