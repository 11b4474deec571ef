import { describe, expect, it } from 'vitest';
import { readCamt } from '../../src/formats/camt/camt.reader';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { balance, bytes, statement } from './camt-builders';

const entry = (amount: string, indicator: string, extra = ''): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><DtTm>2024-01-31T23:30:00+01:00</DtTm></BookgDt>${extra}</Ntry>`;

describe('CAMT reader', () => {
  it('chooses a scale with every stated decimal when amounts have more than the currency has', () => {
    const result = readCamt(
      statement(`${balance('OPBD', '10.00')}${balance('CLBD', '11.23456')}${entry('1.23456', 'CRDT')}`),
    );
    expect(result.records[0]).toMatchObject({
      amount: 123456n,
      scale: 5,
      currency: 'EUR',
      bookingDate: '2024-01-31',
    });
    expect(result.statements[0]).toMatchObject({
      scale: 5,
      opening: { amount: 1000000n },
      closing: { amount: 1123456n },
      balanceCheck: { ok: true, difference: 0n },
    });
  });

  it('keeps the currency scale when extra decimals are trailing zeros', () => {
    const result = readCamt(statement(entry('8.850', 'DBIT')));
    expect(result.records[0]).toMatchObject({ amount: -885n, scale: 2 });
  });

  it('leaves pending entries out of the balance check but still returns them', () => {
    const pending = entry('5.00', 'DBIT').replace('<Sts>BOOK</Sts>', '<Sts>PDNG</Sts>');
    const result = readCamt(
      statement(`${balance('PRCD', '10.00')}${balance('CLBD', '7.00')}${entry('3.00', 'DBIT')}${pending}`),
    );
    expect(result.records.map((r) => [r.amount, r.extra.status])).toEqual([
      [-300n, 'BOOK'],
      [-500n, 'PDNG'],
    ]);
    expect(result.statements[0]).toMatchObject({
      movementCount: 1,
      movementSum: -300n,
      balanceCheck: { ok: true },
    });
  });

  it('reports an unreadable amount and a missing direction row by row and loads the rest', () => {
    const result = readCamt(
      statement(`${entry('1,00', 'CRDT')}${entry('2.00', 'XXXX')}${entry('3.00', 'CRDT')}`),
    );
    expect(result.errors.map((e) => [e.row, e.column, e.code, e.raw])).toEqual([
      [1, 'Amt', 'AMOUNT_INVALID', '1,00'],
      [2, 'CdtDbtInd', 'DEBIT_CREDIT_CONFLICT', 'XXXX'],
    ]);
    expect(result.records.map((r) => r.row)).toEqual([3]);
  });

  it('reads version 8 party names and picks the counterparty by direction', () => {
    const details = (name: string): string =>
      `<NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>${name} Payer</Nm></Pty></Dbtr><Cdtr><Pty><Nm>${name} Payee</Nm></Pty></Cdtr></RltdPties><RmtInf><Ustrd>Invoice</Ustrd><Ustrd>42</Ustrd></RmtInf></TxDtls></NtryDtls>`;
    const result = readCamt(
      statement(
        `${entry('1.00', 'CRDT', `<AcctSvcrRef>BANK-1</AcctSvcrRef>${details('In')}`)}${entry('1.00', 'DBIT', details('Out'))}`,
        '08',
      ),
    );
    expect(result.records.map((r) => [r.counterparty, r.reference, r.externalId, r.description])).toEqual([
      ['In Payer', 'E2E-1', 'BANK-1', 'Invoice 42'],
      ['Out Payee', 'E2E-1', null, 'Invoice 42'],
    ]);
    expect(result.camt[0]).toMatchObject({ message: 'camt.053', version: 8 });
  });

  it('rejects XML that is not well formed, naming the line', () => {
    expect(() => readCamt(bytes('<?xml version="1.0"?>\n<Document>\n<Oops></Document>'))).toThrow(
      /not well-formed XML.*\(line 3\)/,
    );
  });

  it('rejects XML that is not a CAMT document', () => {
    const error = (() => {
      try {
        readCamt(
          bytes(
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>',
          ),
        );
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(BankFormatError);
    expect(error).toMatchObject({ code: 'NOT_THIS_FORMAT', format: 'camt' });
  });
});
