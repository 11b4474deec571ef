/** Which tables an export holds. */
export type ExportPart = 'matches' | 'unmatched' | 'all';

/** An amount: signed integer minor units (decimal string) and the currency's decimal places. */
export interface MoneyCell {
  readonly kind: 'money';
  readonly minor: string;
  readonly scale: number;
}
/** A calendar date, `YYYY-MM-DD`, with no time or zone. */
export interface DateCell {
  readonly kind: 'date';
  readonly iso: string;
}
/** One exported value. Money and dates are typed so each format can write them its own way. */
export type Cell = string | number | MoneyCell | DateCell | null | undefined;

/** One exported table: its columns, then its rows a batch at a time. */
export interface Table {
  readonly name: 'matches' | 'unmatched';
  readonly columns: readonly string[];
  readonly rows: AsyncGenerator<Cell[]>;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV and JSON write money as minor units and dates as ISO text. */
export function plainCell(cell: Cell): string | number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell !== 'object') return cell;
  return cell.kind === 'money' ? cell.minor : cell.iso;
}

/**
 * Text starting with `=`, `+`, `-`, `@` (or tab/CR) is prefixed with `'` so spreadsheets do not run it as a
 * formula (OWASP CSV injection); a plain number cannot be a formula and is left alone.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/**
 * Minor units as an exact decimal string: `decimalOf('-30050', 2)` is `'-300.50'`. Pure string work, so
 * no binary floating point is involved whatever the size.
 */
export function decimalOf(minor: string, scale: number): string {
  const negative = minor.startsWith('-');
  const digits = (negative ? minor.slice(1) : minor).padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
