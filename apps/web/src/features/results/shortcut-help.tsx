import { Kbd, Modal, Text } from '@mantine/core';
import { Fragment } from 'react';
import { GRID_SHORTCUTS } from './grid-keys';

/** The `?` dialog: every shortcut of the results grids. */
export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md">
      <Text size="sm" c="dimmed" mb="sm">
        They work anywhere on the results except while you type in a field.
      </Text>
      <div className="recon-kbd-list" role="list" aria-label="Shortcuts">
        {GRID_SHORTCUTS.map((shortcut) => (
          <Fragment key={shortcut.does}>
            <span role="listitem" aria-label={`${shortcut.keys.join(' or ')}: ${shortcut.does}`}>
              {shortcut.keys.map((key, index) => (
                <Fragment key={key}>
                  {index > 0 && ' '}
                  <Kbd>{key}</Kbd>
                </Fragment>
              ))}
            </span>
            <Text size="sm" aria-hidden>
              {shortcut.does}
            </Text>
          </Fragment>
        ))}
      </div>
    </Modal>
  );
}
