import type { IsoDate } from '../../core/canonical';
import { isoDate } from '../shared/dates';
import { parsePlainDecimal, type Decimal } from '../shared/decimal';

/** Order of day, month and year in a QIF date: the format does not say, so the caller does. */
export type QifDateOrder = 'MDY' | 'DMY' | 'YMD';

/**
 * Parses a QIF date: `1/ 2'98`, `01/02/1998`, `1-2-98`, `1.2.98`, `2/29'04`, and ISO `1998-01-02`
 * (four-digit first part is always year-first). Two-digit years: 00–69 → 20xx, 70–99 → 19xx; the
 * apostrophe Quicken writes before the year is a separator like any other.
 */
export function parseQifDate(raw: string, order: QifDateOrder): IsoDate | null {
  const parts = raw
    .trim()
    .replace(/\s+/g, '')
    .split(/['/.\-]/);
  if (parts.length !== 3 || parts.some((p) => !/^\d{1,4}$/.test(p))) return null;
  const [a = '', b = '', c = ''] = parts;
  const effective: QifDateOrder = a.length === 4 ? 'YMD' : order;
  const [yearText, month, day] =
    effective === 'YMD'
      ? [a, Number(b), Number(c)]
      : effective === 'MDY'
        ? [c, Number(a), Number(b)]
        : [c, Number(b), Number(a)];
  if (yearText.length !== 2 && yearText.length !== 4) return null;
  const yy = Number(yearText);
  const year = yearText.length === 2 ? (yy < 70 ? 2000 + yy : 1900 + yy) : yy;
  return isoDate(year, month, day);
}

/**
 * Parses a QIF amount with the given decimal separator; the other character may group thousands
 * (`-1,234.56` with '.', `-1.234,56` with ','). Groups must be of three digits, so `1,23` with '.' fails.
 */
export function parseQifAmount(raw: string, decimalSeparator: '.' | ','): Decimal | null {
  const text = raw.trim().replace(/^\$/, '');
  const group = decimalSeparator === '.' ? ',' : '.';
  const [head = '', ...rest] = text.split(decimalSeparator);
  if (rest.length > 1) return null;
  if (head.includes(group)) {
    const grouped = group === ',' ? /^[+-]?\d{1,3}(?:,\d{3})+$/ : /^[+-]?\d{1,3}(?:\.\d{3})+$/;
    if (!grouped.test(head)) return null;
  }
  const plain = `${head.split(group).join('')}${rest.length === 1 ? `.${rest[0] ?? ''}` : ''}`;
  if (!/^[+-]?\d+(?:\.\d*)?$/.test(plain)) return null;
  return parsePlainDecimal(plain, '.');
}
