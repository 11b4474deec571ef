import { Button, Group, VisuallyHidden } from '@mantine/core';
import { Keyboard } from 'lucide-react';

/** Speaks what a keyboard action did (polite: after the current sentence), and offers the shortcut list. */
export function GridStatus({ announcement, onHelp }: { announcement: string; onHelp: () => void }) {
  return (
    <Group justify="flex-end" gap="xs">
      <VisuallyHidden role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </VisuallyHidden>
      <Button
        variant="subtle"
        size="compact-xs"
        color="gray"
        leftSection={<Keyboard size={14} aria-hidden />}
        onClick={onHelp}
      >
        Keyboard shortcuts (?)
      </Button>
    </Group>
  );
}
