import { describe, expect, it } from 'vitest';
import { readOfx } from '../../src/formats/ofx/ofx.reader';
import { ofxDate } from '../../src/formats/ofx/ofx-date';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { parseGroupedDecimal } from '../../src/formats/shared/decimal';
import { amountText, listFixtures, readFixture, sumText } from './fixture-helpers';

/** The values ofx/EXPECTED.md lists (ofxparse's test assertions and the derived sums), per file. */
interface Expectation {
  accounts: string[];
  transactions: number;
  sum?: string;
  ledger?: (string | null)[];
  available?: (string | null)[];
  errors?: string[];
}

const EXPECTED: Record<string, Expectation> = {
  'ofx/bank_medium.ofx': {
    accounts: ['12300 000012345678'],
    transactions: 3,
    sum: '-345.27',
    ledger: ['382.34'],
    available: ['682.34'],
  },
  'ofx/checking.ofx': { accounts: ['1452687~7'], transactions: 3, sum: '-59.5', ledger: ['100.99'] },
  'ofx/anzcc.ofx': { accounts: ['1234123412341234'], transactions: 1, sum: '-5.5', ledger: ['-123.45'] },
  'ofx/suncorp.ofx': { accounts: ['123456789'], transactions: 1, sum: '-16.85', ledger: ['1234.12'] },
  'ofx/multiple_accounts.ofx': { accounts: ['9100', '9200'], transactions: 0, ledger: ['111', '222'] },
  'ofx/multiple_accounts2.ofx': { accounts: ['9100', '9200'], transactions: 0, ledger: ['111', '222'] },
  'ofx/fidelity-savings.ofx': { accounts: ['X0000001'], transactions: 4 },
  'ofx/ofx-v102-empty-tags.ofx': { accounts: ['12345678'], transactions: 1, ledger: [null] },
  'ofx/fail_nice/date_missing.ofx': {
    accounts: ['192639749'],
    transactions: 0,
    errors: ['DATE_MISSING', 'DATE_MISSING', 'DATE_INVALID'],
  },
  'ofx/fail_nice/decimal_error.ofx': { accounts: ['192639749'], transactions: 0, errors: ['AMOUNT_INVALID'] },
  'ofx/fail_nice/empty_balance.ofx': {
    accounts: ['192639749'],
    transactions: 1,
    ledger: [null],
    available: [null],
  },
  // Account listings and sign-on answers carry no statement: an empty, valid result.
  'ofx/account_listing_aggregation.ofx': { accounts: [], transactions: 0 },
  'ofx/signon_success.ofx': { accounts: [], transactions: 0 },
  'ofx/signon_success_no_message.ofx': { accounts: [], transactions: 0 },
  'ofx/bank_small.ofx': { accounts: [], transactions: 0 },
  // Investment statements: only their cash lines (INVBANKTRAN) are records; trades are counted, not read.
  'ofx/fidelity.ofx': { accounts: ['01234567890'], transactions: 3 },
  'ofx/investment_401k.ofx': { accounts: ['12345678.123456-01'], transactions: 0 },
  'ofx/investment_medium.ofx': { accounts: ['ABC123'], transactions: 3 },
  'ofx/td_ameritrade.ofx': { accounts: ['121212121'], transactions: 0 },
  'ofx/tiaacref.ofx': { accounts: ['111A1111 22B222 33C333'], transactions: 0 },
  'ofx/vanguard.ofx': { accounts: ['01234567890'], transactions: 0 },
  'ofx/vanguard401k.ofx': { accounts: ['0123456'], transactions: 0 },
};

const REJECTED: Record<string, RegExp> = {
  'ofx/error_message.ofx': /error and no statement: 2000 General Server Error/,
  'ofx/signon_fail.ofx': /error and no statement: 15500/,
};

