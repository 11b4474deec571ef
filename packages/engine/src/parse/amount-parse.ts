import type { RowErrorCode } from '../core/canonical';
import { minor, type MinorUnits } from '../core/money';

/** Character between whole units and the fraction. */
export type DecimalSeparator = '.' | ',';
/** Character grouping thousands; `' '` also accepts no-break spaces, `"'"` also the typographic `’`. */
export type ThousandsSeparator = ',' | '.' | ' ' | "'";

/** How an amount is written. The same options drive the TypeScript and the DuckDB SQL parser. */
export interface AmountFormat {
  decimalSeparator: DecimalSeparator;
  thousandsSeparator: ThousandsSeparator | null;
}

/** Result of reading one value: the value, or the row-error code and a reason. */
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; code: RowErrorCode; message: string };

/** Largest number of significant digits accepted; 38 digits always fit DuckDB's HUGEINT. */
export const MAX_AMOUNT_DIGITS = 38;

// Spaces a spreadsheet or bank export may put around or inside a number (space, tab, NBSP, narrow NBSP).
const SPACE_CLASS = '[ \t\u00A0\u202F]';
const SIGN = '([+\\-\u2212]?)';
const CURRENCY = '([A-Za-z]{3}|[$\u20AC\u00A3\u00A5\u20B9\u20A9\u20BD\u20BA\u20AA\u20AB\u0E3F\u20A6\u20B1])?';
const BODY = "([0-9.,'\u2019 \u00A0\u202F]*[0-9])";
const W = `${SPACE_CLASS}*`;

/**
 * Splits an amount into decorations and digits. Groups: open paren, sign, currency, sign, body, sign,
 * currency, sign, close paren. Written once and used by both JavaScript and DuckDB (RE2): the syntax used
 * here means the same in both, so the two parsers agree by construction.
 */
export const AMOUNT_OUTER_PATTERN = `^${W}(\\(?)${W}${SIGN}${W}${CURRENCY}${W}${SIGN}${W}${BODY}${W}${SIGN}${W}${CURRENCY}${W}${SIGN}${W}(\\)?)${W}$`;

/** Names of the outer pattern's groups, in order (DuckDB `regexp_extract` struct fields). */
export const AMOUNT_OUTER_GROUPS = ['open', 's1', 'c1', 's2', 'body', 's3', 'c2', 's4', 'close'] as const;

const thousandsClass = (separator: ThousandsSeparator): string => {
  switch (separator) {
    case ' ':
      return SPACE_CLASS;
    case "'":
      return "['\u2019]";
    case ',':
      return ',';
    case '.':
      return '\\.';
  }
};

/**
 * Pattern the digits must match for a format: whole part (optionally grouped by three) and fraction.
 * Group 1 is the whole part with separators, group 2 the fraction digits.
 */
export function amountBodyPattern(format: AmountFormat): string {
  const decimal = format.decimalSeparator === '.' ? '\\.' : ',';
  const whole =
    format.thousandsSeparator === null
      ? '([0-9]+)?'
      : `([0-9]{1,3}(?:${thousandsClass(format.thousandsSeparator)}[0-9]{3})+|[0-9]+)?`;
  return `^${whole}(?:${decimal}([0-9]+))?$`;
}

/** The plain shape most files use (`-1234.56`): an optional leading sign, digits, optional fraction. */
export function simpleAmountPattern(format: AmountFormat): string {
  return `^[+\\-]?[0-9]+(?:${format.decimalSeparator === '.' ? '\\.' : ','}[0-9]+)?$`;
}

/**
 * The plain shape with thousands groups (`-1.234.567,89` for `,` / `.`), or null when the format has no
 * thousands separator or one that is not a single ASCII character (spaces and apostrophes have variants).
 * Every digit group after the first has exactly three digits, as in `amountBodyPattern`.
 */
