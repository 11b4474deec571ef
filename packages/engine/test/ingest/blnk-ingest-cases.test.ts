import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { ingestFile, type ColumnMappingInput } from '../../src/ingest/index';
import { fixture, readRecords } from './ingest-helpers';

// The cases of shared/fixtures/scenarios/blnk/ingest_cases.md (copied with NOTICE.md and licence).
let session: EngineSession;
beforeEach(async () => {
  session = await openSession({ threads: 1 });
});
afterEach(() => {
  session.close();
});

// Blnk's upload schema: the Date column is required, amounts are plain decimals, dates RFC 3339.
const blnkMapping: ColumnMappingInput = {
  external_id: 'ID',
  amount: { kind: 'signed', column: 'Amount' },
  currency: { column: 'Currency' },
  reference: 'Reference',
  description: 'Description',
  booking_date: { column: 'Date', format: 'ISO' },
};

describe('Blnk ingestion cases', () => {
  it('reads three rows with amounts kept exactly and the date read as UTC', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('blnk/valid.csv'),
      mapping: blnkMapping,
    });
    expect(result).toMatchObject({ rowCount: 3, loadedCount: 3, errorCount: 0 });
    expect((await readRecords(session)).map((r) => [r.id, r.amount, r.currency, r.scale, r.booking])).toEqual(
      [
        ['ext-1', '10050', 'USD', 2, '2026-01-02'],
        ['ext-2', '1', 'USD', 2, '2026-01-02'],
        ['ext-3', '99999999999', 'NGN', 2, '2026-01-02'],
      ],
    );
  });

  it('detects the same mapping from the headers alone', async () => {
    const result = await ingestFile(session, 'left', { path: fixture('blnk/valid.csv') });
    expect(result.mapping).toMatchObject({
      external_id: 'ID',
      amount: { kind: 'signed', column: 'Amount' },
      currency: { column: 'Currency' },
      booking_date: { column: 'Date', format: 'ISO' },
      reference: 'Reference',
      description: 'Description',
    });
    expect(result.loadedCount).toBe(3);
  });

  it('rejects a CSV without the Date column', async () => {
    await expect(
      ingestFile(session, 'left', { path: fixture('blnk/missing-date.csv'), mapping: blnkMapping }),
    ).rejects.toMatchObject({
      code: 'MAPPING_COLUMN_NOT_FOUND',
      details: { missing: ['Date'] },
    });
  });

  it('rejects a .txt upload of prose as unsupported', async () => {
    await expect(ingestFile(session, 'left', { path: fixture('blnk/notes.txt') })).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });
  });

  it('rejects a CSV with a Foo,Bar header: no amount to read', async () => {
    await expect(ingestFile(session, 'left', { path: fixture('blnk/foo-bar.csv') })).rejects.toMatchObject({
      code: 'MAPPING_INCOMPLETE',
    });
  });

  it('reads a JSON array of two records', async () => {
    const result = await ingestFile(session, 'left', {
      path: fixture('blnk/records.json'),
      mapping: {
        ...blnkMapping,
        external_id: 'id',
        amount: { kind: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        reference: 'reference',
        description: 'description',
        booking_date: { column: 'date', format: 'ISO' },
      },
    });
    expect(result).toMatchObject({ format: 'json', rowCount: 2, loadedCount: 2 });
    expect((await readRecords(session)).map((r) => [r.id, r.amount, r.currency])).toEqual([
      ['j1', '25075', 'USD'],
      ['j2', '99', 'EUR'],
    ]);
  });
});
