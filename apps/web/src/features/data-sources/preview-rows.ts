import type { PreviewView, RecordView } from '@recon/shared';

type RowError = PreviewView['errors'][number];

/** One row of the side-by-side preview: its raw cells (flagged when unreadable) and what they became. */
export interface SideBySideRow {
  row: number;
  cells: { value: string | null; error: RowError | null }[];
  /** The canonical record, or null when the row was rejected. */
  record: RecordView | null;
  errors: RowError[];
}

export interface SideBySide {
  /** The file's columns (tabular) or the source-text column (bank formats); without the row number. */
  columns: string[];
  rows: SideBySideRow[];
}

/**
 * Lines up the raw rows, the parsed records and the row errors of a preview by data row number. A cell
 * is flagged when an error names its column (a debit/credit error names `Debit / Credit`: both are
 * flagged). Rows only known from records or errors (no raw view kept) still appear, with no cells.
 */
export function sideBySide(preview: PreviewView): SideBySide {
  const columns = preview.raw?.columns.slice(0, -1) ?? [];
  const records = new Map(preview.records.map((r) => [r.row, r]));
  const errorsByRow = new Map<number, RowError[]>();
  for (const error of preview.errors)
    errorsByRow.set(error.row, [...(errorsByRow.get(error.row) ?? []), error]);
  const cellError = (errors: RowError[], column: string) =>
    errors.find((e) => e.column === column || e.column.split(' / ').includes(column)) ?? null;

  const rawRows = new Map<number, (string | null)[]>();
  for (const cells of preview.raw?.rows ?? []) {
    const row = Number(cells.at(-1));
    if (Number.isInteger(row)) rawRows.set(row, cells.slice(0, -1));
  }
  const rowNumbers =
    rawRows.size > 0 ? [...rawRows.keys()] : [...new Set([...records.keys(), ...errorsByRow.keys()])];
  return {
    columns,
    rows: rowNumbers
      .sort((a, b) => a - b)
      .map((row) => {
        const errors = errorsByRow.get(row) ?? [];
        const raw = rawRows.get(row) ?? [];
        return {
          row,
          cells: columns.map((column, i) => ({ value: raw[i] ?? null, error: cellError(errors, column) })),
          record: records.get(row) ?? null,
          errors,
        };
      }),
  };
}

/** A record's `extra` (the columns no field uses) in one line. */
export function extraText(record: Pick<RecordView, 'extra'>): string {
  return Object.entries(record.extra)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
