import {
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { nameSchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { z } from 'zod';
import { useCurrentUser } from '../auth/auth.hooks';
import { ErrorAlert } from '../components/error-alert';
import { formatDateTime } from '../components/format';
import { PageHeader } from '../components/page-header';
import { changePasswordFormSchema } from '../forms/password.form';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors } from '../forms/validate';
import { useChangePassword, useUpdateProfile } from '../queries/users.queries';

const profileSchema = z.object({ name: nameSchema });

function NameForm() {
  const user = useCurrentUser();
  const update = useUpdateProfile();
  const [name, setName] = useState(user.name);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(profileSchema, { name });
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    update.mutate(result.data, {
      onSuccess: () =>
        notifications.show({ color: 'teal', title: 'Profile saved', message: 'Your name is updated.' }),
    });
  };
  const errors = mergeFieldErrors(clientErrors, update.error);
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="profile-details">
      <Stack gap="md">
        <Title order={2} fz="md" id="profile-details">
          Personal details
        </Title>
        {update.isError && <ErrorAlert error={update.error} shownFields={['name']} />}
        <TextInput
          label="Name"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setClientErrors(dropField('name'));
          }}
          error={errors.name}
          required
        />
        <TextInput
          label="Email"
          value={user.email}
          readOnly
          disabled
          description="Ask an administrator to change it."
        />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending} disabled={name === user.name}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [values, setValues] = useState({ current_password: '', new_password: '', confirm_password: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues({ ...values, [key]: e.currentTarget.value });
    setClientErrors(dropField(key));
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(changePasswordFormSchema, values);
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    change.mutate(
      { current_password: result.data.current_password, new_password: result.data.new_password },
      {
        onSuccess: () => {
          setValues({ current_password: '', new_password: '', confirm_password: '' });
          notifications.show({
            color: 'teal',
            title: 'Password changed',
            message: 'Your other sessions were signed out.',
          });
        },
      },
    );
  };
  const errors = mergeFieldErrors(clientErrors, change.error);
  const fields = ['current_password', 'new_password', 'confirm_password'];
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="profile-password">
      <Stack gap="md">
        <Title order={2} fz="md" id="profile-password">
          Password
        </Title>
        {change.isError && <ErrorAlert error={change.error} shownFields={fields} />}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          value={values.current_password}
          onChange={set('current_password')}
          error={errors.current_password}
          required
        />
        <PasswordInput
          label="New password"
          description="At least 12 characters. A passphrase works well."
          autoComplete="new-password"
          value={values.new_password}
          onChange={set('new_password')}
          error={errors.new_password}
          required
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          value={values.confirm_password}
          onChange={set('confirm_password')}
          error={errors.confirm_password}
          required
        />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The signed-in person's name and password. */
export function ProfilePage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title="Profile"
        description="How you appear to colleagues, and how you sign in."
        actions={
          <Group gap="xs">
            <Badge variant="light" color={user.role === 'admin' ? 'ledger' : 'gray'} radius="sm">
              {user.role === 'admin' ? 'Administrator' : 'User'}
            </Badge>
            <Text size="xs" c="dimmed">
              Last sign-in {formatDateTime(user.last_login_at)}
            </Text>
          </Group>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Paper p="lg" key={user.updated_at}>
          <NameForm />
        </Paper>
        <Paper p="lg">
          <PasswordForm />
        </Paper>
      </SimpleGrid>
    </>
  );
}
