import { Group, Text } from '@mantine/core';

/** The product mark: two ledgers meeting in the middle. */
export function Brand({ size = 28 }: { size?: number }) {
  return (
    <Group gap={10} wrap="nowrap">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden>
        <rect width="32" height="32" rx="7" fill="var(--mantine-color-ledger-9)" />
        <path d="M9 12h14M9 20h14" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
        <circle cx="16" cy="16" r="3" fill="var(--mantine-color-ledger-3)" />
      </svg>
      <Text fw={650} fz={15} lh={1} style={{ letterSpacing: '-0.01em' }}>
        378 Recon
      </Text>
    </Group>
  );
}
