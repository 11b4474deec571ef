import { Avatar, Group, Text, UnstyledButton } from '@mantine/core';
import type { UserView } from '@recon/shared';
import { ChevronDown } from 'lucide-react';
import type { ComponentPropsWithoutRef } from 'react';
import { initialsOf } from '../components/format';

type AccountButtonProps = { user: UserView } & ComponentPropsWithoutRef<'button'>;

/** The header's avatar and name: the account menu's trigger. */
export function AccountButton({ user, ...props }: AccountButtonProps) {
  return (
    <UnstyledButton aria-label={`Account menu for ${user.name}`} data-testid="user-menu" {...props}>
      <Group gap={8} wrap="nowrap">
        <Avatar size={30} radius="xl" color="ledger" variant="light">
          {initialsOf(user.name, user.email)}
        </Avatar>
        <Text size="sm" fw={500} visibleFrom="sm" maw={160} truncate>
          {user.name}
        </Text>
        <ChevronDown size={14} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}
