import { Badge, Group, Paper, PasswordInput, SimpleGrid, Text, TextInput } from '@mantine/core';
import { nameSchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { z } from 'zod';
import { useCurrentUser } from '../auth/auth.hooks';
import { formatDateTime } from '../components/format';
import { FormSection } from '../components/form-section';
import { PageHeader } from '../components/page-header';
import { useFormFields } from '../components/use-form-fields';
import { changePasswordFormSchema } from '../forms/password.form';
import { useChangePassword, useUpdateProfile } from '../queries/users.queries';

const profileSchema = z.object({ name: nameSchema });

function NameForm() {
  const user = useCurrentUser();
  const update = useUpdateProfile();
  const form = useFormFields(profileSchema, { name: user.name }, update.error);
  const onSubmit = form.handleSubmit((data) => {
    update.mutate(data, {
      onSuccess: () =>
        notifications.show({ color: 'teal', title: 'Profile saved', message: 'Your name is updated.' }),
    });
  });
  return (
    <FormSection
      title="Personal details"
      onSubmit={onSubmit}
      error={update.error}
      shownFields={['name']}
      submitLabel="Save"
      isPending={update.isPending}
      canSubmit={form.values.name !== user.name}
    >
      <TextInput label="Name" {...form.input('name')} required />
      <TextInput
        label="Email"
        value={user.email}
        readOnly
        disabled
        description="Ask an administrator to change it."
      />
    </FormSection>
  );
}

const EMPTY_PASSWORDS = { current_password: '', new_password: '', confirm_password: '' };

function PasswordForm() {
  const change = useChangePassword();
  const form = useFormFields(changePasswordFormSchema, EMPTY_PASSWORDS, change.error);
  const onSubmit = form.handleSubmit((data) => {
    change.mutate(
      { current_password: data.current_password, new_password: data.new_password },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({
            color: 'teal',
            title: 'Password changed',
            message: 'Your other sessions were signed out.',
          });
        },
      },
    );
  });
  return (
    <FormSection
      title="Password"
      onSubmit={onSubmit}
      error={change.error}
      shownFields={Object.keys(EMPTY_PASSWORDS)}
      submitLabel="Change password"
      isPending={change.isPending}
    >
      <PasswordInput
        label="Current password"
        autoComplete="current-password"
        {...form.input('current_password')}
        required
      />
      <PasswordInput
        label="New password"
        description="At least 12 characters. A passphrase works well."
        autoComplete="new-password"
        {...form.input('new_password')}
        required
      />
      <PasswordInput
        label="Repeat new password"
        autoComplete="new-password"
        {...form.input('confirm_password')}
        required
      />
    </FormSection>
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
