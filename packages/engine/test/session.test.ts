import { describe, expect, it } from 'vitest';
import {
  appendRecords,
  createCanonicalTable,
  minor,
  openSession,
  type CanonicalRecord,
  type IsoDate,
} from '../src/index';

describe('engine session', () => {
  it('round-trips a canonical record through DuckDB without losing precision', async () => {
    const session = await openSession({ threads: 1 });
    try {
      await createCanonicalTable(session.connection, 'left');
      const record: CanonicalRecord = {
        row: 1,
        externalId: 'A-1',
        amount: minor(123456789012345678901234n),
        currency: 'EUR',
        scale: 2,
        bookingDate: '2024-02-29' as IsoDate,
        valueDate: null,
        reference: 'INV-1',
        counterparty: 'ACME',
        description: null,
        account: null,
        extra: { note: 'x' },
      };
      await appendRecords(session.connection, 'left', [record]);
      const reader = await session.connection.runAndReadAll(
        `SELECT amount_minor::VARCHAR AS a, booking_date::VARCHAR AS d, extra->>'note' AS n FROM records_left`,
      );
      expect(reader.getRowObjects()).toEqual([{ a: '123456789012345678901234', d: '2024-02-29', n: 'x' }]);
    } finally {
      session.close();
    }
  });
});
