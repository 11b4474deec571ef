import { Group, Paper, Text } from '@mantine/core';
import { CloudOff } from 'lucide-react';
import { useConnectivity } from './connectivity';

const MESSAGES = {
  offline: {
    title: 'You are offline',
    detail: 'Nothing new loads or saves until the connection is back. What you type stays on the page.',
  },
  unreachable: {
    title: 'The server cannot be reached',
    detail: 'Requests are failing. What you type stays on the page; try saving again in a moment.',
  },
} as const;

/**
 * A bar at the bottom of every screen while the network or the server is gone. It sits over the page
 * rather than replacing it, so forms keep what the person typed.
 */
export function OfflineBanner() {
  const connectivity = useConnectivity();
  if (connectivity === 'online') return null;
  const message = MESSAGES[connectivity];
  return (
    <Paper
      role="status"
      aria-live="polite"
      data-testid="offline-banner"
      shadow="md"
      radius="md"
      px="md"
      py="xs"
      bg="dark.6"
      c="white"
      pos="fixed"
      bottom={16}
      left="50%"
      style={{ transform: 'translateX(-50%)', zIndex: 400, maxWidth: 'calc(100vw - 32px)' }}
    >
      <Group gap="sm" wrap="nowrap">
        <CloudOff size={18} aria-hidden />
        <div>
          <Text size="sm" fw={600}>
            {message.title}
          </Text>
          <Text size="xs" c="gray.4">
            {message.detail}
          </Text>
        </div>
      </Group>
    </Paper>
  );
}
