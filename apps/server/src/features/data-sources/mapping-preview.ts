import {
  ROW_ERROR_MESSAGES,
  columnMappingSchema,
  currencyScale,
  parseAmount,
  parseDate,
  type AmountFormat,
  type ColumnMapping,
} from '@recon/engine';
import type { MappingPreview } from '@recon/shared';

/** The stored first rows of a tabular file: text cells, the data row number in the last column. */
export interface RawRows {
  columns: string[];
  rows: (string | null)[][];
}

type PreviewRow = MappingPreview['rows'][number];
type CellError = PreviewRow['errors'][number];
type Issue = MappingPreview['issues'][number];

const BLANK = /^[ \t\u00A0\u202F]*$/;
const trimmed = (cell: string | null): string | null =>
  cell === null || BLANK.test(cell) ? null : cell.trim();

/** The file's own columns: the raw view without its trailing row number. */
export const fileColumns = (raw: RawRows): string[] => raw.columns.slice(0, -1);

/**
 * Field-level problems of a proposed mapping: the schema's issues, and every mapped column the file
 * lacks (which would otherwise fail the whole ingestion). Paths are prefixed `mapping.` as in the PUT body.
 */
export function mappingIssues(
  mapping: unknown,
  columns: readonly string[] | null,
): { mapping: ColumnMapping | null; issues: Issue[] } {
  const parsed = columnMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    return {
      mapping: null,
      issues: parsed.error.issues.map((issue) => ({
        field: ['mapping', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    };
  }
  if (columns === null) return { mapping: parsed.data, issues: [] };
  const issues = columnFields(parsed.data)
    .filter(([, column]) => !columns.includes(column))
    .map(([field, column]) => ({ field: `mapping.${field}`, message: `the file has no column "${column}"` }));
  return { mapping: issues.length === 0 ? parsed.data : null, issues };
}

/** Each mapped column with the path of the mapping field that names it. */
function columnFields(mapping: ColumnMapping): [string, string][] {
  const { amount } = mapping;
  const fields: [string, string | null | undefined][] = [
    ['external_id', mapping.external_id],
    ...(amount.kind === 'signed'
      ? [['amount.column', amount.column] as [string, string]]
      : amount.kind === 'debit_credit'
        ? [
            ['amount.debit_column', amount.debit_column] as [string, string],
            ['amount.credit_column', amount.credit_column] as [string, string],
          ]
        : [
            ['amount.column', amount.column] as [string, string],
            ['amount.direction_column', amount.direction_column] as [string, string],
          ]),
    ['currency.column', mapping.currency.column],
    ['booking_date.column', mapping.booking_date?.column],
    ['value_date.column', mapping.value_date?.column],
    ['reference', mapping.reference],
    ['counterparty', mapping.counterparty],
    ['description', mapping.description],
    ['account', mapping.account],
  ];
  return fields.filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

const fault = (column: string, raw: string | null, code: keyof typeof ROW_ERROR_MESSAGES): CellError => ({
  column,
  raw,
  code,
  message: ROW_ERROR_MESSAGES[code],
});

/**
 * Reads one raw row with `mapping` the way the engine's SQL normalisation does (same parsers, same checks,
 * same error codes), for a preview while the mapping is being edited.
 */
export function previewRow(mapping: ColumnMapping, cell: (column: string) => string | null, row: number) {
  const errors: CellError[] = [];
  const format: AmountFormat = {
    decimalSeparator: mapping.number_format.decimal_separator,
    thousandsSeparator: mapping.number_format.thousands_separator,
  };
  const currencyColumn = mapping.currency.column;
  const cellCurrency =
    currencyColumn === undefined ? null : (trimmed(cell(currencyColumn))?.toUpperCase() ?? null);
  const currency = cellCurrency ?? mapping.currency.fixed ?? null;
  if (currencyColumn !== undefined && currency !== null && !/^[A-Z]{3}$/.test(currency))
    errors.push(fault(currencyColumn, cell(currencyColumn), 'CURRENCY_INVALID'));
  const scale = mapping.scale ?? currencyScale(currency);
  const readAmount = (column: string) => {
    const raw = cell(column);
    const outcome = parseAmount(raw, format, scale);
    return { raw, outcome, isEmpty: trimmed(raw) === null };
  };

  let amount: bigint | null = null;
  const { amount: layout } = mapping;
  if (layout.kind === 'signed') {
    const a = readAmount(layout.column);
    if (a.outcome.ok) amount = a.outcome.value;
    else
      errors.push({
        ...fault(layout.column, a.raw, 'AMOUNT_INVALID'),
        code: a.outcome.code,
        message: a.outcome.message,
      });
  } else if (layout.kind === 'debit_credit') {
    const debit = readAmount(layout.debit_column);
    const credit = readAmount(layout.credit_column);
    for (const [column, side] of [
      [layout.debit_column, debit],
      [layout.credit_column, credit],
    ] as const) {
      if (!side.isEmpty && !side.outcome.ok)
        errors.push({ column, raw: side.raw, code: side.outcome.code, message: side.outcome.message });
    }
    const both = `${layout.debit_column} / ${layout.credit_column}`;
    const d = debit.outcome.ok ? debit.outcome.value : null;
    const c = credit.outcome.ok ? credit.outcome.value : null;
    const abs = (value: bigint | null) => (value === null ? 0n : value < 0n ? -value : value);
    if (debit.isEmpty && credit.isEmpty) errors.push(fault(both, null, 'AMOUNT_MISSING'));
    else if (d !== null && c !== null && d !== 0n && c !== 0n)
      errors.push(
        fault(both, [debit.raw, credit.raw].filter((v) => v !== null).join(' / '), 'DEBIT_CREDIT_CONFLICT'),
      );
    amount = abs(c) - abs(d);
  } else {
    const a = readAmount(layout.column);
    if (!a.outcome.ok)
      errors.push({ column: layout.column, raw: a.raw, code: a.outcome.code, message: a.outcome.message });
    const direction = trimmed(cell(layout.direction_column))?.toUpperCase() ?? null;
    const isDebit = direction !== null && layout.debit_values.some((v) => v.toUpperCase() === direction);
    const isCredit = direction !== null && layout.credit_values.some((v) => v.toUpperCase() === direction);
    if (!isDebit && !isCredit)
      errors.push(fault(layout.direction_column, cell(layout.direction_column), 'DIRECTION_INVALID'));
    if (a.outcome.ok) {
      const value: bigint = a.outcome.value;
      const magnitude = value < 0n ? -value : value;
      amount = isDebit ? -magnitude : magnitude;
    }
  }
  if (amount !== null && mapping.invert_sign) amount = -amount;

  const readDate = (field: ColumnMapping['booking_date']): string | null => {
    if (field === null) return null;
    const raw = cell(field.column);
    if (!field.required && trimmed(raw) === null) return null;
    const outcome = parseDate(raw, field.format, field.month_names);
    if (outcome.ok) return outcome.value;
    errors.push({ column: field.column, raw, code: outcome.code, message: outcome.message });
    return null;
  };
  const bookingDate = readDate(mapping.booking_date);
  const valueDate = readDate(mapping.value_date);
  const text = (column: string | null) => (column === null ? null : trimmed(cell(column)));
  const record =
    errors.length > 0 || amount === null
      ? null
      : {
          row,
          external_id: text(mapping.external_id),
          amount_minor: amount.toString(),
          currency,
          scale,
          booking_date: bookingDate,
          value_date: valueDate,
          reference: text(mapping.reference),
          counterparty: text(mapping.counterparty),
          description: text(mapping.description),
          account: text(mapping.account),
        };
  return { row, record, errors };
}

/** The stored raw rows read with a proposed mapping; issues instead of rows when the mapping is invalid. */
export function previewMapping(raw: RawRows, proposed: unknown, limit: number): MappingPreview {
  const columns = fileColumns(raw);
  const { mapping, issues } = mappingIssues(proposed, columns);
  if (mapping === null) return { issues, rows: [] };
  const index = new Map(columns.map((name, i) => [name, i]));
  return {
    issues: [],
    rows: raw.rows.slice(0, limit).map((cells) => {
      const row = Number(cells.at(-1) ?? 0);
      return previewRow(mapping, (column) => cells[index.get(column) ?? -1] ?? null, row);
    }),
  };
}
