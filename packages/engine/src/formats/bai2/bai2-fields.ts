import { BankFormatError } from '../shared/bank-format.error';

/** A funds-availability block after an amount: its type and the fields it carries. */
export interface FundsType {
  type: string;
  valueDate: string | null;
  fields: string[];
}

/**
 * Reads the funds type at `fields[at]` and the fields that type adds: S (3 amounts), V (date, time),
 * D (count n, then n day/amount pairs); Z, 0, 1, 2 and empty add none. Returns the index after it.
 */
export function readFundsType(
  fields: readonly string[],
  at: number,
  line: number,
): { funds: FundsType; next: number } {
  const type = (fields[at] ?? '').trim().toUpperCase();
  const take = (n: number): string[] => fields.slice(at + 1, at + 1 + n);
  switch (type) {
    case '':
    case 'Z':
    case '0':
    case '1':
    case '2':
      return { funds: { type, valueDate: null, fields: [] }, next: at + 1 };
    case 'S':
      return { funds: { type, valueDate: null, fields: take(3) }, next: at + 4 };
    case 'V': {
      const [date = '', time = ''] = take(2);
      return { funds: { type, valueDate: date, fields: [date, time] }, next: at + 3 };
    }
    case 'D': {
      const count = Number(fields[at + 1] ?? '');
      if (!Number.isInteger(count) || count < 0)
        throw new BankFormatError(
          'bai2',
          'MALFORMED_STRUCTURE',
          `funds type D needs a distribution count, got ${JSON.stringify(fields[at + 1] ?? '')}`,
          line,
        );
      return { funds: { type, valueDate: null, fields: take(1 + 2 * count) }, next: at + 2 + 2 * count };
    }
    default:
      throw new BankFormatError(
        'bai2',
        'MALFORMED_STRUCTURE',
        `unknown funds type ${JSON.stringify(type)}`,
        line,
      );
  }
}

/** A BAI2 amount: optional sign and digits, implied decimals; empty means none. */
export function readAmount(raw: string | undefined): bigint | null | 'invalid' {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  if (!/^[+-]?\d+$/.test(text)) return 'invalid';
  return BigInt(text);
}

/** Direction of a BAI2 detail type code: 100–399 credit, 400–699 debit; other ranges undefined. */
export function directionOf(typeCode: number): 'credit' | 'debit' | null {
  if (typeCode >= 100 && typeCode <= 399) return 'credit';
  if (typeCode >= 400 && typeCode <= 699) return 'debit';
  return null;
}
