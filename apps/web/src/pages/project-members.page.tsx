import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { hasProjectRole } from '@recon/shared';
import type { ProjectRole } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Trash2, UserPlus } from 'lucide-react';
import type { SyntheticEvent } from 'react';
import { useState } from 'react';
import { useCurrentUser } from '../auth/auth.hooks';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorAlert } from '../components/error-alert';
import { TableScroll } from '../components/table-scroll';
import { ErrorState } from '../components/error-state';
import { formatDate } from '../components/format';
import { PROJECT_ROLE_OPTIONS, ProjectRoleBadge } from '../components/labels';
import { addMemberSchema } from '../forms/member.form';
import { dropField, mergeFieldErrors, validate } from '../forms/validate';
import type { FieldErrors } from '../forms/validate';
import type { MemberView } from '../queries/projects.queries';
import { useAddMember, useChangeMemberRole, useMembers, useRemoveMember } from '../queries/projects.queries';
import { useProjectContext } from './project.page';

const roleData = PROJECT_ROLE_OPTIONS.map(({ value, label }) => ({ value, label }));

function isProjectRole(value: string | null): value is ProjectRole {
  return PROJECT_ROLE_OPTIONS.some((option) => option.value === value);
}

function AddMemberForm({ projectId }: { projectId: string }) {
  const add = useAddMember(projectId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('analyst');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validate(addMemberSchema, { email, role });
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    add.mutate(result.data, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Member added',
          message: `${result.data.email} can now open this project.`,
        });
        setEmail('');
      },
    });
  };
  const errors = mergeFieldErrors(clientErrors, add.error);
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add a member">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label="Email"
            placeholder="colleague@company.com"
            type="email"
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              setClientErrors(dropField('email'));
            }}
            error={errors.email}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            label="Role"
            data={roleData}
            value={role}
            onChange={(value) => {
              if (isProjectRole(value)) setRole(value);
            }}
            allowDeselect={false}
            error={errors.role}
            w={160}
          />
          <Button
            type="submit"
            mt={25}
            loading={add.isPending}
            leftSection={<UserPlus size={16} aria-hidden />}
          >
            Add member
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {PROJECT_ROLE_OPTIONS.find((option) => option.value === role)?.description}. The person needs an
          account first; an administrator can create one.
        </Text>
        {add.isError && <ErrorAlert error={add.error} shownFields={['email', 'role']} />}
      </Stack>
    </form>
  );
}

/** Who can open the project and what each person may do. */
export function ProjectMembersPage() {
  const { project } = useProjectContext();
  const me = useCurrentUser();
  const members = useMembers(project.id);
  const changeRole = useChangeMemberRole(project.id);
  const remove = useRemoveMember(project.id);
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const canManage = hasProjectRole(project.my_role, 'owner') && project.status === 'active';

  const onRoleChange = (member: MemberView, role: ProjectRole) => {
    changeRole.mutate(
      { userId: member.user_id, role },
      {
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Role not changed', message: error.message }),
      },
    );
  };

  return (
    <Stack gap="lg">
      {canManage && (
        <Paper p="lg">
          <Text fw={600} mb="sm">
            Add a member
          </Text>
          <AddMemberForm projectId={project.id} />
        </Paper>
      )}
      <Paper className="recon-table-card">
        {members.isPending ? (
          <Stack p="md" gap="sm" aria-label="Loading members">
            <Skeleton h={28} />
            <Skeleton h={28} />
          </Stack>
        ) : members.isError ? (
          <ErrorState error={members.error} onRetry={() => void members.refetch()} />
        ) : (
          <TableScroll minWidth={560}>
            <Table className="recon-table" aria-label="Project members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th w={180}>Role</Table.Th>
                  <Table.Th className="num">Added</Table.Th>
                  {canManage && <Table.Th w={60} aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.map((member) => (
                  <Table.Tr key={member.user_id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {member.name}
                        {member.user_id === me.id && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            (you)
                          </Text>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {member.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {canManage && member.user_id !== me.id ? (
                        <Select
                          size="xs"
                          data={roleData}
                          value={member.role}
                          allowDeselect={false}
                          aria-label={`Role of ${member.email}`}
                          onChange={(value) => {
                            if (isProjectRole(value)) onRoleChange(member, value);
                          }}
                          disabled={changeRole.isPending}
                        />
                      ) : (
                        <ProjectRoleBadge role={member.role} />
                      )}
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm">{formatDate(member.added_at)}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        {member.user_id !== me.id && (
                          <Tooltip label="Remove from project">
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={`Remove ${member.email}`}
                              onClick={() => {
                                remove.reset();
                                setRemoving(member);
                              }}
                            >
                              <Trash2 size={16} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Paper>
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        message={
          <>
            <strong>{removing?.name}</strong> ({removing?.email}) will lose access to{' '}
            <strong>{project.name}</strong>.
          </>
        }
        confirmLabel="Remove"
        danger
        isPending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setRemoving(null);
        }}
        onConfirm={() => {
          if (removing)
            remove.mutate(removing.user_id, {
              onSuccess: () => {
                setRemoving(null);
              },
            });
        }}
      />
    </Stack>
  );
}
