/**
 * The column-mapping form as plain data: read from the engine's mapping JSON (detected or saved), edited
 * field by field, checked, and written back. Keys of the mapping this form does not know (options added
 * to the engine later) are carried through unchanged, so saving from the form never drops them.
 */

export type AmountKind = 'signed' | 'debit_credit' | 'direction';
export type DecimalSeparator = '.' | ',';
/** `''` means no thousands grouping. */
export type ThousandsSeparator = '' | ',' | '.' | ' ' | "'";

export interface MappingFormState {
  amount_kind: AmountKind;
  /** The signed column, or the unsigned amount of the direction layout. */
  amount_column: string | null;
  debit_column: string | null;
  credit_column: string | null;
  direction_column: string | null;
  /** Comma-separated words, as typed. */
  debit_values: string;
  credit_values: string;
  invert_sign: boolean;
  decimal_separator: DecimalSeparator;
  thousands_separator: ThousandsSeparator;
  currency_column: string | null;
  /** ISO 4217 code used for every row, or for empty currency cells when a column is chosen. */
  currency_fixed: string;
  booking_date_column: string | null;
  booking_date_format: string;
  /** Language of month names read by `MMM` / `MMMM` (the engine's `month_names`). */
  booking_date_month_names: MonthNameLanguage;
  value_date_column: string | null;
  value_date_format: string;
  value_date_month_names: MonthNameLanguage;
  external_id: string | null;
  reference: string | null;
  counterparty: string | null;
  description: string | null;
  account: string | null;
}

/** A form input, as named in `MappingFormState`. */
export type MappingFormField = keyof MappingFormState;
/** Messages by input; `_form` holds those that belong to no input. */
export type MappingFormErrors = Partial<Record<MappingFormField | '_form', string>>;

/** The engine's defaults for a direction column (kept in step with `DEFAULT_DEBIT_VALUES`). */
export const DEFAULT_DEBIT_VALUES = 'D, DR, DBIT, DEBIT, DEBET, DÉBIT, S, SOLL, AF, CARGO, DARE, -';
export const DEFAULT_CREDIT_VALUES = 'C, CR, CRDT, CREDIT, CRÉDIT, H, HABEN, BIJ, ABONO, AVERE, +';

/** Date formats people pick most; any format of the engine's tokens can be typed. */
export const COMMON_DATE_FORMATS = [
  'YYYY-MM-DD',
  'ISO',
  'DD.MM.YYYY',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'D.M.YYYY',
  'DD-MM-YYYY',
  'YYYYMMDD',
  'DD.MM.YY',
  'D MMM YYYY',
] as const;

/** Languages whose month names the engine reads (kept in step with its `MONTH_NAME_LANGUAGES`). */
export const MONTH_NAME_LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'German' },
  { value: 'fr', label: 'French' },
  { value: 'es', label: 'Spanish' },
  { value: 'it', label: 'Italian' },
  { value: 'nl', label: 'Dutch' },
  { value: 'pt', label: 'Portuguese' },
] as const;
export type MonthNameLanguage = (typeof MONTH_NAME_LANGUAGES)[number]['value'];

const monthNames = (value: unknown): MonthNameLanguage =>
  MONTH_NAME_LANGUAGES.find((l) => l.value === value)?.value ?? 'en';

/** True when a date format spells the month as a name (`MMM`, `MMMM`), so its language matters. */
export const usesMonthNames = (format: string): boolean => format.includes('MMM');

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const words = (value: unknown, fallback: string): string =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(', ') : fallback;

