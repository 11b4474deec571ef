import { describe, expect, it } from 'vitest';
import { readMt940 } from '../../src/formats/mt940/mt940.reader';
import { isStatementLineError, parseStatementLine } from '../../src/formats/mt940/field-61';
import { parseDetails } from '../../src/formats/mt940/field-86';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const line = (text: string): ReturnType<typeof parseStatementLine> => parseStatementLine(text.split('\n'));

describe('MT940 :61: statement line', () => {
  it('reads every subfield of a full line with supplementary details', () => {
    const parsed = line('0709070904CR50990,05NTRFNONREF//0724710333343453\nCard transaction');
    expect(parsed).toEqual({
      valueDate: '2007-09-07',
      valueDateRaw: null,
      entryDate: '2007-09-04',
      mark: 'C',
      fundsCode: 'R',
      amount: { units: 5099005n, scale: 2 },
      transactionType: 'NTRF',
      customerReference: 'NONREF',
      bankReference: '0724710333343453',
      supplementary: 'Card transaction',
    });
  });

  it('gives RC (reversed credit) a negative and RD (reversed debit) a positive amount', () => {
    const rc = line('0709040904RCR204,88NRTINONREF');
    const rd = line('0709040904RD204,88NRTINONREF');
    expect(isStatementLineError(rc) ? null : rc.amount.units).toBe(-20488n);
    expect(isStatementLineError(rd) ? null : rd.amount.units).toBe(20488n);
  });

  it('rolls the entry date into the next or previous year when that is nearer', () => {
    const december = line('1112310102D1,00NTRFREF');
    const january = line('1201011231D1,00NTRFREF');
    expect(isStatementLineError(december) ? null : december.entryDate).toBe('2012-01-02');
    expect(isStatementLineError(january) ? null : january.entryDate).toBe('2011-12-31');
  });

  it('reads the German "30 February" as the last day of February and keeps the raw date', () => {
    const parsed = line('1602300301DR6,00N024NONREF');
    expect(parsed).toMatchObject({ valueDate: '2016-02-29', valueDateRaw: '160230' });
  });

  it('returns a typed error for an impossible date, a double comma and a broken grammar', () => {
    expect(line('161331D1,00NTRFREF')).toMatchObject({ code: 'DATE_INVALID', column: 'value_date' });
    expect(line('160101D1,0,0NTRFREF')).toMatchObject({ code: 'AMOUNT_INVALID', column: 'amount' });
    expect(line('hello')).toMatchObject({ code: 'RECORD_MALFORMED' });
  });
});

describe('MT940 :86: details', () => {
  it('splits structured ?NN subfields joined across wrapped lines', () => {
    const details = parseDetails(['166?00GUTSCHRIFT?100399?20EREF+123?21 abc?3', '2KARL?33 KAUFMANN']);
    expect(details.transactionCode).toBe('166');
    expect(details.description).toBe('EREF+123 abc');
    expect(details.counterparty).toBe('KARL KAUFMANN');
    expect(details.subfields.get('00')).toBe('GUTSCHRIFT');
  });

  it('takes the SVWZ text as description and keeps the other SEPA keys', () => {
    const details = parseDetails(['166?00GUTSCHRIFT?20EREF+E2E-77?21MREF+M1 SVWZ+Invoice 4', '2?32ACME']);
    expect(details.description).toBe('Invoice 42');
    expect([...details.sepa]).toEqual([
      ['EREF', 'E2E-77'],
      ['MREF', 'M1'],
      ['SVWZ', 'Invoice 42'],
    ]);
  });

  it('keeps unstructured details as text', () => {
    expect(parseDetails(['HIER EEN OMSCHRIJVING', 'TWEEDE REGEL'])).toMatchObject({
      description: 'HIER EEN OMSCHRIJVING TWEEDE REGEL',
      raw: 'HIER EEN OMSCHRIJVING\nTWEEDE REGEL',
    });
  });
});

