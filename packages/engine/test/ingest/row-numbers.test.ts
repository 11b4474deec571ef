import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/core/canonical';
import { minor } from '../../src/core/money';
import { appendRecords, createCanonicalTable, openSession, type EngineSession } from '../../src/duck/session';
import { finishStatements, emptyStatement } from '../../src/formats/shared/statement-builder';
import { assertUniqueRowNumbers, IngestError } from '../../src/ingest/index';

let session: EngineSession;
beforeEach(async () => {
  session = await openSession({ threads: 1 });
  await createCanonicalTable(session.connection, 'left');
});
afterEach(() => {
  session.close();
});

const record = (row: number): CanonicalRecord => ({
  row,
  externalId: null,
  amount: minor(100n),
  currency: 'EUR',
  scale: 2,
  bookingDate: null,
  valueDate: null,
  reference: null,
  counterparty: null,
  description: null,
  account: null,
  extra: {},
});

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('row numbers identify one record per input', () => {
  it('accepts unique rows in file order and out of order', async () => {
    await appendRecords(session.connection, 'left', [1, 2, 5].map(record));
    await expect(assertUniqueRowNumbers(session.connection, 'left')).resolves.toBeUndefined();
    await appendRecords(session.connection, 'left', [4, 3].map(record));
    await expect(assertUniqueRowNumbers(session.connection, 'left')).resolves.toBeUndefined();
  });

  it('refuses a repeated row number, naming the row and how often it appears', async () => {
    await appendRecords(session.connection, 'left', [1, 2, 3, 2, 2, 7, 7].map(record));
    const error = await failure(assertUniqueRowNumbers(session.connection, 'left'));
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({
      code: 'ROW_NUMBERS_NOT_UNIQUE',
      message: 'records_left: row numbers must be unique, but row 2 appears 3 times, row 7 appears 2 times',
      details: {
        duplicates: [
          { row: '2', times: 3 },
          { row: '7', times: 2 },
        ],
      },
    });
  });

  it('stops a bank reader that would give two transactions the same row', () => {
    const draft = emptyStatement();
    const drafted = (row: number) => ({ ...record(row), amount: { units: 1n, scale: 0 }, extra: {} });
    draft.records = [drafted(1), drafted(2)];
    const other = emptyStatement();
    other.records = [drafted(2)];
    expect(() => finishStatements('camt', [draft, other], [])).toThrow(/numbered row 2 twice/);
    expect(() =>
      finishStatements(
        'camt',
        [draft],
        [{ row: 1, column: 'Amt', raw: null, code: 'AMOUNT_MISSING', message: '' }],
      ),
    ).toThrow(/numbered row 1 twice/);
  });
});
