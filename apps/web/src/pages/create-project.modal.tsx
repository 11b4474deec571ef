import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { createProjectBodySchema } from '@recon/shared';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../components/error-alert';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors } from '../forms/validate';
import { useCreateProject } from '../queries/projects.queries';

/** Name and describe a new project, then land on it. */
export function CreateProjectModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateProject();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const close = () => {
    setName('');
    setDescription('');
    setClientErrors({});
    create.reset();
    onClose();
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(createProjectBodySchema, { name, description });
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    create.mutate(result.data, {
      onSuccess: (project) => {
        close();
        void navigate(`/projects/${project.id}/members`);
      },
    });
  };

  const errors = mergeFieldErrors(clientErrors, create.error);
  return (
    <Modal opened={opened} onClose={close} title="New project" size="md">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {create.isError && <ErrorAlert error={create.error} shownFields={['name', 'description']} />}
          <TextInput
            label="Name"
            placeholder="Bank vs ledger — EUR"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setClientErrors(dropField('name'));
            }}
            error={errors.name}
            required
            data-autofocus
          />
          <Textarea
            label="Description"
            description="Optional. What is reconciled against what, and for whom."
            autosize
            minRows={2}
            maxRows={6}
            value={description}
            onChange={(e) => {
              setDescription(e.currentTarget.value);
              setClientErrors(dropField('description'));
            }}
            error={errors.description}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create project
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
