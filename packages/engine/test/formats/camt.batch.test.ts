import { describe, expect, it } from 'vitest';
import { readCamt } from '../../src/formats/camt/camt.reader';
import { balance, bytes, statement as camt } from './camt-builders';
import { readFixtureText } from './fixture-helpers';

/** A `TxDtls` with its own amount (v3+ `Amt`, or v2 `AmtDtls/TxAmt/Amt` when `v2`). */
const tx = (amount: string, n: number, options: { v2?: boolean; indicator?: string } = {}): string => {
  const amt = options.v2
    ? `<AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls>`
    : `<Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${options.indicator ?? 'DBIT'}</CdtDbtInd>`;
  return `<TxDtls><Refs><AcctSvcrRef>TX-${n}</AcctSvcrRef><EndToEndId>E2E-${n}</EndToEndId></Refs>${amt}<RltdPties><Dbtr><Nm>Payer ${n}</Nm></Dbtr><Cdtr><Nm>Supplier ${n}</Nm></Cdtr></RltdPties><RmtInf><Ustrd>Invoice ${n}</Ustrd></RmtInf></TxDtls>`;
};

const batch = (amount: string, details: string[], status = 'BOOK', indicator = 'DBIT'): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Sts>${status}</Sts><BookgDt><Dt>2024-01-30</Dt></BookgDt><ValDt><Dt>2024-01-31</Dt></ValDt><AcctSvcrRef>BATCH-1</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>${details.length}</NbOfTxs></Btch>${details.join('')}</NtryDtls></Ntry>`;

/** A version 4 statement: TxDtls carry their own Amt and CdtDbtInd from version 3 on. */
const statement = (body: string, version = '04'): Uint8Array => camt(body, version);

const single = (amount: string, indicator: string): string =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-01-31</Dt></BookgDt></Ntry>`;