export function groupedAmountPattern(format: AmountFormat): string | null {
  const separator = format.thousandsSeparator;
  if (separator !== '.' && separator !== ',') return null;
  const decimal = format.decimalSeparator === '.' ? '\\.' : ',';
  return `^[+\\-]?[0-9]{1,3}(?:${thousandsClass(separator)}[0-9]{3})+(?:${decimal}[0-9]+)?$`;
}

/** Characters removed from the whole part once the body matched (the thousands separators). */
export function thousandsStripPattern(format: AmountFormat): string | null {
  return format.thousandsSeparator === null ? null : thousandsClass(format.thousandsSeparator);
}

const regexCache = new Map<string, RegExp>();

/** Compiled regular expressions by pattern and flags; parsing runs per value, compiling must not. */
export function cachedRegExp(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = regexCache.get(key);
  if (regex === undefined) {
    regex = new RegExp(pattern, flags);
    regexCache.set(key, regex);
  }
  return regex;
}

const BLANK = cachedRegExp(`^${W}$`);

const fail = (code: RowErrorCode, message: string): ParseOutcome<never> => ({ ok: false, code, message });

/** Counts how many of the sign slots carry a sign, and whether the amount is negative. */
function readSign(groups: readonly string[]): { count: number; negative: boolean } {
  let count = 0;
  let negative = false;
  for (const sign of groups) {
    if (sign === '') continue;
    count += 1;
    if (sign !== '+') negative = true;
  }
  return { count, negative };
}

/**
 * Reads a decimal amount into integer minor units at `scale`, exactly. Accepts a leading or trailing sign
 * (`-12.00`, `12.00-`), accounting negatives in parentheses (`(12.00)`), a currency symbol or code before
 * or after the number (`€12`, `12,00 EUR`) and the thousands grouping of `format`. More decimals than
 * `scale` is `AMOUNT_PRECISION` unless the extra digits are zeros (nothing is ever rounded).
 * @example parseAmount('1.234,56', { decimalSeparator: ',', thousandsSeparator: '.' }, 2) // { ok: true, value: 123456n }
 * @example parseAmount('(12.00)', { decimalSeparator: '.', thousandsSeparator: ',' }, 2) // { ok: true, value: -1200n }
 */
export function parseAmount(
  raw: string | null,
  format: AmountFormat,
  scale: number,
): ParseOutcome<MinorUnits> {
  if (raw === null || BLANK.test(raw)) return fail('AMOUNT_MISSING', 'the amount is empty');
  const outer = cachedRegExp(AMOUNT_OUTER_PATTERN).exec(raw);
  if (!outer) return fail('AMOUNT_INVALID', 'not a number');
  const [open = '', s1 = '', c1 = '', s2 = '', body = '', s3 = '', c2 = '', s4 = '', close = ''] =
    outer.slice(1);
  const sign = readSign([s1, s2, s3, s4]);
  const hasParens = open !== '' && close !== '';
  if (
    open !== close.replace(')', '(') ||
    sign.count > 1 ||
    (hasParens && sign.count > 0) ||
    (c1 !== '' && c2 !== '')
  ) {
    return fail('AMOUNT_INVALID', 'signs, parentheses or currency marks do not fit together');
  }
  const inner = cachedRegExp(amountBodyPattern(format)).exec(body);
  if (!inner) return fail('AMOUNT_INVALID', 'digits and separators do not fit the number format');
  const strip = thousandsStripPattern(format);
  const whole = strip === null ? (inner[1] ?? '') : (inner[1] ?? '').replace(cachedRegExp(strip, 'g'), '');
  const fraction = inner[2] ?? '';
  if (/[^0]/.test(fraction.slice(scale))) {
    return fail('AMOUNT_PRECISION', `more than ${scale} decimals; the amount would have to be rounded`);
  }
  const digits = (whole + fraction.slice(0, scale).padEnd(scale, '0')).replace(/^0+/, '');
  if (digits.length > MAX_AMOUNT_DIGITS) return fail('AMOUNT_OUT_OF_RANGE', 'the amount is too large');
  const magnitude = digits === '' ? 0n : BigInt(digits);
  return { ok: true, value: minor(sign.negative || hasParens ? -magnitude : magnitude) };
}