describe('OFX conformance (ofxparse EXPECTED.md)', () => {
  it('has an expectation for every OFX fixture', () => {
    const known = [...Object.keys(EXPECTED), ...Object.keys(REJECTED)].sort();
    expect(listFixtures('ofx', '.ofx')).toEqual(known);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`reads ${file} to the expected accounts, transactions and balances`, () => {
      const result = readOfx(readFixture(file));
      expect(result.statements.map((s) => s.account)).toEqual(expected.accounts);
      expect(result.records.length).toBe(expected.transactions);
      expect(result.errors.map((e) => e.code)).toEqual(expected.errors ?? []);
      for (const error of result.errors) expect(error.message).toMatch(/^transaction \d+: /);
      if (expected.sum !== undefined) expect(sumText(result.records)).toBe(expected.sum);
      if (expected.ledger !== undefined) {
        expect(
          result.statements.map((s) => (s.closing === null ? null : amountText(s.closing.amount, s.scale))),
        ).toEqual(expected.ledger);
      }
      if (expected.available !== undefined) {
        expect(
          result.ofx.map((o) =>
            o.available === null
              ? null
              : amountText(BigInt(o.available.replace('.', '')), o.available.split('.')[1]?.length ?? 0),
          ),
        ).toEqual(expected.available);
      }
      for (const statement of result.statements) expect(statement.balanceCheck).toBeNull();
    });
  }

  for (const [file, message] of Object.entries(REJECTED)) {
    it(`rejects ${file} (server error, no statement) with a clear BankFormatError`, () => {
      expect(() => readOfx(readFixture(file))).toThrow(BankFormatError);
      expect(() => readOfx(readFixture(file))).toThrow(message);
    });
  }

  it('maps the bank_medium statement and its first transaction as ofxparse asserts', () => {
    const result = readOfx(readFixture('ofx/bank_medium.ofx'));
    expect(result.ofx[0]).toMatchObject({
      kind: 'bank',
      accountType: 'CHECKING',
      bankId: '160000100',
      branchId: '00',
      start: '2009-04-01',
      end: '2009-05-23',
    });
    expect(result.statements[0]?.closing?.date).toBe('2009-05-23');
    expect(result.statements[0]?.currency).toBe('CAD');
    const first = result.records[0];
    expect(first).toMatchObject({
      counterparty: "MCDONALD'S #112",
      externalId: '0000123456782009040100001',
      description: "POS MERCHANDISE;MCDONALD'S #112",
      bookingDate: '2009-04-01',
      currency: 'CAD',
    });
    expect(first?.extra.trntype).toBe('POS');
    expect(amountText(first?.amount ?? 0n, first?.scale ?? 0)).toBe('-6.6');
  });

  it('reads the cash lines of the Fidelity investment statement with their four decimals', () => {
    const result = readOfx(readFixture('ofx/fidelity-savings.ofx'));
    const [check, deposit] = result.records;
    expect(result.ofx[0]?.kind).toBe('investment');
    expect(check).toMatchObject({
      externalId: 'X0000000000000000000001',
      bookingDate: '2012-07-20',
      counterparty: 'Check Paid #0000001001',
    });
    expect(amountText(check?.amount ?? 0n, check?.scale ?? 0)).toBe('-1500');
    expect(deposit).toMatchObject({
      externalId: 'X0000000000000000000002',
      bookingDate: '2012-07-27',
      counterparty: 'TRANSFERRED FROM     VS X10-08144',
    });
    expect(amountText(deposit?.amount ?? 0n, deposit?.scale ?? 0)).toBe('115.8331');
    expect(deposit?.scale).toBe(4);
  });

  it('counts the investment trades it does not read', () => {
    expect(readOfx(readFixture('ofx/fidelity.ofx')).ofx[0]?.skippedInvestmentTransactions).toBe(14);
  });

  it('keeps empty SGML tags as absent values and unknown leaves in extra', () => {
    const result = readOfx(readFixture('ofx/ofx-v102-empty-tags.ofx'));
    expect(result.ofx[0]).toMatchObject({ bankId: 'NPBS', branchId: null });
    expect(result.statements[0]?.currency).toBeNull();
    expect(result.records[0]?.extra.category).toBe('Uncategorised');
    expect(result.records[0]?.currency).toBe('AUD');
  });

  it('reads the amount and date spellings ofxparse accepts', () => {
    for (const raw of ['-1.006,60', '-1,006.60', '-1006,60'])
      expect(parseGroupedDecimal(raw)).toEqual({ units: -10066n, scale: 1 });
    expect(parseGroupedDecimal('-1,06.60')).toBeNull();
    expect(ofxDate('19881201')).toBe('1988-12-01');
    expect(ofxDate('20001201120000 [0:GMT]')).toBe('2000-12-01');
    expect(ofxDate('19991201120000 [1:ITT]')).toBe('1999-12-01');
    expect(ofxDate('20090401122017.000[-5:EST]')).toBe('2009-04-01');
    expect(ofxDate('20120231')).toBeNull();
    expect(ofxDate('201120000000')).toBeNull();
  });
});