describe('MT940 reader', () => {
  const file = [
    '{1:F01BANKDEFFXXXX0000000000}{2:O9401200BANKDEFFXXXX}{4:',
    ':20:REF1',
    ':25:DE00123/456',
    ':28C:1/1',
    ':60F:C240101EUR100,00',
    ':61:2401020102D30,50NTRFINV-1//B1',
    ':86:Payment one',
    ':61:2401030103C10,NTRFNONREF',
    ':86:166?00GUTSCHRIFT?20Refund?32ACME',
    ':61:2401049999D1,00NTRFBROKEN',
    ':62F:C240104EUR78,50',
    '-}',
    '{1:F01BANKDEFFXXXX0000000000}{4:',
    ':20:REF2',
    ':25:DE00123/456',
    ':28C:2/1',
    ':60F:C240104EUR79,50',
    ':62F:C240105EUR80,00',
    '-}',
  ].join('\r\n');

  it('reads enveloped multi-statement files into records, statements and balance checks', () => {
    const result = readMt940(bytes(file));
    expect(
      result.records.map((r) => [r.row, r.amount, r.scale, r.currency, r.valueDate, r.reference]),
    ).toEqual([
      [1, -3050n, 2, 'EUR', '2024-01-02', 'INV-1'],
      [2, 1000n, 2, 'EUR', '2024-01-03', null],
    ]);
    expect(result.records[1]).toMatchObject({
      description: 'Refund',
      counterparty: 'ACME',
      account: 'DE00123/456',
    });
    expect(
      result.statements.map((s) => [
        s.statementId,
        s.opening?.amount,
        s.closing?.amount,
        s.movementSum,
        s.balanceCheck?.ok,
      ]),
    ).toEqual([
      ['REF1', 10000n, 7850n, -2050n, false],
      ['REF2', 7950n, 8000n, 0n, false],
    ]);
    // The unreadable line is missing from statement 1, so its balance is off by that line's 1.00: both
    // the row error and the balance difference are reported. Statement 2 is simply inconsistent.
    expect(result.statements[0]?.balanceCheck?.difference).toBe(-100n);
    expect(result.statements[1]?.balanceCheck?.difference).toBe(50n);
    expect(result.errors).toEqual([
      {
        row: 3,
        column: 'value_date',
        raw: '2401049999D1,00NTRFBROKEN',
        code: 'DATE_INVALID',
        message: 'entry date 9999 is not a calendar date (line 10)',
      },
    ]);
  });

  it('rejects a file with a balance that is not a balance, naming the line', () => {
    expect(() => readMt940(bytes(':20:X\n:25:A\n:60F:C24010EUR1,00\n'))).toThrow(
      /:60F: is not a balance.*\(line 3\)/,
    );
  });

  it('rejects an empty file and a file without tags', () => {
    expect(() => readMt940(bytes('  \n'))).toThrow(BankFormatError);
    expect(() => readMt940(bytes('just some text\n'))).toThrow(/no MT940 field tag/);
  });

  it('keeps fields that carry no movement instead of dropping them', () => {
    const result = readMt940(
      bytes(
        ':20:X\n:21:REL\n:25:A\n:86:statement note\n:60F:C240101EUR1,00\n:61:240102C1,00NTRFREF\n:NS:01Purpose one\n17Booking text\n:62F:C240102EUR2,00\n:64:C240102EUR1,50\n-',
      ),
    );
    expect(result.mt940[0]?.otherFields).toEqual([
      { tag: '21', text: 'REL' },
      { tag: '86', text: 'statement note' },
    ]);
    expect(result.records[0]?.extra.non_swift).toBe('01Purpose one\n17Booking text');
    expect(result.mt940[0]?.available).toEqual([{ amount: '1.5', currency: 'EUR', date: '2024-01-02' }]);
    expect(result.statements[0]?.balanceCheck).toEqual({ ok: true, expectedClosing: 200n, difference: 0n });
  });

  it('uses the SEPA end-to-end id as reference and joins repeated :86: fields of one movement', () => {
    const result = readMt940(
      bytes(
        ':20:X\n:25:A\n:61:240102C1,00NTRFNONREF\n:86:166?20EREF+E2E-9?21SVWZ+Rent\n:61:240102D2,00NTRFREF2\n:86:Line one\n:86:Line two\n-',
      ),
    );
    expect(result.records.map((r) => [r.reference, r.description, r.extra.sepa_eref ?? null])).toEqual([
      ['E2E-9', 'Rent', 'E2E-9'],
      ['REF2', 'Line one Line two', null],
    ]);
  });

  it('reads MT942 interim reports, taking the currency from :34F:', () => {
    const result = readMt940(
      bytes(
        ':20:X\n:25:ACC\n:28C:1/1\n:34F:PLN0\n:13D:1701191815+0100\n:61:1701190119CN0,01NTRFNONREF//MB1\n:90C:1PLN0,01\n-',
      ),
    );
    expect(result.records[0]).toMatchObject({ amount: 1n, currency: 'PLN', externalId: 'MB1' });
    expect(result.statements[0]?.balanceCheck).toBeNull();
  });
});
