import { Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { hasProjectRole } from '@recon/shared';
import type { ProjectRole } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Trash2, UserPlus } from 'lucide-react';
import { useState } from 'react';
import { useCurrentUser } from '../auth/auth.hooks';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorAlert } from '../components/error-alert';
import { formatDate } from '../components/format';
import { PROJECT_ROLE_OPTIONS, ProjectRoleBadge } from '../components/labels';
import { PersonCell } from '../components/person-cell';
import { QueryTableCard } from '../components/query-table-card';
import { RowAction } from '../components/row-action';
import { useFormFields } from '../components/use-form-fields';
import { addMemberSchema } from '../forms/member.form';
import type { MemberView } from '../queries/projects.queries';
import { useAddMember, useChangeMemberRole, useMembers, useRemoveMember } from '../queries/projects.queries';
import { useProjectContext } from './project.page';

const roleData = PROJECT_ROLE_OPTIONS.map(({ value, label }) => ({ value, label }));

function isProjectRole(value: string | null): value is ProjectRole {
  return PROJECT_ROLE_OPTIONS.some((option) => option.value === value);
}

function AddMemberForm({ projectId }: { projectId: string }) {
  const add = useAddMember(projectId);
  const form = useFormFields(addMemberSchema, { email: '', role: 'analyst' }, add.error);
  const role = isProjectRole(form.values.role) ? form.values.role : 'analyst';

  const onSubmit = form.handleSubmit((data) => {
    add.mutate(data, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Member added',
          message: `${data.email} can now open this project.`,
        });
        form.setValue('email', '');
      },
    });
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add a member">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label="Email"
            placeholder="colleague@company.com"
            type="email"
            {...form.input('email')}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            label="Role"
            data={roleData}
            value={role}
            onChange={(value) => {
              if (isProjectRole(value)) form.setValue('role', value);
            }}
            allowDeselect={false}
            error={form.errors.role}
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
      <QueryTableCard query={members} loadingLabel="Loading members" minWidth={560}>
        {(rows) => (
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
              {rows.map((member) => (
                <Table.Tr key={member.user_id}>
                  <Table.Td>
                    <PersonCell name={member.name} email={member.email} isYou={member.user_id === me.id} />
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
                        <RowAction
                          label={`Remove ${member.email}`}
                          tooltip="Remove from project"
                          icon={<Trash2 size={16} aria-hidden />}
                          onClick={() => {
                            remove.reset();
                            setRemoving(member);
                          }}
                        />
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryTableCard>
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