describe('CAMT batch entries (several TxDtls)', () => {
  it('splits a batch whose TxDtls add up into one record per TxDtls with its own amount and references', () => {
    const result = readCamt(
      statement(
        `${balance('OPBD', '100.00')}${balance('CLBD', '35.00')}${single('5.00', 'CRDT')}${batch('70.00', [tx('10.00', 1), tx('25.50', 2), tx('34.50', 3)])}`,
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.statements[0]?.findings).toEqual([]);
    expect(
      result.records.map((r) => [
        r.row,
        r.amount,
        r.externalId,
        r.reference,
        r.counterparty,
        r.description,
        r.bookingDate,
        r.valueDate,
        r.extra.status,
        r.extra.entry_index,
        r.extra.transaction_index,
        r.extra.entry_amount,
      ]),
    ).toEqual([
      [1, 500n, null, null, null, null, '2024-01-31', null, 'BOOK', '1', null, '5'],
      [
        2,
        -1000n,
        'TX-1',
        'E2E-1',
        'Supplier 1',
        'Invoice 1',
        '2024-01-30',
        '2024-01-31',
        'BOOK',
        '2',
        '1',
        '-70',
      ],
      [
        3,
        -2550n,
        'TX-2',
        'E2E-2',
        'Supplier 2',
        'Invoice 2',
        '2024-01-30',
        '2024-01-31',
        'BOOK',
        '2',
        '2',
        '-70',
      ],
      [
        4,
        -3450n,
        'TX-3',
        'E2E-3',
        'Supplier 3',
        'Invoice 3',
        '2024-01-30',
        '2024-01-31',
        'BOOK',
        '2',
        '3',
        '-70',
      ],
    ]);
    expect(result.records[1]?.extra.entry_account_servicer_reference).toBe('BATCH-1');
    // 100.00 + 5.00 − 70.00 = 35.00: the split records carry exactly the entry's money.
    expect(result.statements[0]).toMatchObject({
      movementCount: 4,
      movementSum: -6500n,
      balanceCheck: { ok: true, difference: 0n },
    });
  });

  it('reads v2 detail amounts from AmtDtls/TxAmt and signs them by the entry', () => {
    const result = readCamt(
      statement(
        batch('3.00', [tx('1.25', 1, { v2: true }), tx('1.75', 2, { v2: true })], 'BOOK', 'CRDT'),
        '02',
      ),
    );
    expect(result.records.map((r) => [r.amount, r.counterparty])).toEqual([
      [125n, 'Payer 1'],
      [175n, 'Payer 2'],
    ]);
  });

  it('nets a batch of debits and a returned credit when their signed sum is the entry', () => {
    const result = readCamt(statement(batch('7.00', [tx('10.00', 1), tx('3.00', 2, { indicator: 'CRDT' })])));
    expect(result.records.map((r) => [r.amount, r.counterparty])).toEqual([
      [-1000n, 'Supplier 1'],
      [300n, 'Payer 2'],
    ]);
    expect(result.statements[0]?.findings).toEqual([]);
  });

  it('keeps an unbalanced batch as one record for the entry amount and names the entry in a finding', () => {
    const result = readCamt(
      statement(
        `${balance('OPBD', '100.00')}${balance('CLBD', '29.00')}${batch('70.00', [tx('10.00', 1), tx('25.00', 2)])}${single('1.00', 'DBIT')}`,
      ),
    );
    expect(result.records.map((r) => [r.row, r.amount, r.reference])).toEqual([
      [1, -7000n, 'E2E-1'],
      [2, -100n, null],
    ]);
    expect(result.statements[0]?.findings).toEqual([
      {
        code: 'BATCH_DETAILS_UNBALANCED',
        row: 1,
        entry: 'BATCH-1',
        message: expect.stringMatching(
          /entry 1 \(BATCH-1\) has 2 TxDtls but the TxDtls amounts \(-10 EUR \+ -25 EUR\) make -35 EUR, not the entry's -70 EUR/,
        ) as unknown,
      },
    ]);
    expect(result.statements[0]?.balanceCheck).toMatchObject({ ok: true });
  });

  it('keeps a batch whose TxDtls lack amounts as one record and reports which detail lacks one', () => {
    const noAmount = tx('1.00', 2).replace(/<Amt Ccy="EUR">1\.00<\/Amt>/, '');
    const result = readCamt(statement(batch('2.00', [tx('1.00', 1), noAmount])));
    expect(result.records.map((r) => r.amount)).toEqual([-200n]);
    expect(result.statements[0]?.findings.map((f) => [f.code, f.entry, f.message])).toEqual([
      ['BATCH_DETAILS_WITHOUT_AMOUNTS', 'BATCH-1', expect.stringContaining('TxDtls 2: no amount') as unknown],
    ]);
  });

  it('leaves a pending split batch out of the balance check, as its entry would be', () => {
    const result = readCamt(
      statement(
        `${balance('OPBD', '10.00')}${balance('CLBD', '10.00')}${batch('3.00', [tx('1.00', 1), tx('2.00', 2)], 'PDNG')}`,
      ),
    );
    expect(result.records.map((r) => [r.amount, r.extra.status])).toEqual([
      [-100n, 'PDNG'],
      [-200n, 'PDNG'],
    ]);
    expect(result.statements[0]).toMatchObject({ movementCount: 0, balanceCheck: { ok: true } });
  });

  it('numbers rows uniquely across rejected entries and split batches', () => {
    const result = readCamt(
      statement(
        `${single('1,00', 'CRDT')}${batch('3.00', [tx('1.00', 1), tx('2.00', 2)])}${single('4.00', 'CRDT')}`,
      ),
    );
    expect(result.errors.map((e) => [e.row, e.code, e.message])).toEqual([
      [1, 'AMOUNT_INVALID', 'entry 1: Amt is missing or not an ISO 20022 amount/indicator'],
    ]);
    expect(result.records.map((r) => [r.row, r.extra.entry_index])).toEqual([
      [2, '2'],
      [3, '2'],
      [4, '3'],
    ]);
  });

  // genkgo/camt's camt054.v4.xml, made consistent: its entry books 200000 SEK against three CHF credits
  // under a debit (a sample, not a real booking). As a 9.50 CHF payment run it splits into its payments.
  it('splits the real camt.054 v4 sample once its entry and details agree', () => {
    const text = readFixtureText('camt/camt054.v4.xml')
      .replace('<Amt Ccy="SEK">200000</Amt>', '<Amt Ccy="CHF">9.5</Amt>')
      .replaceAll('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>DBIT</CdtDbtInd>');
    const result = readCamt(bytes(text));
    expect(result.statements[0]?.findings).toEqual([]);
    expect(
      result.records.map((r) => [r.amount, r.currency, r.reference, r.counterparty, r.bookingDate]),
    ).toEqual([
      [-310n, 'CHF', 'UXC06170000006PI00001EE00001', 'Example Creditor 3 - V1', '2007-10-18'],
      [-320n, 'CHF', 'UXC06170000006PI00001EE00002', 'Example Creditor 3 - V2', '2007-10-18'],
      [-320n, 'CHF', 'UXC06170000006PI00001EE00002', 'Example Creditor 3 - V3', '2007-10-18'],
    ]);
    expect(result.records[2]?.description).toBe(
      'Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2',
    );
  });
});
