import { z } from 'zod';
import { compileDateFormat } from '../parse/date-parse';
import { MONTH_NAME_LANGUAGES } from '../parse/month-names';

const column = z.string().min(1);

const dateFormat = z.string().refine(
  (format) => {
    try {
      compileDateFormat(format);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown date format; use tokens YYYY YY MMMM MMM MM M DD D HH mm ss, or ISO' },
);

/** Default words a direction column uses for money out / money in (compared case-insensitively). */
export const DEFAULT_DEBIT_VALUES = [
  'D',
  'DR',
  'DBIT',
  'DEBIT',
  'DEBET',
  'DÉBIT',
  'S',
  'SOLL',
  'AF',
  'CARGO',
  'DARE',
  '-',
];
/** Default words for money in; see `DEFAULT_DEBIT_VALUES`. */
export const DEFAULT_CREDIT_VALUES = [
  'C',
  'CR',
  'CRDT',
  'CREDIT',
  'CRÉDIT',
  'H',
  'HABEN',
  'BIJ',
  'ABONO',
  'AVERE',
  '+',
];

/** One signed column: positive is money in, negative money out (before `invert_sign`). */
const signedAmount = z.strictObject({ kind: z.literal('signed'), column });
/** Two columns; exactly one of them holds a (non-zero) value per row. Debits become negative. */
const debitCreditAmount = z.strictObject({
  kind: z.literal('debit_credit'),
  debit_column: column,
  credit_column: column,
});
/** An unsigned amount plus a column saying debit or credit (D/C, DR/CR, S/H...). */
const directionAmount = z.strictObject({
  kind: z.literal('direction'),
  column,
  direction_column: column,
  debit_values: z.array(z.string().min(1)).min(1).default(DEFAULT_DEBIT_VALUES),
  credit_values: z.array(z.string().min(1)).min(1).default(DEFAULT_CREDIT_VALUES),
});

/**
 * A date column and its format. `month_names` is the language `MMM` / `MMMM` read (English unless the
 * mapping says otherwise; a language is never inferred per value).
 */
const dateField = (required: boolean) =>
  z
    .strictObject({
      column,
      format: dateFormat,
      required: z.boolean().default(required),
      month_names: z.enum(MONTH_NAME_LANGUAGES).default('en'),
    })
    .nullable()
    .default(null);

/**
 * How the columns of a tabular file become canonical records. JSON on the wire is snake_case.
 * @example
 * {
 *   "external_id": "Transaction ID",
 *   "amount": { "kind": "signed", "column": "Betrag" },
 *   "number_format": { "decimal_separator": ",", "thousands_separator": "." },
 *   "currency": { "fixed": "EUR" },
 *   "booking_date": { "column": "Buchungstag", "format": "DD.MM.YYYY" },
 *   "description": "Verwendungszweck"
 * }
 */
export const columnMappingSchema = z.strictObject({
  version: z.literal(1).default(1),
  external_id: column.nullable().default(null),
  amount: z.discriminatedUnion('kind', [signedAmount, debitCreditAmount, directionAmount]),
  /** Flip every sign, e.g. to read a ledger export from the bank's point of view. */
  invert_sign: z.boolean().default(false),
  number_format: z
    .strictObject({
      decimal_separator: z.enum(['.', ',']).default('.'),
      thousands_separator: z.enum([',', '.', ' ', "'"]).nullable().default(null),
    })
    .refine((format) => format.decimal_separator !== format.thousands_separator, {
      message: 'decimal and thousands separators must differ',
    })
    .default({ decimal_separator: '.', thousands_separator: null }),
  /** Currency from a column, a fixed code, or both (the fixed code fills empty cells). */
  currency: z
    .strictObject({
      column: column.optional(),
      fixed: z
        .string()
        .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
        .optional(),
    })
    .default({}),
  /** Decimals of the minor unit; by default from ISO 4217 per record's currency (JPY 0, KWD 3, else 2). */
  scale: z.number().int().min(0).max(18).nullable().default(null),
  booking_date: dateField(true),
  value_date: dateField(false),
  reference: column.nullable().default(null),
  counterparty: column.nullable().default(null),
  description: column.nullable().default(null),
  account: column.nullable().default(null),
});

/** A column mapping after defaults were applied. */
export type ColumnMapping = z.output<typeof columnMappingSchema>;
/** A column mapping as written by a user or sent over the wire (defaults may be omitted). */
export type ColumnMappingInput = z.input<typeof columnMappingSchema>;
/** The three ways an amount can be laid out. */
export type AmountMapping = ColumnMapping['amount'];

/** Every source column a mapping reads, in mapping order, without duplicates. */
export function mappedColumns(mapping: ColumnMapping): string[] {
  const { amount } = mapping;
  const amountColumns =
    amount.kind === 'signed'
      ? [amount.column]
      : amount.kind === 'debit_credit'
        ? [amount.debit_column, amount.credit_column]
        : [amount.column, amount.direction_column];
  const all = [
    mapping.external_id,
    ...amountColumns,
    mapping.currency.column ?? null,
    mapping.booking_date?.column ?? null,
    mapping.value_date?.column ?? null,
    mapping.reference,
    mapping.counterparty,
    mapping.description,
    mapping.account,
  ];
  return [...new Set(all.filter((name): name is string => name !== null))];
}
