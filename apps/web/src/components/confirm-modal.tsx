import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { ErrorAlert } from './error-alert';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  isPending?: boolean;
  error?: unknown;
  /** Dangerous actions are red. */
  danger?: boolean;
  /** When set, the person must type this text to enable the button (for irreversible deletes). */
  typeToConfirm?: string;
}

/** Asks before doing something that cannot be undone, and shows the server's answer if it fails. */
export function ConfirmModal(props: ConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const {
    opened,
    title,
    message,
    confirmLabel,
    onConfirm,
    onClose,
    isPending,
    error,
    danger,
    typeToConfirm,
  } = props;
  const isBlocked = typeToConfirm !== undefined && typed.trim() !== typeToConfirm;
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{title}</Text>}>
      <Stack gap="md">
        <Text size="sm">{message}</Text>
        {typeToConfirm !== undefined && (
          <TextInput
            label={`Type “${typeToConfirm}” to confirm`}
            value={typed}
            onChange={(e) => {
              setTyped(e.currentTarget.value);
            }}
            data-autofocus
          />
        )}
        {error !== null && error !== undefined && <ErrorAlert error={error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            color={danger ? 'red' : undefined}
            onClick={onConfirm}
            loading={isPending}
            disabled={isBlocked}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
