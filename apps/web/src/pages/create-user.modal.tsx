import { Button, Group, Modal, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { createUserBodySchema } from '@recon/shared';
import type { UserRole } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { ErrorAlert } from '../components/error-alert';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors } from '../forms/validate';
import { useCreateUser } from '../queries/users.queries';

const EMPTY = { name: '', email: '', password: '', role: 'user' as UserRole };

/** An administrator creates an account and hands the person their first password. */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateUser();
  const [values, setValues] = useState(EMPTY);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const close = () => {
    setValues(EMPTY);
    setClientErrors({});
    create.reset();
    onClose();
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(createUserBodySchema, values);
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    create.mutate(result.data, {
      onSuccess: (user) => {
        notifications.show({
          color: 'teal',
          title: 'User created',
          message: `${user.email} can sign in now.`,
        });
        close();
      },
    });
  };

  const errors = mergeFieldErrors(clientErrors, create.error);
  return (
    <Modal opened={opened} onClose={close} title="New user">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {create.isError && (
            <ErrorAlert error={create.error} shownFields={['name', 'email', 'password', 'role']} />
          )}
          <TextInput
            label="Name"
            value={values.name}
            onChange={(e) => {
              setValues({ ...values, name: e.currentTarget.value });
              setClientErrors(dropField('name'));
            }}
            error={errors.name}
            required
            data-autofocus
          />
          <TextInput
            label="Email"
            type="email"
            value={values.email}
            onChange={(e) => {
              setValues({ ...values, email: e.currentTarget.value });
              setClientErrors(dropField('email'));
            }}
            error={errors.email}
            required
          />
          <PasswordInput
            label="Initial password"
            description="At least 12 characters. Share it safely; they can change it under Profile."
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => {
              setValues({ ...values, password: e.currentTarget.value });
              setClientErrors(dropField('password'));
            }}
            error={errors.password}
            required
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="new-user-role">
              Role
            </Text>
            <SegmentedControl
              aria-labelledby="new-user-role"
              value={values.role}
              onChange={(value) => {
                setValues({ ...values, role: value === 'admin' ? 'admin' : 'user' });
              }}
              data={[
                { value: 'user', label: 'User' },
                { value: 'admin', label: 'Administrator' },
              ]}
            />
            {errors.role && (
              <Text size="xs" c="red">
                {errors.role}
              </Text>
            )}
          </Stack>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
