import { describe, expect, it } from 'vitest';
import { bankReaders } from '../../src/formats';
import { readQif } from '../../src/formats/qif/qif.reader';
import { parseQifAmount, parseQifDate } from '../../src/formats/qif/qif-values';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { readFixture } from './fixture-helpers';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('QIF reader', () => {
  it('reads a US bank register with payee, memo, number, category and the Quicken apostrophe date', () => {
    const result = readQif(readFixture('qif/us-bank.qif'));
    expect(result.format).toBe('qif');
    expect(result.records.length).toBe(2);
    expect(result.records[0]).toMatchObject({
      row: 1,
      amount: -123456n,
      scale: 2,
      bookingDate: '1998-01-02',
      reference: '1001',
      counterparty: 'ACME Hardware',
      description: 'Nails and screws',
      currency: null,
    });
    expect(result.records[0]?.extra).toMatchObject({
      category: 'Home:Repairs',
      cleared: 'X',
      date_raw: "1/ 2'98",
    });
    expect(result.records[1]).toMatchObject({
      row: 2,
      amount: 250000n,
      bookingDate: '1999-12-31',
      description: 'Employer Inc',
    });
  });

  it('reports an impossible date and an unreadable amount as row errors and keeps the other rows', () => {
    const { errors, statements } = readQif(readFixture('qif/us-bank.qif'));
    expect(errors.map((e) => [e.row, e.column, e.code, e.raw])).toEqual([
      [3, 'D', 'DATE_INVALID', '2/30/2004'],
      [4, 'T', 'AMOUNT_INVALID', 'ten dollars'],
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.balanceCheck).toBeNull();
  });

  it('reads day-first dates and comma decimals when told, with the account from !Account and splits kept', () => {
    const result = readQif(readFixture('qif/eu-ccard.qif'), {
      dateOrder: 'DMY',
      decimalSeparator: ',',
      currency: 'EUR',
    });
    expect(result.errors).toEqual([]);
    expect(result.records.map((r) => [r.bookingDate, r.amount, r.currency, r.account])).toEqual([
      ['2021-01-02', -4590n, 'EUR', 'Credit Card'],
      ['2021-01-15', 120000n, 'EUR', 'Credit Card'],
    ]);
    expect(result.records[0]?.counterparty).toBe('Bäckerei Müller');
    expect(result.records[1]?.extra.splits).toBe('SOutgoing\nEfirst half\n$600,00\nSOther\n$600,00');
  });

  it('reads the same day-first file differently under the US default, which is why the order is an option', () => {
    const result = bankReaders.qif?.(readFixture('qif/eu-ccard.qif'));
    // 02.01.2021 is February 1st for a US reader; "-45,90" is not a US amount (bad grouping).
    expect(result?.errors.map((e) => e.code)).toEqual(['AMOUNT_INVALID', 'AMOUNT_INVALID']);
    expect(parseQifDate('02.01.2021', 'MDY')).toBe('2021-02-01');
  });

  it('parses the date spellings QIF files use', () => {
    expect(parseQifDate("1/ 2'98", 'MDY')).toBe('1998-01-02');
    expect(parseQifDate("1/ 2'05", 'MDY')).toBe('2005-01-02');
    expect(parseQifDate('01/02/1998', 'DMY')).toBe('1998-02-01');
    expect(parseQifDate('1998-01-02', 'DMY')).toBe('1998-01-02');
    expect(parseQifDate('2/29/2001', 'MDY')).toBeNull();
    expect(parseQifDate('13/01/2001', 'MDY')).toBeNull();
    expect(parseQifDate('yesterday', 'MDY')).toBeNull();
  });

  it('parses amounts strictly: grouping must be by three', () => {
    expect(parseQifAmount('-1,234.56', '.')).toEqual({ units: -123456n, scale: 2 });
    expect(parseQifAmount('1.234,5', ',')).toEqual({ units: 12345n, scale: 1 });
    expect(parseQifAmount('1,23', '.')).toBeNull();
    expect(parseQifAmount('1.2.3', '.')).toBeNull();
    expect(parseQifAmount('', '.')).toBeNull();
  });

  it('reports missing date and amount lines', () => {
    const { errors } = readQif(bytes('!Type:Cash\nPNo date\nT1.00\n^\nD1/1/2020\nPNo amount\n^\n'));
    expect(errors.map((e) => e.code)).toEqual(['DATE_MISSING', 'AMOUNT_MISSING']);
  });

  it('skips category lists and rejects investment registers and non-QIF text', () => {
    const withList = readQif(bytes('!Type:Cat\nNFood\nE\n^\n!Type:Bank\nD1/1/2020\nT5\n^\n'));
    expect(withList.records).toHaveLength(1);
    expect(() => readQif(bytes('!Type:Invst\nD1/1/2020\nNBuy\n^\n'))).toThrow(BankFormatError);
    expect(() => readQif(bytes('!Type:Invst\n'))).toThrow(/not a cash register/);
    expect(() => readQif(bytes('Date,Amount\n1/1/2020,5\n'))).toThrow(
      /starts with a !Type: or !Account header.*\(line 1\)/,
    );
    expect(() => readQif(bytes(''))).toThrow(BankFormatError);
  });
});
