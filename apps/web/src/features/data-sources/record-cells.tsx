import { Table, Text } from '@mantine/core';
import type { RecordView } from '@recon/shared';
import type { CSSProperties } from 'react';
import { formatMinor } from '../results/money';
import { extraText } from './preview-rows';

/** A parsed record as the previews show it; the mapping preview's records carry no `extra`. */
type ShownRecord = Omit<RecordView, 'extra'> & Partial<Pick<RecordView, 'extra'>>;

interface RecordColumnsProps {
  /** The mapping editor shows the value date too: a mapped value-date column is checked there. */
  withValueDate?: boolean;
  /** Style of the first cell (the raw/parsed split rule). */
  leadStyle?: CSSProperties;
}

/** How many cells {@link RecordCells} renders, for a rejected row's spanning cell. */
export const recordColumnCount = (withValueDate = false) => (withValueDate ? 7 : 6);

/** The header cells of a parsed record, in the order of {@link RecordCells}. */
export function RecordHeads({ withValueDate = false, leadStyle }: RecordColumnsProps) {
  return (
    <>
      <Table.Th style={leadStyle}>Booking date</Table.Th>
      {withValueDate && <Table.Th>Value date</Table.Th>}
      <Table.Th className="num">Amount</Table.Th>
      <Table.Th>Currency</Table.Th>
      <Table.Th>Reference</Table.Th>
      <Table.Th>Counterparty</Table.Th>
      <Table.Th>Description</Table.Th>
    </>
  );
}

/**
 * The canonical values one row became, shared by the stored-rows preview and the live mapping preview
 * so both show amounts, dates and blanks (`—`) the same way.
 */
export function RecordCells({
  record,
  withValueDate = false,
  leadStyle,
}: RecordColumnsProps & { record: ShownRecord }) {
  const extra =
    record.extra && Object.keys(record.extra).length > 0 ? extraText({ extra: record.extra }) : '';
  return (
    <>
      <Table.Td style={leadStyle}>{record.booking_date ?? '—'}</Table.Td>
      {withValueDate && <Table.Td>{record.value_date ?? '—'}</Table.Td>}
      <Table.Td className="num" fw={500}>
        {formatMinor(record.amount_minor, record.scale)}
      </Table.Td>
      <Table.Td>{record.currency ?? '—'}</Table.Td>
      <Table.Td ff="monospace" fz="sm">
        {record.reference ?? '—'}
      </Table.Td>
      <Table.Td>{record.counterparty ?? '—'}</Table.Td>
      <Table.Td fz="sm">
        {record.description ?? '—'}
        {extra !== '' && (
          <Text size="xs" c="dimmed" lineClamp={2} title={extra}>
            {extra}
          </Text>
        )}
      </Table.Td>
    </>
  );
}
