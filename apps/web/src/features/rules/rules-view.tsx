import { Badge, Group, List, Paper, Stack, Text } from '@mantine/core';
import { describeRuleSet } from './rules-describe';

/** A rule set as numbered passes with one line per comparison, the way a reviewer reads it. */
export function RulesView({ rules, label }: { rules: unknown; label: string }) {
  const summary = describeRuleSet(rules);
  if (summary.passes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        These rules have no readable passes.
      </Text>
    );
  }
  return (
    <Stack gap="xs" aria-label={label} role="list">
      {summary.passes.map((pass, index) => (
        <Paper key={`${pass.name}-${String(index)}`} withBorder p="sm" radius="md" role="listitem">
          <Group justify="space-between" gap="xs" mb={4}>
            <Text fw={600} size="sm">
              {index + 1}. {pass.name}
            </Text>
            <Badge variant="light" color="gray" size="sm">
              {pass.kind}
            </Badge>
          </Group>
          <List size="sm" spacing={2}>
            {pass.comparisons.map((line, lineIndex) => (
              <List.Item key={`${line}-${String(lineIndex)}`}>{line}</List.Item>
            ))}
          </List>
          {pass.group !== undefined && (
            <Text size="xs" c="dimmed" mt={4}>
              Groups: {pass.group}
            </Text>
          )}
        </Paper>
      ))}
      {(summary.confidence !== undefined || summary.autoConfirm !== undefined) && (
        <Text size="xs" c="dimmed">
          {summary.confidence !== undefined && `Matches need a score of at least ${summary.confidence}. `}
          {summary.autoConfirm !== undefined &&
            `At ${summary.autoConfirm} or more they are confirmed without review.`}
        </Text>
      )}
    </Stack>
  );
}
