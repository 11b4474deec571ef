import { describe, expect, it } from 'vitest';
import { ingestFile, readRowErrors, type ColumnMappingInput } from '../../src/ingest/index';
import { ingestSandbox } from './ingest-helpers';

// Normalising parses, checks and inserts the valid rows in one pass; only a file with row errors is parsed
// a second time to list them. These pin what that must keep: file order across DuckDB's 2,048-row vectors
// (and with two threads), every error of a row in mapping order with its raw value, and the ledger's
// grouped amounts (`-6.565,15`) and day-first dates read exactly.
const sandbox = ingestSandbox();

const ledger: ColumnMappingInput = {
  external_id: 'doc',
  amount: { kind: 'signed', column: 'amount' },
  number_format: { decimal_separator: ',', thousands_separator: '.' },
  currency: { column: 'ccy' },
  booking_date: { column: 'posted', format: 'DD/MM/YYYY' },
  value_date: { column: 'valued', format: 'YYYY-MM-DD', required: false },
  reference: 'ref',
  counterparty: 'partner',
};

const ROWS = 5000;
/** Row i (1-based) of the test file; rows 1500, 2049 and 4999 are broken in one or several columns. */
function row(i: number): string {
  const whole = (i * 7919) % 2_000_000;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const amount = `${i % 2 === 0 ? '-' : ''}${grouped},${String(i % 100).padStart(2, '0')}`;
  const day = String((i % 28) + 1).padStart(2, '0');
  const posted = `${day}/0${(i % 9) + 1}/2024`;
  const cells = [
    `D${i}`,
    amount,
    'EUR',
    posted,
    i % 3 === 0 ? '' : `2024-02-${day}`,
    ` R-${i} `,
    `Zoë ${i}`,
    `n${i}`,
  ];
  if (i === 1500) cells[1] = '1.23,45';
  if (i === 2049) [cells[1], cells[2], cells[3]] = ['', 'EURO', '30/02/2024'];
  if (i === 4999) cells[4] = '2024-13-01';
  return cells.join(';');
}

describe('normalising a ledger in one pass', () => {
  it.each([1, 2])(
    'keeps file order and lists every error of a row in mapping order (%i threads)',
    async (threads) => {
      const session = sandbox.session();
      await session.connection.run(`SET threads = ${threads}`);
      const lines = ['doc;amount;ccy;posted;valued;ref;partner;note'];
      for (let i = 1; i <= ROWS; i++) lines.push(row(i));
      const path = sandbox.write('ledger.csv', `${lines.join('\n')}\n`);
      const result = await ingestFile(session, 'right', { path, mapping: ledger, delimiter: ';' });
      expect(result.loadedCount).toBe(ROWS - 3);
      expect(result.rejectedRowCount).toBe(3);
      expect(
        (await readRowErrors(session, 'right', { limit: 10 })).map((e) => [e.row, e.column, e.raw, e.code]),
      ).toEqual([
        [1500, 'amount', '1.23,45', 'AMOUNT_INVALID'],
        [2049, 'ccy', 'EURO', 'CURRENCY_INVALID'],
        [2049, 'amount', null, 'AMOUNT_MISSING'],
        [2049, 'posted', '30/02/2024', 'DATE_INVALID'],
        [4999, 'valued', '2024-13-01', 'DATE_INVALID'],
      ]);
      const reader = await session.connection.runAndReadAll(
        `SELECT row_no::INTEGER, external_id, amount_minor::VARCHAR, booking_date::VARCHAR, value_date::VARCHAR,
         reference, counterparty, extra::VARCHAR FROM records_right ORDER BY rowid`,
      );
      const records = reader.getRowsJson();
      expect(records.map((r) => r[0])).toEqual(
        Array.from({ length: ROWS }, (_, k) => k + 1).filter((i) => ![1500, 2049, 4999].includes(i)),
      );
      expect(records[0]).toEqual([
        1,
        'D1',
        '791901',
        '2024-02-02',
        '2024-02-02',
        'R-1',
        'Zoë 1',
        '{"note":"n1"}',
      ]);
      expect(records[1]).toEqual([
        2,
        'D2',
        '-1583802',
        '2024-03-03',
        '2024-02-03',
        'R-2',
        'Zoë 2',
        '{"note":"n2"}',
      ]);
      expect(records[2]?.[4]).toBeNull();
      // Row 253: 253 × 7919 = 2,003,507 → 3,507 after the modulo, the grouped cell "3.507,53".
      const r253 = records.find((r) => r[0] === 253);
      expect(r253?.slice(2, 4)).toEqual(['350753', '2024-02-02']);
    },
  );
});
