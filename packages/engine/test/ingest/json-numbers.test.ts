import { describe, expect, it } from 'vitest';
import { ingestFile, type ColumnMappingInput } from '../../src/ingest/index';
import { ingestSandbox, readRecords } from './ingest-helpers';

const { session: current, write } = ingestSandbox();

const mapping: ColumnMappingInput = {
  external_id: 'id',
  amount: { kind: 'signed', column: 'amount' },
  currency: { fixed: 'USD' },
  booking_date: null,
};

describe('JSON numbers beyond a double’s precision', () => {
  it('reads amount numbers from the file’s text, every digit kept', async () => {
    const path = write(
      'big.ndjson',
      [
        '{"id":"a","amount":12345678901234567.89}',
        '{"id":"b","amount":1234567890123456.78}',
        '{"id":"c","amount":"12345678901234567.89"}',
        '{"id":"d","amount":-0.5, "note": "amount: 1"}',
        '{"id":"e","amount":1.10}',
        '{"id":"f","amount":1234567890123.45}',
        '',
      ].join('\n'),
    );
    const result = await ingestFile(current(), 'left', { path, mapping });
    expect(result.errors).toEqual([]);
    expect((await readRecords(current())).map((r) => [r.id, r.amount])).toEqual([
      ['a', '1234567890123456789'],
      ['b', '123456789012345678'],
      ['c', '1234567890123456789'],
      ['d', '-50'],
      ['e', '110'],
      ['f', '123456789012345'],
    ]);
  });

  it('keeps long numeric ids of a JSON array exact too', async () => {
    const path = write(
      'ids.json',
      '[{"id": 12345678901234567890123, "amount": 1.5}, {"id": 98765432109876543210, "amount": 2}]',
    );
    await ingestFile(current(), 'left', { path, mapping });
    expect((await readRecords(current())).map((r) => [r.id, r.amount])).toEqual([
      ['12345678901234567890123', '150'],
      ['98765432109876543210', '200'],
    ]);
  });

  it('refuses an exponent, and a number whose text cannot be told apart, row by row', async () => {
    const path = write(
      'odd.ndjson',
      [
        '{"id":"x","amount":1e2}',
        '{"id":"y","amount":12345678901234567.89,"meta":{"amount":12345678901234567.8}}',
        '{"id":"z","amount":3.25,"meta":{"amount":3.25}}',
        '',
      ].join('\n'),
    );
    const result = await ingestFile(current(), 'left', { path, mapping });
    expect(result.errors.map((e) => [e.row, e.column, e.raw, e.code])).toEqual([
      [1, 'amount', '1e2', 'AMOUNT_INVALID'],
      [2, 'amount', expect.stringMatching(/^inexact JSON number \(/) as unknown, 'AMOUNT_INVALID'],
    ]);
    expect((await readRecords(current())).map((r) => [r.id, r.amount])).toEqual([['z', '325']]);
  });
});
