/**
 * A small exact decimal used by the bank readers: `units / 10^scale`, with trailing fraction zeros
 * removed so `scale` is the number of significant decimals (used to pick a lossless record scale).
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const PLAIN = /^([+-]?)(\d*)(?:[.,](\d*))?$/;

/**
 * Parses a plain decimal with one optional separator (`.` or `,`, as `allowed` says), an optional sign and
 * no grouping. Returns null when the text is not exactly that (empty, letters, two separators...).
 * @example parsePlainDecimal('-12,50', ',') // { units: -125n, scale: 1 }
 */
export function parsePlainDecimal(raw: string, allowed: '.' | ',' | '.,'): Decimal | null {
  const text = raw.trim();
  const match = PLAIN.exec(text);
  if (match === null) return null;
  const [, sign = '', whole = '', fraction] = match;
  const separator = text.replace(/^[+-]?\d*/, '').charAt(0);
  if (separator !== '' && !allowed.includes(separator)) return null;
  if (whole === '' && (fraction === undefined || fraction === '')) return null;
  const trimmed = (fraction ?? '').replace(/0+$/, '');
  const magnitude = BigInt(`${whole === '' ? '0' : whole}${trimmed}`);
  return { units: sign === '-' ? -magnitude : magnitude, scale: trimmed.length };
}

/**
 * Parses an amount that may use grouping: when both `.` and `,` occur, the last one is the decimal
 * separator and the other must group digits by three (`-1.006,60`, `-1,006.60`). A single separator is
 * the decimal separator (`-1006,60`).
 */
export function parseGroupedDecimal(raw: string): Decimal | null {
  const text = raw.trim();
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot === -1 || lastComma === -1) return parsePlainDecimal(text, '.,');
  const decimalSep = lastDot > lastComma ? '.' : ',';
  const groupSep = decimalSep === '.' ? ',' : '.';
  const cut = text.lastIndexOf(decimalSep);
  const head = text.slice(0, cut);
  const grouped = groupSep === '.' ? /^[+-]?\d{1,3}(?:\.\d{3})+$/ : /^[+-]?\d{1,3}(?:,\d{3})+$/;
  if (!grouped.test(head)) return null;
  return parsePlainDecimal(`${head.split(groupSep).join('')}.${text.slice(cut + 1)}`, '.');
}

/** The value at a larger scale (never loses digits: `target` must be ≥ `value.scale`). */
export function atScale(value: Decimal, target: number): bigint {
  return value.units * 10n ** BigInt(target - value.scale);
}

/** A decimal from integer minor units at a scale (BAI2 and other implied-decimal formats). */
export function fromMinor(units: bigint, scale: number): Decimal {
  let u = units;
  let s = scale;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s -= 1;
  }
  return { units: u, scale: s };
}

/** Negates a decimal. */
export const negate = (value: Decimal): Decimal => ({ units: -value.units, scale: value.scale });

/** A decimal as plain text (`-3.66`, `0`), for metadata that stays text. */
export function decimalText(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = value.scale === 0 ? digits : digits.slice(0, -value.scale);
  const fraction = value.scale === 0 ? '' : `.${digits.slice(-value.scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
