import {
  ActionIcon,
  Button,
  Group,
  Menu,
  Pagination,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import type { UserView } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Ellipsis, Plus, ShieldCheck, ShieldOff, Trash2, UserCheck, UserX } from 'lucide-react';
import { useState } from 'react';
import { useCurrentUser } from '../auth/auth.hooks';
import { ConfirmModal } from '../components/confirm-modal';
import { TableScroll } from '../components/table-scroll';
import { ErrorState } from '../components/error-state';
import { formatDate, formatDateTime } from '../components/format';
import { StatusBadge } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { PersonCell } from '../components/person-cell';
import { USERS_PAGE_SIZE, useDeleteUser, useUpdateUser, useUsers } from '../queries/users.queries';
import { CreateUserModal } from './create-user.modal';

function UserActions({ user, onDelete }: { user: UserView; onDelete: () => void }) {
  const update = useUpdateUser();
  const change = (patch: Partial<Pick<UserView, 'role' | 'status'>>, done: string) => {
    update.mutate(
      { id: user.id, ...patch },
      {
        onSuccess: () => notifications.show({ color: 'teal', title: 'User updated', message: done }),
        onError: (error) =>
          notifications.show({ color: 'red', title: 'User not updated', message: error.message }),
      },
    );
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={`Actions for ${user.email}`}
          loading={update.isPending}
        >
          <Ellipsis size={16} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {user.role === 'admin' ? (
          <Menu.Item
            leftSection={<ShieldOff size={16} aria-hidden />}
            onClick={() => {
              change({ role: 'user' }, `${user.email} is no longer an administrator.`);
            }}
          >
            Remove administrator role
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<ShieldCheck size={16} aria-hidden />}
            onClick={() => {
              change({ role: 'admin' }, `${user.email} is now an administrator.`);
            }}
          >
            Make administrator
          </Menu.Item>
        )}
        {user.status === 'active' ? (
          <Menu.Item
            leftSection={<UserX size={16} aria-hidden />}
            onClick={() => {
              change({ status: 'disabled' }, `${user.email} is disabled and signed out everywhere.`);
            }}
          >
            Disable account
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<UserCheck size={16} aria-hidden />}
            onClick={() => {
              change({ status: 'active' }, `${user.email} can sign in again.`);
            }}
          >
            Enable account
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<Trash2 size={16} aria-hidden />} onClick={onDelete}>
          Delete user
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Everyone with an account (administrators only): create, promote, disable, delete. */
export function AdminUsersPage() {
  const me = useCurrentUser();
  const [page, setPage] = useState(1);
  const users = useUsers(page);
  const remove = useDeleteUser();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<UserView | null>(null);
  const pages = users.data ? Math.max(1, Math.ceil(users.data.total / USERS_PAGE_SIZE)) : 1;

  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in. Project access is granted per project by its owners."
        actions={
          <Button
            leftSection={<Plus size={16} aria-hidden />}
            onClick={() => {
              setCreating(true);
            }}
          >
            New user
          </Button>
        }
      />
      <Paper className="recon-table-card">
        {users.isPending ? (
          <Stack p="md" gap="sm" aria-label="Loading users">
            <Skeleton h={28} />
            <Skeleton h={28} />
            <Skeleton h={28} />
          </Stack>
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <>
            <TableScroll minWidth={760}>
              <Table className="recon-table" highlightOnHover aria-label="Users">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>User</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th className="num">Last sign-in</Table.Th>
                    <Table.Th className="num">Created</Table.Th>
                    <Table.Th w={60} aria-label="Actions" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((user) => (
                    <Table.Tr key={user.id}>
                      <Table.Td>
                        <PersonCell name={user.name} email={user.email} isYou={user.id === me.id} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{user.role === 'admin' ? 'Administrator' : 'User'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={user.status} />
                      </Table.Td>
                      <Table.Td className="num">
                        <Text size="sm">
                          {user.last_login_at ? formatDateTime(user.last_login_at) : 'Never'}
                        </Text>
                      </Table.Td>
                      <Table.Td className="num">
                        <Text size="sm">{formatDate(user.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        {user.id !== me.id && (
                          <UserActions
                            user={user}
                            onDelete={() => {
                              remove.reset();
                              setDeleting(user);
                            }}
                          />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableScroll>
            <Group
              justify="space-between"
              px="md"
              py="sm"
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
            >
              <Text size="xs" c="dimmed">
                {users.data.total} {users.data.total === 1 ? 'user' : 'users'}
              </Text>
              {pages > 1 && <Pagination size="sm" total={pages} value={page} onChange={setPage} />}
            </Group>
          </>
        )}
      </Paper>
      <CreateUserModal
        opened={creating}
        onClose={() => {
          setCreating(false);
        }}
      />
      <ConfirmModal
        opened={deleting !== null}
        title="Delete user"
        message={`${deleting?.name ?? ''} (${deleting?.email ?? ''}) loses access to everything. Their past actions stay in the audit log.`}
        confirmLabel="Delete user"
        danger
        isPending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setDeleting(null);
        }}
        onConfirm={() => {
          if (deleting)
            remove.mutate(deleting.id, {
              onSuccess: () => {
                setDeleting(null);
              },
            });
        }}
      />
    </>
  );
}
