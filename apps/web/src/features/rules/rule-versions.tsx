import { Group, List, Paper, Select, Stack, Text } from '@mantine/core';
import { formatDateTime } from '../../components/format';
import { diffRuleSets } from './rule-diff';
import type { RuleSetVersion } from './rules.queries';

interface RuleVersionsProps {
  name: string;
  versions: RuleSetVersion[];
  shown: number;
  compareWith: number | null;
  onShow: (version: number) => void;
  onCompare: (version: number | null) => void;
}

/** Pick the version to read, and optionally another to see what changed between the two. */
export function RuleVersions({ name, versions, shown, compareWith, onShow, onCompare }: RuleVersionsProps) {
  const options = versions.map((v) => ({
    value: String(v.version),
    label: `Version ${String(v.version)} · ${formatDateTime(v.created_at)}`,
  }));
  const shownRules = versions.find((v) => v.version === shown)?.rules;
  const baseRules = versions.find((v) => v.version === compareWith)?.rules;
  const older = compareWith !== null && compareWith < shown;
  const changes =
    compareWith === null || baseRules === undefined || shownRules === undefined
      ? null
      : older
        ? diffRuleSets(baseRules, shownRules)
        : diffRuleSets(shownRules, baseRules);
  const [from, to] = older ? [compareWith, shown] : [shown, compareWith];
  const newest = Math.max(...versions.map((v) => v.version));
  return (
    <Stack gap="xs">
      <List size="xs" aria-label={`Versions of ${name}`}>
        {versions.map((v) => (
          <List.Item key={v.version}>
            {`v${String(v.version)} · ${formatDateTime(v.created_at)}${v.version === newest ? ' · current' : ''}`}
          </List.Item>
        ))}
      </List>
      <Group gap="sm" align="flex-end">
        <Select
          size="xs"
          label="Show version"
          data={options}
          value={String(shown)}
          allowDeselect={false}
          onChange={(value) => {
            if (value !== null) onShow(Number(value));
          }}
          w={260}
        />
        <Select
          size="xs"
          label="Compare with"
          placeholder="another version"
          data={options.filter((o) => o.value !== String(shown))}
          value={compareWith === null ? null : String(compareWith)}
          clearable
          onChange={(value) => {
            onCompare(value === null ? null : Number(value));
          }}
          w={260}
        />
      </Group>
      {changes !== null && (
        <Paper
          withBorder
          p="sm"
          radius="md"
          role="region"
          aria-label={`Changes of ${name} from version ${String(from)} to version ${String(to)}`}
        >
          <Text size="sm" fw={600} mb={4}>
            From version {from} to version {to}
          </Text>
          {changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              The rules are the same.
            </Text>
          ) : (
            <Stack gap={6}>
              {changes.map((change) => (
                <div key={change.scope}>
                  <Text size="sm" fw={500}>
                    {change.scope}
                  </Text>
                  <List size="sm" spacing={2}>
                    {change.changes.map((line, i) => (
                      <List.Item key={`${String(i)}-${line}`}>{line}</List.Item>
                    ))}
                  </List>
                </div>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Stack>
  );
}
