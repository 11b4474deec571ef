import { ActionIcon, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

interface RowActionProps {
  /** The accessible name, naming the row ("Remove ada@example.com"). */
  label: string;
  /** The short visible hint ("Remove from project"). */
  tooltip: string;
  icon: ReactNode;
  color?: string;
  onClick: () => void;
}

/** An icon button at the end of a table row, with a tooltip and a label that names its row. */
export function RowAction({ label, tooltip, icon, color = 'gray', onClick }: RowActionProps) {
  return (
    <Tooltip label={tooltip}>
      <ActionIcon variant="subtle" color={color} aria-label={label} onClick={onClick}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}