/** The form for a mapping (anything the server sent; missing or odd parts fall back to defaults). */
export function formFromMapping(mapping: unknown): MappingFormState {
  const m = isObject(mapping) ? mapping : {};
  const amount = isObject(m.amount) ? m.amount : {};
  const kind: AmountKind =
    amount.kind === 'debit_credit' || amount.kind === 'direction' ? amount.kind : 'signed';
  const numberFormat = isObject(m.number_format) ? m.number_format : {};
  const currency = isObject(m.currency) ? m.currency : {};
  const booking = isObject(m.booking_date) ? m.booking_date : {};
  const value = isObject(m.value_date) ? m.value_date : {};
  const thousands = numberFormat.thousands_separator;
  return {
    amount_kind: kind,
    amount_column: text(amount.column),
    debit_column: text(amount.debit_column),
    credit_column: text(amount.credit_column),
    direction_column: text(amount.direction_column),
    debit_values: words(amount.debit_values, DEFAULT_DEBIT_VALUES),
    credit_values: words(amount.credit_values, DEFAULT_CREDIT_VALUES),
    invert_sign: m.invert_sign === true,
    decimal_separator: numberFormat.decimal_separator === ',' ? ',' : '.',
    thousands_separator:
      thousands === ',' || thousands === '.' || thousands === ' ' || thousands === "'" ? thousands : '',
    currency_column: text(currency.column),
    currency_fixed: text(currency.fixed) ?? '',
    booking_date_column: text(booking.column),
    booking_date_format: text(booking.format) ?? '',
    booking_date_month_names: monthNames(booking.month_names),
    value_date_column: text(value.column),
    value_date_format: text(value.format) ?? '',
    value_date_month_names: monthNames(value.month_names),
    external_id: text(m.external_id),
    reference: text(m.reference),
    counterparty: text(m.counterparty),
    description: text(m.description),
    account: text(m.account),
  };
}

const splitWords = (value: string): string[] =>
  value
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');

function dateField(
  base: unknown,
  column: string | null,
  format: string,
  language: MonthNameLanguage,
): Json | null {
  if (column === null) return null;
  // Keep options of the date field this form does not edit (e.g. `required`).
  const field: Json = { ...(isObject(base) ? base : {}), column, format: format.trim() };
  // Written only when it says something, so a mapping without month names stays as it was.
  if (language !== 'en' || (isObject(base) && 'month_names' in base)) field.month_names = language;
  return field;
}

/**
 * The engine's mapping JSON for the form, starting from `base` (the mapping being edited) so keys the
 * form does not know survive. Empty selects become null; the server validates the result.
 */
export function mappingFromForm(state: MappingFormState, base: unknown = {}): Json {
  const b = isObject(base) ? base : {};
  const amount: Json =
    state.amount_kind === 'signed'
      ? { kind: 'signed', column: state.amount_column }
      : state.amount_kind === 'debit_credit'
        ? { kind: 'debit_credit', debit_column: state.debit_column, credit_column: state.credit_column }
        : {
            kind: 'direction',
            column: state.amount_column,
            direction_column: state.direction_column,
            debit_values: splitWords(state.debit_values),
            credit_values: splitWords(state.credit_values),
          };
  const currency: Json = {};
  if (state.currency_column !== null) currency.column = state.currency_column;
  if (state.currency_fixed.trim() !== '') currency.fixed = state.currency_fixed.trim().toUpperCase();
  return {
    ...b,
    external_id: state.external_id,
    amount,
    invert_sign: state.invert_sign,
    number_format: {
      ...(isObject(b.number_format) ? b.number_format : {}),
      decimal_separator: state.decimal_separator,
      thousands_separator: state.thousands_separator === '' ? null : state.thousands_separator,
    },
    currency: { ...otherKeys(b.currency, ['column', 'fixed']), ...currency },
    booking_date: dateField(
      b.booking_date,
      state.booking_date_column,
      state.booking_date_format,
      state.booking_date_month_names,
    ),
    value_date: dateField(
      b.value_date,
      state.value_date_column,
      state.value_date_format,
      state.value_date_month_names,
    ),
    reference: state.reference,
    counterparty: state.counterparty,
    description: state.description,
    account: state.account,
  };
}

/** The keys of `value` (an object) other than `edited`, which the form writes itself. */
function otherKeys(value: unknown, edited: readonly string[]): Json {
  return isObject(value)
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !edited.includes(key)))
    : {};
}

