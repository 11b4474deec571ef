import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

/** Offers the new version; the reload happens only on the person's click, never under their typing. */
export function showUpdateNotice(activate: () => void): void {
  notifications.show({
    id: 'app-update',
    color: 'blue',
    title: 'A new version is available',
    autoClose: false,
    message: (
      <Group justify="space-between" gap="sm" mt={4}>
        <Text size="sm">Reload to use it. Save anything you are editing first.</Text>
        <Button size="xs" onClick={activate}>
          Reload
        </Button>
      </Group>
    ),
  });
}
