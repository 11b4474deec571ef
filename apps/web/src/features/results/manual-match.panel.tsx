import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/api';
import { ErrorAlert } from '../../components/error-alert';
import { ErrorState } from '../../components/error-state';
import { selectionTotals } from './manual-match';
import { formatMinor } from './money';
import type { ExceptionView } from './results.queries';
import { resultKeys, useUnmatched } from './results.queries';

// The picker lists every unmatched record in row order, whatever the grids are filtered to.
const PICKER_FILTER = { sort: 'row' } as const;

/** Matches open exceptions chosen on both sides by hand, with a reason. */
function useManualMatch(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { left_rows: number[]; right_rows: number[]; reason: string }) =>
      api.post<unknown>(`/api/reconciliation/jobs/${encodeURIComponent(jobId)}/manual-matches`, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: resultKeys.all(jobId) });
    },
  });
}

function SidePicker({
  jobId,
  side,
  picked,
  onToggle,
}: {
  jobId: string;
  side: 'left' | 'right';
  picked: Map<number, ExceptionView>;
  onToggle: (exception: ExceptionView) => void;
}) {
  const query = useUnmatched(jobId, side, PICKER_FILTER);
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Only open items can be matched; written-off and resolved ones stay out of the way.
  const rows = (query.data?.pages.flatMap((page) => page.items) ?? []).filter(
    (e) => e.status === 'open' || e.status === 'investigating',
  );
  return (
    <Paper withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} p="xs">
        {side === 'left' ? 'Left side' : 'Right side'} · {rows.length} open
      </Text>
      <ScrollArea.Autosize mah={320}>
        <Table aria-label={`Pick ${side}`} verticalSpacing={4} highlightOnHover>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.row}>
                <Table.Td w={32}>
                  <Checkbox
                    aria-label={`Pick ${side} row ${String(e.row)}`}
                    checked={picked.has(e.row)}
                    onChange={() => {
                      onToggle(e);
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {e.record.reference ?? '—'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.record.booking_date ?? 'no date'} · {e.record.description ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" className="num">
                  {formatMinor(e.record.amount_minor, e.record.scale, e.record.currency)}
                </Table.Td>
              </Table.Tr>
            ))}
            {rows.length === 0 && !query.isPending && (
              <Table.Tr>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    Nothing open on this side.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  );
}

/** Pick records on both sides, see the running difference, and match them with a reason. */
export function ManualMatchPanel({ jobId, canReview }: { jobId: string; canReview: boolean }) {
  const [left, setLeft] = useState(new Map<number, ExceptionView>());
  const [right, setRight] = useState(new Map<number, ExceptionView>());
  const [reason, setReason] = useState('');
  const match = useManualMatch(jobId);
  const toggle = (set: typeof setLeft) => (e: ExceptionView) => {
    set((current) => {
      const next = new Map(current);
      if (next.has(e.row)) next.delete(e.row);
      else next.set(e.row, e);
      return next;
    });
  };
  const leftRecords = [...left.values()].map((e) => e.record);
  const rightRecords = [...right.values()].map((e) => e.record);
  const totals = selectionTotals(leftRecords, rightRecords);
  const scale = leftRecords[0]?.scale ?? rightRecords[0]?.scale ?? 2;
  const isReady = left.size > 0 && right.size > 0 && reason.trim() !== '';

  const submit = () => {
    match.mutate(
      { left_rows: [...left.keys()], right_rows: [...right.keys()], reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: 'Matched by hand' });
          setLeft(new Map());
          setRight(new Map());
          setReason('');
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <SidePicker jobId={jobId} side="left" picked={left} onToggle={toggle(setLeft)} />
        <SidePicker jobId={jobId} side="right" picked={right} onToggle={toggle(setRight)} />
      </SimpleGrid>
      <Paper withBorder p="sm" aria-label="Selection totals" component="section">
        <Group justify="space-between">
          <Text size="sm">
            Left {left.size} · <span className="num">{formatMinor(totals.left.toString(), scale)}</span>
          </Text>
          <Text size="sm">
            Right {right.size} · <span className="num">{formatMinor(totals.right.toString(), scale)}</span>
          </Text>
          <Text size="sm" fw={600} c={totals.difference === 0n ? 'teal.8' : 'red.7'}>
            Difference <span className="num">{formatMinor(totals.difference.toString(), scale)}</span>
          </Text>
        </Group>
      </Paper>
      {match.isError && <ErrorAlert error={match.error} shownFields={['reason']} />}
      {canReview ? (
        <Group align="flex-end">
          <Textarea
            label="Reason for the match"
            placeholder="Same invoice paid in two instalments"
            autosize
            minRows={1}
            style={{ flex: 1 }}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
            }}
          />
          <Button onClick={submit} disabled={!isReady} loading={match.isPending}>
            Match selected
          </Button>
        </Group>
      ) : (
        <Alert color="gray">Analysts and managers can match records by hand.</Alert>
      )}
    </Stack>
  );
}
