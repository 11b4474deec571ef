import type { PreviewView, RecordView } from '@recon/shared';
import { describe, expect, it } from 'vitest';
import { errorPager } from './row-error-pager';
import { sideBySide } from './preview-rows';

const record = (row: number, amount: string): RecordView => ({
  row,
  external_id: null,
  amount_minor: amount,
  currency: 'EUR',
  scale: 2,
  booking_date: '2024-01-02',
  value_date: null,
  reference: `R-${row}`,
  counterparty: null,
  description: null,
  account: null,
  extra: {},
});

describe('sideBySide', () => {
  it('lines up raw cells with parsed records and flags the cells that failed', () => {
    const preview: PreviewView = {
      raw: {
        columns: ['Date', 'Amount', '__row_no'],
        rows: [
          ['2024-01-02', '12.50', '1'],
          ['2024-01-03', 'abc', '2'],
        ],
      },
      records: [record(1, '1250')],
      errors: [{ row: 2, column: 'Amount', raw: 'abc', code: 'AMOUNT_INVALID', message: 'not a number' }],
    };
    const table = sideBySide(preview);
    expect(table.columns).toEqual(['Date', 'Amount']);
    expect(
      table.rows.map((r) => [
        r.row,
        r.record?.amount_minor ?? null,
        r.cells.map((c) => c.error?.code ?? null),
      ]),
    ).toEqual([
      [1, '1250', [null, null]],
      [2, null, [null, 'AMOUNT_INVALID']],
    ]);
  });

  it('flags both columns of a debit/credit conflict', () => {
    const table = sideBySide({
      raw: { columns: ['Soll', 'Haben', '__row_no'], rows: [['1,00', '2,00', '1']] },
      records: [],
      errors: [
        {
          row: 1,
          column: 'Soll / Haben',
          raw: '1,00 / 2,00',
          code: 'DEBIT_CREDIT_CONFLICT',
          message: 'both',
        },
      ],
    });
    expect(table.rows[0]?.cells.map((c) => c.error?.code)).toEqual([
      'DEBIT_CREDIT_CONFLICT',
      'DEBIT_CREDIT_CONFLICT',
    ]);
  });

  it('still lists records and rejected rows when no raw view was kept', () => {
    const table = sideBySide({
      raw: null,
      records: [record(3, '5')],
      errors: [{ row: 1, column: 'Amount', raw: null, code: 'AMOUNT_MISSING', message: 'empty' }],
    });
    expect(table.columns).toEqual([]);
    expect(table.rows.map((r) => [r.row, r.record === null])).toEqual([
      [1, true],
      [3, false],
    ]);
  });
});

describe('errorPager', () => {
  it('pages forward by keyset and back through the remembered starts', () => {
    let pager = errorPager.first();
    expect([errorPager.after(pager), errorPager.offset(pager), errorPager.hasPrevious(pager)]).toEqual([
      0,
      0,
      false,
    ]);
    pager = errorPager.next(pager, 50, 50);
    pager = errorPager.next(pager, 107, 50);
    expect([errorPager.after(pager), errorPager.offset(pager)]).toEqual([107, 100]);
    pager = errorPager.previous(pager);
    expect([errorPager.after(pager), errorPager.offset(pager), errorPager.hasPrevious(pager)]).toEqual([
      50,
      50,
      true,
    ]);
    expect(errorPager.previous(errorPager.first())).toEqual(errorPager.first());
  });
});
