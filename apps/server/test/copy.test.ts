import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, copyTransaction, encodeCopyCell, encodeCopyRows } from '../src/db/copy';
import { createTestDatabase, type TestDatabase } from './support/test-db';

let db: TestDatabase;
let dataSourceId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const project = await db.db
    .insertInto('projects')
    .values({ name: 'copy' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const source = await db.db
    .insertInto('data_sources')
    .values({
      project_id: project.id,
      name: 'copy',
      source_key: 'copy',
      storage_key: 'k',
      size_bytes: '0',
      sha256: 'x',
      format: 'csv',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  dataSourceId = source.id;
});

afterAll(async () => {
  await db.drop();
});

const NASTY = [
  '',
  'tab\there',
  'line\nbreak',
  'crlf\r\nend',
  'back\\slash',
  '\\N',
  '\\.',
  '\\',
  'ends with backslash\\',
  'quotes "double" \'single\', commas',
  '€ 日本語 🙂 e\u0301 \u200b zero-width',
  '  leading and trailing spaces  ',
  'NULL',
  '\u0001\u001f control',
];

describe('COPY text encoding', () => {
  it('writes NULL as \\N and the empty string as nothing', () => {
    expect(encodeCopyCell(null)).toBe('\\N');
    expect(encodeCopyCell(undefined)).toBe('\\N');
    expect(encodeCopyCell('')).toBe('');
    expect(encodeCopyCell('\\N')).toBe('\\\\N');
  });

  it('escapes the delimiter, line breaks and backslashes and prints integers exactly', () => {
    expect(encodeCopyRows([['a\tb', 'c\nd\re\\f', 9223372036854775807n, true, 0.1]])).toBe(
      'a\\tb\tc\\nd\\re\\\\f\t9223372036854775807\tt\t0.1\n',
    );
  });
});

describe('COPY through PostgreSQL', () => {
  it('round-trips nasty text, NULL versus empty, extreme amounts and JSON exactly', async () => {
    const extra = { 'key\t"q"': 'v\\al\nue', unicode: '🙂', nothing: null };
    const amounts = ['-9223372036854775808', '9223372036854775807', '0', '-1', '123456789012345678'];
    const rows = NASTY.map((text, i) => ({
      row_no: String(i + 1),
      external_id: i % 2 === 0 ? text : null,
      amount_minor: amounts[i % amounts.length] ?? '0',
      reference: text,
      description: i === 0 ? null : text,
      extra: JSON.stringify({ ...extra, text }),
    }));
    await copyTransaction(db.db, async (tx) => {
      await copyRows(
        tx,
        'records',
        [
          'data_source_id',
          'row_no',
          'external_id',
          'amount_minor',
          'scale',
          'reference',
          'description',
          'extra',
        ],
        rows.map((r) => [
          dataSourceId,
          r.row_no,
          r.external_id,
          r.amount_minor,
          2,
          r.reference,
          r.description,
          r.extra,
        ]),
      );
    });
    const back = await sql<{
      row_no: string;
      external_id: string | null;
      amount_minor: string;
      reference: string | null;
      description: string | null;
      extra: string;
    }>`SELECT row_no::text, external_id, amount_minor::text, reference, description, extra::text
       FROM records WHERE data_source_id = ${dataSourceId}::uuid ORDER BY records.row_no`.execute(db.db);
    expect(back.rows.map((r) => ({ ...r, extra: JSON.parse(r.extra) as unknown }))).toEqual(
      rows.map((r) => ({ ...r, extra: JSON.parse(r.extra) as unknown })),
    );
    // The empty string and NULL stay distinct.
    expect(back.rows[0]?.reference).toBe('');
    expect(back.rows[0]?.description).toBeNull();
  });

  it('commits COPY rows with the Kysely writes of the same transaction, and rolls both back together', async () => {
    const errorRow = (seq: number, raw: string | null) =>
      [dataSourceId, seq, 7, 'amount', raw, 'INVALID_AMOUNT', 'bad\tamount'] as const;
    const columns = ['data_source_id', 'seq', 'row_no', 'column_name', 'raw', 'code', 'message'] as const;
    await expect(
      copyTransaction(db.db, async (tx) => {
        await tx.trx
          .updateTable('data_sources')
          .set({ phase: 'rolled back' })
          .where('id', '=', dataSourceId)
          .execute();
        await copyRows(tx, 'data_source_errors', columns, [errorRow(1, 'x')]);
        const seen = await tx.trx.selectFrom('data_source_errors').select('seq').execute();
        expect(seen).toHaveLength(1);
        throw new Error('abort the attempt');
      }),
    ).rejects.toThrow('abort the attempt');
    expect(await db.db.selectFrom('data_source_errors').selectAll().execute()).toHaveLength(0);
    const source = await db.db.selectFrom('data_sources').select('phase').executeTakeFirstOrThrow();
    expect(source.phase).not.toBe('rolled back');

    await copyTransaction(db.db, async (tx) => {
      await tx.trx
        .updateTable('data_sources')
        .set({ phase: 'committed' })
        .where('id', '=', dataSourceId)
        .execute();
      await copyRows(tx, 'data_source_errors', columns, [errorRow(1, null), errorRow(2, '')]);
    });
    const errors = await db.db
      .selectFrom('data_source_errors')
      .select(['seq', 'raw', 'message'])
      .orderBy('seq')
      .execute();
    expect(errors).toEqual([
      { seq: 1, raw: null, message: 'bad\tamount' },
      { seq: 2, raw: '', message: 'bad\tamount' },
    ]);
    const committed = await db.db.selectFrom('data_sources').select('phase').executeTakeFirstOrThrow();
    expect(committed.phase).toBe('committed');
  });

  it('fails the transaction on a value PostgreSQL refuses, leaving the pool usable', async () => {
    await expect(
      copyTransaction(db.db, (tx) =>
        copyRows(
          tx,
          'records',
          ['data_source_id', 'row_no', 'amount_minor', 'scale'],
          [[dataSourceId, 99, '1.5', 2]],
        ),
      ),
    ).rejects.toThrow(/bigint/);
    const count = await db.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('row_no', '=', '99')
      .executeTakeFirstOrThrow();
    expect(count.n).toBe('0');
  });
});
