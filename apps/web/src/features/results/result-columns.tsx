// Columns of the results grids: what each row shows, in the order a reviewer reads it.
import { Badge, Text } from '@mantine/core';
import type { MatchView } from '@recon/shared';
import { exceptionAge } from './exception-age';
import { formatMinor } from './money';
import type { DiscrepancyView, ExceptionView } from './results.queries';
import type { Column } from './virtual-table';

const first = (match: MatchView, side: 'left' | 'right') => match[side][0];

function sideSum(match: MatchView, side: 'left' | 'right'): string {
  const records = match[side];
  const total = records.reduce((sum, record) => sum + BigInt(record.amount_minor), 0n);
  return formatMinor(total.toString(), records[0]?.scale ?? 2);
}

export const MATCH_COLUMNS: Column<MatchView>[] = [
  { key: 'id', header: '#', width: '120px', isNumeric: true, render: (m) => m.match_id },
  { key: 'date', header: 'Date', width: '110px', render: (m) => first(m, 'left')?.booking_date ?? '—' },
  {
    key: 'lref',
    header: 'Left reference',
    width: 'minmax(100px, 1fr)',
    render: (m) => m.left.map((r) => r.reference ?? '—').join(', '),
  },
  { key: 'lamt', header: 'Left amount', width: '120px', isNumeric: true, render: (m) => sideSum(m, 'left') },
  {
    key: 'rref',
    header: 'Right reference',
    width: 'minmax(100px, 1fr)',
    render: (m) => m.right.map((r) => r.reference ?? '—').join(', '),
  },
  {
    key: 'ramt',
    header: 'Right amount',
    width: '120px',
    isNumeric: true,
    render: (m) => sideSum(m, 'right'),
  },
  { key: 'pass', header: 'Pass', width: 'minmax(80px, 0.6fr)', render: (m) => m.pass_name },
  {
    key: 'score',
    header: 'Score',
    width: '80px',
    isNumeric: true,
    render: (m) => (
      <Text span size="sm" c={m.score >= 0.9 ? 'teal.8' : m.score >= 0.6 ? 'yellow.8' : 'red.7'} fw={500}>
        {m.score.toFixed(2)}
      </Text>
    ),
  },
  {
    key: 'tier',
    header: 'Tier',
    width: '110px',
    render: (m) => (
      <Badge
        size="sm"
        variant="light"
        color={m.tier === 'suggested' ? 'yellow' : m.tier === 'manual' ? 'grape' : 'teal'}
      >
        {m.tier}
      </Badge>
    ),
  },
];

export const EXCEPTION_COLUMNS: Column<ExceptionView>[] = [
  { key: 'row', header: 'Row', width: '64px', isNumeric: true, render: (e) => e.row },
  { key: 'date', header: 'Date', width: '120px', render: (e) => e.record.booking_date ?? '—' },
  { key: 'ref', header: 'Reference', width: 'minmax(130px, 1fr)', render: (e) => e.record.reference ?? '—' },
  {
    key: 'desc',
    header: 'Description',
    width: 'minmax(160px, 1.5fr)',
    render: (e) => e.record.description ?? '—',
  },
  {
    key: 'amount',
    header: 'Amount',
    width: '140px',
    isNumeric: true,
    render: (e) => formatMinor(e.record.amount_minor, e.record.scale, e.record.currency),
  },
  {
    key: 'nearest',
    header: 'Nearest candidate',
    width: 'minmax(140px, 1fr)',
    render: (e) => (e.nearest ? `row ${e.nearest.row} · ${e.nearest.score.toFixed(2)}` : 'none'),
  },
  { key: 'reason', header: 'Why unmatched', width: 'minmax(160px, 1.5fr)', render: (e) => e.reason },
  { key: 'age', header: 'Open for', width: '90px', render: (e) => exceptionAge(e.first_seen_at, Date.now()) },
  {
    key: 'status',
    header: 'Status',
    width: '110px',
    render: (e) => (
      <Badge size="sm" variant="dot" color={e.status === 'open' ? 'orange' : 'gray'} tt="none" fw={500}>
        {e.status.replace('_', ' ')}
      </Badge>
    ),
  },
];

export const DISCREPANCY_COLUMNS: Column<DiscrepancyView>[] = [
  { key: 'id', header: 'Match', width: '140px', isNumeric: true, render: (d) => d.match_id },
  { key: 'field', header: 'Field', width: '140px', render: (d) => d.field.replace('_', ' ') },
  { key: 'left', header: 'Left', width: '1fr', isNumeric: true, render: (d) => d.left_value },
  { key: 'right', header: 'Right', width: '1fr', isNumeric: true, render: (d) => d.right_value },
  {
    key: 'delta',
    header: 'Difference',
    width: '1fr',
    isNumeric: true,
    render: (d) => (
      <Text span size="sm" c="red.7" fw={500}>
        {d.unit === 'minor' ? formatMinor(d.delta) : `${d.delta} ${d.unit}`}
      </Text>
    ),
  },
];