// The engine's date tokens; anything else in a format must be a literal separator, not a letter.
const DATE_TOKENS = /YYYY|YY|MMMM|MMM|MM|M|DD|D|HH|mm|ss/g;

/** Why a date format cannot be right, or null; the engine has the final word. */
export function dateFormatProblem(format: string): string | null {
  const trimmed = format.trim();
  if (trimmed === '') return 'choose the date format';
  if (trimmed === 'ISO') return null;
  const tokens = trimmed.match(DATE_TOKENS) ?? [];
  const rest = trimmed.replace(DATE_TOKENS, '');
  if (/[A-Za-z]/.test(rest)) return 'use the tokens YYYY YY MMMM MMM MM M DD D HH mm ss, or ISO';
  const has = (...names: string[]) => tokens.some((t) => names.includes(t));
  if (!has('YYYY', 'YY') || !has('MMMM', 'MMM', 'MM', 'M') || !has('DD', 'D'))
    return 'a date format needs a year, a month and a day';
  return null;
}

/**
 * Problems a person can fix before saving, by input: required columns, columns the file lacks, the
 * separators, the currency code and the date formats. `columns` are the file's columns (null: unknown).
 */
export function validateMappingForm(
  state: MappingFormState,
  columns: readonly string[] | null,
): MappingFormErrors {
  const errors: MappingFormErrors = {};
  const required = (field: MappingFormField, what: string) => {
    if (state[field] === null) errors[field] = `choose the ${what} column`;
  };
  if (state.amount_kind === 'debit_credit') {
    required('debit_column', 'debit');
    required('credit_column', 'credit');
    if (state.debit_column !== null && state.debit_column === state.credit_column)
      errors.credit_column = 'debit and credit must be two different columns';
  } else {
    required('amount_column', 'amount');
  }
  if (state.amount_kind === 'direction') {
    required('direction_column', 'direction');
    if (splitWords(state.debit_values).length === 0) errors.debit_values = 'give at least one debit word';
    if (splitWords(state.credit_values).length === 0) errors.credit_values = 'give at least one credit word';
  }
  if (state.thousands_separator === state.decimal_separator)
    errors.thousands_separator = 'the thousands separator must differ from the decimal separator';
  if (state.currency_fixed.trim() !== '' && !/^[A-Za-z]{3}$/.test(state.currency_fixed.trim()))
    errors.currency_fixed = 'a three-letter ISO 4217 code such as EUR';
  for (const [column, format] of [
    ['booking_date_column', 'booking_date_format'],
    ['value_date_column', 'value_date_format'],
  ] as const) {
    if (state[column] === null) continue;
    const problem = dateFormatProblem(state[format]);
    if (problem !== null) errors[format] = problem;
  }
  if (columns !== null) {
    for (const field of COLUMN_FIELDS) {
      const name = state[field];
      if (name !== null && !columns.includes(name) && errors[field] === undefined)
        errors[field] = `the file has no column "${name}"`;
    }
  }
  return errors;
}

/** Inputs that hold a column name. */
export const COLUMN_FIELDS = [
  'amount_column',
  'debit_column',
  'credit_column',
  'direction_column',
  'currency_column',
  'booking_date_column',
  'value_date_column',
  'external_id',
  'reference',
  'counterparty',
  'description',
  'account',
] as const satisfies readonly MappingFormField[];

/** Distinct non-empty sample values of a column, from the profile or else the stored raw rows. */
export function sampleValues(
  column: string | null,
  profile: readonly Record<string, unknown>[] | null,
  raw: { columns: string[]; rows: (string | null)[][] } | null,
  limit = 3,
): string[] {
  if (column === null) return [];
  const profiled = profile?.find((p) => p.name === column)?.samples;
  if (Array.isArray(profiled))
    return profiled.filter((s): s is string => typeof s === 'string').slice(0, limit);
  const index = raw?.columns.indexOf(column) ?? -1;
  if (raw === null || index < 0) return [];
  const values = raw.rows
    .map((row) => row[index])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [...new Set(values)].slice(0, limit);
}
