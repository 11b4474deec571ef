import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useMe } from '../../auth/auth.hooks';
import type { PresenceViewers } from '../jobs/project-live';
import { presenceKey } from '../jobs/project-live';

/** "Ada Lovelace" → "AL"; one name → its first two letters. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return (words[0] ?? '').slice(0, 2).toUpperCase();
  return `${words[0]?.[0] ?? ''}${words.at(-1)?.[0] ?? ''}`.toUpperCase();
}

const MAX_SHOWN = 4;

/**
 * Colleagues who have this job open right now, from the project room's `presence` messages (the socket
 * writes them to the query cache; nothing is fetched here).
 */
export function JobViewers({ projectId, jobId }: { projectId: string; jobId: string }) {
  const me = useMe().data;
  const { data } = useQuery<PresenceViewers>({ queryKey: presenceKey(projectId), queryFn: skipToken });
  const others = (data ?? []).filter((viewer) => viewer.job_id === jobId && viewer.user_id !== me?.id);
  if (others.length === 0) return null;
  const names = others.map((viewer) => viewer.name);
  return (
    <Group gap={6} role="region" aria-label="Also viewing this job">
      <Avatar.Group spacing="sm">
        {others.slice(0, MAX_SHOWN).map((viewer) => (
          <Tooltip key={viewer.user_id} label={viewer.name} withArrow>
            <Avatar size="sm" radius="xl" color="ledger" aria-label={viewer.name}>
              {initialsOf(viewer.name)}
            </Avatar>
          </Tooltip>
        ))}
        {others.length > MAX_SHOWN && (
          <Avatar size="sm" radius="xl">
            +{others.length - MAX_SHOWN}
          </Avatar>
        )}
      </Avatar.Group>
      <Text size="xs" c="dimmed">
        {names.length === 1 ? `${names[0] ?? ''} is viewing` : `${String(names.length)} colleagues viewing`}
      </Text>
    </Group>
  );
}
