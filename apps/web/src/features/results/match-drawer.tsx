import {
  Badge,
  Button,
  Drawer,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import type { MatchView, RecordView } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { Check, Unlink, X } from 'lucide-react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert';
import { formatMinor } from './money';
import { readExplanation } from './match-explanation';
import type { MatchDecision } from './results.queries';
import { useDecideMatch } from './results.queries';

function RecordsCard({ title, records }: { title: string; records: RecordView[] }) {
  return (
    <Paper p="sm" withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={6}>
        {title} · {records.length} {records.length === 1 ? 'record' : 'records'}
      </Text>
      <Stack gap="xs">
        {records.map((record) => (
          <Stack key={record.row} gap={2}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" ff="monospace">
                {record.reference ?? '—'}
              </Text>
              <Text size="md" fw={600} className="num">
                {formatMinor(record.amount_minor, record.scale, record.currency)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              Row {record.row} · {record.booking_date ?? 'no date'}
              {record.counterparty ? ` · ${record.counterparty}` : ''}
            </Text>
            {record.description && <Text size="sm">{record.description}</Text>}
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}

// Amount comparisons carry minor units; people read them as money.
function shownValue(type: string, value: string | null | undefined, scale: number): string {
  if (value === null || value === undefined) return '—';
  return type === 'amount' ? formatMinor(value, scale) : value;
}

function Explanation({ match }: { match: MatchView }) {
  const scale = match.left[0]?.scale ?? 2;
  const explanation = readExplanation(match.explanation);
  if (!explanation) return <Text c="dimmed">No explanation was recorded for this match.</Text>;
  return (
    <Stack gap="xs">
      <Table className="recon-table" aria-label="Comparisons">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Comparison</Table.Th>
            <Table.Th>Left</Table.Th>
            <Table.Th>Right</Table.Th>
            <Table.Th className="num">Score</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {explanation.comparisons.map((comparison, index) => (
            <Table.Tr key={index}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  {comparison.passed ? (
                    <Check size={14} color="var(--mantine-color-teal-7)" aria-label="held" />
                  ) : (
                    <X size={14} color="var(--mantine-color-red-7)" aria-label="failed" />
                  )}
                  <Text size="sm">{comparison.label ?? comparison.type}</Text>
                </Group>
              </Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {shownValue(comparison.type, comparison.left, scale)}
              </Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {shownValue(comparison.type, comparison.right, scale)}
              </Table.Td>
              <Table.Td className="num">{comparison.score.toFixed(2)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {explanation.runnerUp
          ? `Runner-up scored ${explanation.runnerUp.score.toFixed(2)} (left row ${explanation.runnerUp.left ?? '—'}, right row ${explanation.runnerUp.right ?? '—'}); margin ${explanation.margin?.toFixed(2) ?? '—'}.`
          : 'No other candidate came close.'}
        {explanation.isAmbiguous && ' The runner-up was too close to confirm this automatically.'}
      </Text>
    </Stack>
  );
}

/** A match side by side with why the engine made it, and the review actions. */
export function MatchDrawer({
  jobId,
  match,
  onClose,
  canReview,
}: {
  jobId: string;
  match: MatchView | null;
  onClose: () => void;
  canReview: boolean;
}) {
  const decide = useDecideMatch(jobId);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');

  const act = (current: MatchView, decision: MatchDecision) => {
    if (decision === 'unmatch' && reason.trim() === '') {
      setReasonError('Say why the match is wrong; it goes into the audit trail');
      return;
    }
    decide.mutate(
      { match: current, decision, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          const verb = { confirm: 'confirmed', reject: 'rejected', unmatch: 'dissolved' }[decision];
          notifications.show({
            color: 'teal',
            title: `Match ${verb}`,
            message: `Match #${current.match_id}`,
          });
          setReason('');
          decide.reset();
          onClose();
        },
      },
    );
  };
  const isLive = match !== null && (match.status === 'confirmed' || match.status === 'suggested');

  return (
    <Drawer
      opened={match !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={match ? `Match #${match.match_id}` : ''}
    >
      {match && (
        <Stack gap="md">
          <Group gap="xs">
            <Badge variant="light" color={match.tier === 'suggested' ? 'yellow' : 'teal'}>
              {match.tier}
            </Badge>
            <Badge variant="outline" color="gray">
              {match.status}
            </Badge>
            <Text size="sm" c="dimmed">
              {match.pass_name} · score {match.score.toFixed(2)} · difference{' '}
              <span className="num">
                {formatMinor(match.amount_difference_minor, match.left[0]?.scale ?? 2)}
              </span>
            </Text>
          </Group>
          <SimpleGrid cols={2}>
            <RecordsCard title="Left" records={match.left} />
            <RecordsCard title="Right" records={match.right} />
          </SimpleGrid>
          <Title order={3} fz="md">
            Why these were matched
          </Title>
          <Explanation match={match} />
          {canReview && isLive && (
            <Stack gap="sm">
              <Textarea
                label="Reason"
                description="Required to unmatch; optional otherwise"
                value={reason}
                onChange={(event) => {
                  setReason(event.currentTarget.value);
                  setReasonError('');
                }}
                error={reasonError || undefined}
                autosize
                minRows={2}
              />
              <ErrorAlert error={decide.error} />
              <Group>
                {match.status === 'suggested' && (
                  <>
                    <Button
                      color="teal"
                      leftSection={<Check size={16} aria-hidden />}
                      loading={decide.isPending}
                      onClick={() => {
                        act(match, 'confirm');
                      }}
                    >
                      Confirm match
                    </Button>
                    <Button
                      variant="default"
                      leftSection={<X size={16} aria-hidden />}
                      loading={decide.isPending}
                      onClick={() => {
                        act(match, 'reject');
                      }}
                    >
                      Reject
                    </Button>
                  </>
                )}
                <Button
                  variant="subtle"
                  color="red"
                  leftSection={<Unlink size={16} aria-hidden />}
                  loading={decide.isPending}
                  onClick={() => {
                    act(match, 'unmatch');
                  }}
                >
                  Unmatch
                </Button>
              </Group>
            </Stack>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
