import type { MinorUnits } from './money';

/** A calendar date as `YYYY-MM-DD` (no time zone: bank dates are calendar dates). */
export type IsoDate = string & { readonly __isoDate: true };

/** Which of the two inputs a record came from. */
export type Side = 'left' | 'right';

/**
 * One record in the engine's canonical shape, whatever file it came from.
 * `amount` is signed: positive is money in (credit to the account holder), negative is money out.
 * Every column the mapping did not consume is kept in `extra`, untouched.
 */
export interface CanonicalRecord {
  /** 1-based data row (or transaction) number in the source file. */
  row: number;
  externalId: string | null;
  amount: MinorUnits;
  /** ISO 4217 code, upper case; null when the source does not say. */
  currency: string | null;
  /** Number of decimals the minor units stand for (2 for cents). */
  scale: number;
  bookingDate: IsoDate | null;
  valueDate: IsoDate | null;
  reference: string | null;
  counterparty: string | null;
  description: string | null;
  account: string | null;
  extra: Readonly<Record<string, string | null>>;
}

/** A value that could not be read: reported row by row, never silently replaced. */
export interface RowError {
  row: number;
  column: string;
  raw: string | null;
  code: RowErrorCode;
  message: string;
}

export type RowErrorCode =
  | 'AMOUNT_INVALID'
  | 'AMOUNT_MISSING'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'AMOUNT_PRECISION'
  | 'DATE_INVALID'
  | 'DATE_MISSING'
  | 'CURRENCY_INVALID'
  | 'DEBIT_CREDIT_CONFLICT'
  | 'DIRECTION_INVALID'
  | 'RECORD_MALFORMED';

/**
 * The DuckDB table every reader fills, one per side (`records_left`, `records_right`).
 * Amounts are HUGEINT minor units so sums of millions of large amounts cannot overflow.
 */
export const CANONICAL_COLUMNS = [
  ['row_no', 'BIGINT NOT NULL'],
  ['external_id', 'VARCHAR'],
  ['amount_minor', 'HUGEINT NOT NULL'],
  ['currency', 'VARCHAR'],
  ['scale', 'INTEGER NOT NULL'],
  ['booking_date', 'DATE'],
  ['value_date', 'DATE'],
  ['reference', 'VARCHAR'],
  ['counterparty', 'VARCHAR'],
  ['description', 'VARCHAR'],
  ['account', 'VARCHAR'],
  ['extra', 'JSON'],
] as const;

/** Name of the canonical table for a side. */
export const recordsTable = (side: Side): string => `records_${side}`;
