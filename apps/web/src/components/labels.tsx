import { Badge } from '@mantine/core';
import type { ProjectRole } from '@recon/shared';

/** Project roles, strongest first, with what each may do (shown next to the role picker). */
export const PROJECT_ROLE_OPTIONS: { value: ProjectRole; label: string; description: string }[] = [
  { value: 'owner', label: 'Owner', description: 'Manages members, settings and can delete the project' },
  { value: 'manager', label: 'Manager', description: 'Configures sources, rules and jobs' },
  { value: 'analyst', label: 'Analyst', description: 'Reviews matches and resolves exceptions' },
  { value: 'viewer', label: 'Viewer', description: 'Reads results and reports' },
];

const ROLE_LABEL: Record<ProjectRole, string> = {
  owner: 'Owner',
  manager: 'Manager',
  analyst: 'Analyst',
  viewer: 'Viewer',
};

/** A project role as a neutral badge. */
export function ProjectRoleBadge({ role }: { role: ProjectRole }) {
  return (
    <Badge
      variant={role === 'owner' ? 'light' : 'outline'}
      color={role === 'owner' ? 'ledger' : 'gray'}
      radius="sm"
    >
      {ROLE_LABEL[role]}
    </Badge>
  );
}

/** Active/archived/disabled state: colour only where it carries meaning. */
export function StatusBadge({
  status,
}: {
  status: 'active' | 'archived' | 'disabled' | 'revoked' | 'expired';
}) {
  const color = status === 'active' ? 'teal' : status === 'archived' ? 'gray' : 'red';
  const label = status.charAt(0).toUpperCase() + status.slice(1);
  return (
    <Badge variant="dot" color={color} radius="sm" fw={500} tt="none">
      {label}
    </Badge>
  );
}
