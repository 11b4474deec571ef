import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/core/canonical';
import { readCamt } from '../../src/formats/camt/camt.reader';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { currencyMinorUnits } from '../../src/formats/shared/currency';
import { listFixtures, readCsv, readFixture, readFixtureText } from './fixture-helpers';

const summary = readCsv('camt/EXPECTED_SUMMARY_genkgo.csv');

// genkgo/camt names balance types; the summary writes them with amounts in ISO minor units.
const GENKGO_TYPES: Record<string, string> = {
  OPBD: 'opening',
  PRCD: 'opening',
  CLBD: 'closing',
  OPAV: 'opening_available',
  CLAV: 'closing_available',
  FWAV: 'forward_available',
  INFO: 'information',
  ITAV: 'interim_available',
  ITBD: 'interim',
  XPCD: 'expected_credit',
};

/** An amount text in ISO minor units of its currency ('-27.00' SEK → '-2700'); throws if digits would be lost. */
function isoMinor(amount: string, currency: string | null): string {
  const scale = currencyMinorUnits(currency);
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  if (fraction.replace(/0+$/, '').length > scale)
    throw new Error(`${amount} has more than ${scale} decimals`);
  const units = BigInt(`${whole}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  return (negative ? -units : units).toString();
}

const atIsoScale = (r: CanonicalRecord): bigint => {
  const iso = currencyMinorUnits(r.currency);
  const factor = 10n ** BigInt(Math.abs(r.scale - iso));
  if (r.scale >= iso) {
    expect(r.amount % factor).toBe(0n);
    return r.amount / factor;
  }
  return r.amount * factor;
};

interface GenkgoEntry {
  getAmount: { getAmount: string; getCurrency: { getCode: string } };
  getCreditDebitIndicator: string;
  getBookingDate: { 0: string } | null;
  getValueDate: { 0: string } | null;
  getAccountServicerReference: string | null;
  getReference: string | null;
  getTransactionDetail: {
    getReference: { getEndToEndId: string | null } | null;
    getRemittanceInformation: { getMessage: string | null } | null;
    getRelatedParties:
      ({ getRelatedPartyType: { __CLASS__: string; getName: string | null } } | string)[] | null;
  } | null;
}

/**
 * Statements whose balances do not prove their entries, flagged by the balance check (never thrown):
 * genkgo's samples state closing balances in another currency (SEK, against EUR entries), or a closing
 * that is 0.05 off (five.decimals: 18.15 + 8.85 ≠ 27.05). Difference in minor units.
 */
const FLAGGED: Record<string, Record<number, bigint>> = {
  'camt/camt053.v2.five.decimals.xml': { 1: 5n },
  'camt/camt053.v2.all-balance-types.xml': { 1: -582n },
  'camt/camt053.v2.minimal.xml': { 1: -5400n },
  'camt/camt053.v2.minimal.ultimate.xml': { 1: -5400n },
  'camt/camt053.v2.with-party-ids.xml': { 1: -5400n },
  'camt/camt053.v3.xml': { 1: -5400n },
  'camt/camt053.v4.xml': { 1: -5400n },
  'camt/camt053.v8.xml': { 1: -5400n },
};

/**
 * genkgo's camt.054 samples hold one batch entry of 200000 SEK with three TxDtls: v2 states no detail
 * amounts, v4/v8 state 3.1 + 3.2 + 3.2 CHF. Neither can replace the entry, so it stays one record
 * (as genkgo reads it) and the statement names it in a finding.
 */
const FINDINGS: Record<string, Array<[string, string]>> = {
  'camt/camt054.v2.xml': [['BATCH_DETAILS_WITHOUT_AMOUNTS', 'AAAASESS-FP-ACCR001']],
  'camt/camt054.v4.xml': [['BATCH_DETAILS_UNBALANCED', 'ACSR160617103200001']],
  'camt/camt054.v8.xml': [['BATCH_DETAILS_UNBALANCED', 'ACSR160617103200001']],
};

describe('CAMT conformance (genkgo/camt expected dumps)', () => {
  it('has an expectation for every CAMT file except the deliberately broken one', () => {
    const listed = summary.map((r) => `camt/${r.xml}`);
    expect(listFixtures('camt', '.xml').filter((f) => !listed.includes(f))).toEqual([
      'camt/camt053.v2.wrong.xml',
    ]);
  });

  it('rejects a statement message that holds no statement with a clear error', () => {
    expect(() => readCamt(readFixture('camt/camt053.v2.wrong.xml'))).toThrow(BankFormatError);
    expect(() => readCamt(readFixture('camt/camt053.v2.wrong.xml'))).toThrow(/holds no <Stmt>/);
  });

  for (const row of summary) {
    const file = `camt/${row.xml ?? ''}`;
    it(`reads ${file} to the expected entries, sums and balances`, () => {
      const result = readCamt(readFixture(file));
      expect(result.errors).toEqual([]);
      // The summary describes the records it lists (multi.statement: only the last one was dumped).
      const listedIds = [(row.records ?? '').split(' ')[0] ?? ''];
      const indexes = result.statements
        .map((s, i) => (listedIds.includes(s.statementId ?? '') ? i : -1))
        .filter((i) => i >= 0);
      expect(indexes.length, JSON.stringify(result.statements.map((s) => s.statementId))).toBe(
        Number(row.n_records),
      );
      const entries = result.records.filter((r) => indexes.includes(Number(r.extra.statement_index) - 1));
      expect(entries.length).toBe(Number(row.n_entries));
      expect(entries.filter((r) => r.amount > 0n).length).toBe(Number(row.n_credit));
      expect(entries.filter((r) => r.amount < 0n).length).toBe(Number(row.n_debit));
      expect(entries.reduce((sum, r) => sum + atIsoScale(r), 0n).toString()).toBe(row.sum_amount_minor_units);
      expect([...new Set(entries.map((r) => r.currency))].sort().join(';')).toBe(row.currencies);
      expect([...new Set(entries.map((r) => r.bookingDate).filter((d) => d !== null))].join(';')).toBe(
        row.booking_dates,
      );

      for (const i of indexes) {
        const statement = result.statements[i];
        const info = result.camt[i];
        const balances = (info?.balances ?? [])
          .map(
            (b) => `${GENKGO_TYPES[b.type] ?? b.type}=${isoMinor(b.amount, b.currency)}${b.currency ?? ''}`,
          )
          .join(';');
        const acct = statement?.account === null ? '' : `acct=${statement?.account ?? ''}`;
        expect(`${statement?.statementId ?? ''} ${acct} ${balances}`.trim()).toBe((row.records ?? '').trim());
      }

      const flagged = Object.fromEntries(
        result.statements
          .filter((st) => st.balanceCheck !== null && !st.balanceCheck.ok)
          .map((st) => [st.index, st.balanceCheck?.difference]),
      );
      expect(flagged).toEqual(FLAGGED[file] ?? {});
      expect(result.statements.flatMap((st) => st.findings.map((f) => [f.code, f.entry]))).toEqual(
        FINDINGS[file] ?? [],
      );

      const dump = JSON.parse(readFixtureText(file.replace(/\.xml$/, '.json'))) as {
        getEntries: GenkgoEntry[];
      };
      dump.getEntries.forEach((expected, k) => {
        const ours = entries[k];
        if (ours === undefined) throw new Error(`entry ${k + 1} missing`);
        expect(atIsoScale(ours).toString()).toBe(expected.getAmount.getAmount);
        expect(ours.currency).toBe(expected.getAmount.getCurrency.getCode);
        expect(ours.amount < 0n ? 'DBIT' : 'CRDT').toBe(expected.getCreditDebitIndicator);
        expect(ours.bookingDate).toBe(expected.getBookingDate?.[0].slice(0, 10) ?? null);
        expect(ours.valueDate).toBe(expected.getValueDate?.[0].slice(0, 10) ?? null);
        expect(ours.extra.account_servicer_reference).toBe(expected.getAccountServicerReference);
        expect(ours.extra.entry_reference).toBe(expected.getReference);
        const detail = expected.getTransactionDetail;
        if (
          detail?.getReference?.getEndToEndId != null &&
          detail.getReference.getEndToEndId !== 'NOTPROVIDED'
        ) {
          expect(ours.extra.end_to_end_id).toBe(detail.getReference.getEndToEndId);
        }
        // The counterparty is the other side: the debtor of a credit, the creditor of a debit.
        const parties = (detail?.getRelatedParties ?? []).flatMap((p) =>
          typeof p === 'string' ? [] : [p.getRelatedPartyType],
        );
        const named = (role: string): string | null =>
          parties.find((p) => p.__CLASS__.endsWith(`\\${role}`))?.getName ?? null;
        const other = expected.getCreditDebitIndicator === 'CRDT' ? 'Debtor' : 'Creditor';
        expect(ours.counterparty).toBe(named(other) ?? named(`Ultimate${other}`));
        const message = detail?.getRemittanceInformation?.getMessage;
        if (message != null && message !== '') expect(ours.description).toBe(message);
      });
    });
  }
});
