import { describe, expect, it } from 'vitest';
import { readBai2 } from '../../src/formats/bai2/bai2.reader';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { listFixtures, readFixture } from './fixture-helpers';

const CONSISTENT = ['bai2/sample1.txt', 'bai2/sample2.txt', 'bai2/sample3.txt'];
// moov-io's two continuation samples were edited by hand upstream: their trailers contradict each other
// (the 98 group total is not the sum of its 49 account totals, and 98 says 4 accounts where the group
// holds five 03 records). No reader can reproduce them; ours must flag them and still load every detail.
const INCONSISTENT = ['bai2/sample4-continuations-newline-delimited.txt', 'bai2/sample5-issue113.txt'];

describe('BAI2 conformance (moov-io/bai2 control totals)', () => {
  it('covers every BAI2 fixture', () => {
    expect(listFixtures('bai2', '.txt')).toEqual(
      ['bai2/errors/sample-parseError.txt', ...CONSISTENT, ...INCONSISTENT].sort(),
    );
  });

  for (const file of CONSISTENT) {
    it(`reproduces every trailer control total and record count of ${file}`, () => {
      const result = readBai2(readFixture(file));
      expect(result.errors).toEqual([]);
      expect(result.controls.filter((c) => !c.ok)).toEqual([]);
      const accounts = result.statements.length;
      // Each account trailer states a total and a count; each group and the file state three values.
      expect(result.controls.filter((c) => c.trailer === '49').length).toBe(2 * accounts);
      expect(result.controls.filter((c) => c.trailer === '99').length).toBe(3);
      for (const statement of result.statements) {
        if (statement.balanceCheck !== null) expect(statement.balanceCheck.ok).toBe(true);
      }
    });
  }

  it('reads sample1 details with the sign of their type code and the implied cents', () => {
    const { records, statements } = readBai2(readFixture('bai2/sample1.txt'));
    expect(records.length).toBe(17);
    expect(statements.map((s) => s.account)).toEqual(['10200123456', '10200123456']);
    expect(records[0]).toMatchObject({
      amount: -2500n,
      scale: 2,
      currency: 'CAD',
      bookingDate: '2006-03-17',
      valueDate: '2006-03-16',
      description: 'RETURNED CHEQUE',
    });
    expect(records[3]).toMatchObject({ amount: 203500n, description: 'TFR 1020 0345678' });
    // The 88 summaries state total credits (100) and debits (400) per account: 2085.00/2085.00 and 1115.00/1115.00.
    expect(records.filter((r) => r.amount > 0n).reduce((sum, r) => sum + r.amount, 0n)).toBe(
      208500n + 111500n,
    );
    expect(records.filter((r) => r.amount < 0n).reduce((sum, r) => sum + r.amount, 0n)).toBe(
      -(208500n + 111500n),
    );
  });

  it('reads funds types S, V, D and an 88 that carries the detail text (sample2)', () => {
    const { records, summaries } = readBai2(readFixture('bai2/sample2.txt'));
    expect(records.map((r) => r.extra.funds_type)).toEqual(['S', 'S', 'V', '1']);
    expect(records[2]).toMatchObject({
      externalId: 'SP4738',
      reference: 'YRC065321',
      valueDate: '2004-06-22',
      description: 'PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO',
      amount: 20000000n,
    });
    expect(records[1]?.description).toBe('LOCK BOX NO.68751');
    expect(summaries[3]?.find((s) => s.typeCode === '110')).toMatchObject({
      amount: '70000000',
      fundsType: 'D',
    });
  });

  it('splits several records on one line and rejoins a record wrapped onto the next line (sample3)', () => {
    const { records, statements } = readBai2(readFixture('bai2/sample3.txt'));
    expect(records.length).toBe(26);
    expect(statements.length).toBe(15);
    expect(records[0]).toMatchObject({
      amount: 2500n,
      currency: 'USD',
      description: 'TRANSFER   PAYPAL             PPD',
    });
    expect(statements[0]?.balanceCheck).toMatchObject({ ok: true });
  });

  for (const file of INCONSISTENT) {
    it(`flags the self-contradicting trailers of ${file} without throwing`, () => {
      const result = readBai2(readFixture(file));
      expect(result.records.length + result.errors.filter((e) => e.row > 0).length).toBe(
        file.includes('issue113') ? 20 : 17,
      );
      const stated49 = result.controls
        .filter((c) => c.trailer === '49' && c.what === 'control_total')
        .reduce((s, c) => s + BigInt(c.stated), 0n);
      const stated98 = BigInt(
        result.controls.find((c) => c.trailer === '98' && c.what === 'control_total')?.stated ?? '0',
      );
      expect(stated49).not.toBe(stated98); // the file contradicts itself
      expect(result.controls.find((c) => c.trailer === '98' && c.what === 'account_count')).toMatchObject({
        stated: '4',
        computed: '5',
        ok: false,
      });
      expect(result.controls.find((c) => c.trailer === '49' && c.line === 4)).toMatchObject({ ok: true });
      const bad = result.controls.filter((c) => !c.ok);
      expect(result.errors.filter((e) => e.row === 0).length).toBe(bad.length);
      expect(result.errors.find((e) => e.row === 0)?.message).toMatch(
        /^49 trailer on line 22: control_total states -1260161341762/,
      );
      // Opening 010 + details ≠ closing 015 on the third account: flagged, not thrown.
      expect(result.statements[2]?.balanceCheck?.ok).toBe(false);
    });
  }

  it('keeps customer references with slashes in newline-delimited records (moov-io issue 113)', () => {
    const { records } = readBai2(readFixture('bai2/sample5-issue113.txt'));
    expect(records.some((r) => r.reference === 'AB/GS/RPFILERP0001/RPBA0001')).toBe(true);
  });

  it('rejects errors/sample-parseError.txt with a clear BankFormatError', () => {
    expect(() => readBai2(readFixture('bai2/errors/sample-parseError.txt'))).toThrow(BankFormatError);
    expect(() => readBai2(readFixture('bai2/errors/sample-parseError.txt'))).toThrow(
      /unknown record "00,.*\(line 1\)/,
    );
  });
});
