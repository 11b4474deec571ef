import { Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { KeyRound, LogOut, UserRound } from 'lucide-react';
import { useNavigate } from 'react-router';
import { useCurrentUser, useSignOut } from '../auth/auth.hooks';
import { describeError } from '../components/error-alert';
import { AccountButton } from './account-button';

/** The account menu proper (loaded after first paint by {@link UserMenu}). */
export function AccountMenu() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();

  const onSignOut = () => {
    signOut.mutate(undefined, {
      onError: (error) => {
        // The local session is dropped either way; say so if the server could not be told.
        notifications.show({
          color: 'yellow',
          title: 'Signed out on this device',
          message: describeError(error).detail || describeError(error).title,
        });
      },
      onSettled: () => void navigate('/sign-in', { replace: true }),
    });
  };

  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <AccountButton user={user} />
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item
          leftSection={<UserRound size={16} aria-hidden />}
          onClick={() => void navigate('/profile')}
        >
          Profile
        </Menu.Item>
        <Menu.Item
          leftSection={<KeyRound size={16} aria-hidden />}
          onClick={() => void navigate('/api-keys')}
        >
          API keys
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<LogOut size={16} aria-hidden />}
          onClick={onSignOut}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
