import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendRecords,
  createCanonicalTable,
  minor,
  openSession,
  parseRuleSet,
  readMatches,
  reconcile,
  type CanonicalRecord,
  type IsoDate,
} from '@recon/engine';
import { copyTransaction } from '../src/db/copy';
import { exportRecords, exportSnapshot } from '../src/features/data-sources/records-csv';
import { appendRecordsCsvStream } from '../src/features/data-sources/records.repository';
import { loadSide, loadSides } from '../src/features/jobs/load-records';
import { LocalFileStorage } from '../src/storage/local-storage';
import { explainSuggested, exportResults } from '../src/features/jobs/match-writer';
import { writeResultFiles } from './support/result-runs';
import { createTestDatabase, type TestDatabase } from './support/test-db';

let db: TestDatabase;
let dataSourceId: string;
let jobId: string;
let folder: string;

beforeAll(async () => {
  db = await createTestDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'recon-platform-io-'));
  const project = await db.db
    .insertInto('projects')
    .values({ name: 'io' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const source = await db.db
    .insertInto('data_sources')
    .values({
      project_id: project.id,
      name: 'io',
      source_key: 'io',
      storage_key: 'k',
      size_bytes: '0',
      sha256: 'x',
      format: 'csv',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  dataSourceId = source.id;
  const job = await db.db
    .insertInto('recon_jobs')
    .values({
      project_id: project.id,
      name: 'io',
      source_data_source_id: dataSourceId,
      target_data_source_id: dataSourceId,
      rules: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  jobId = job.id;
});

afterAll(async () => {
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

// Values CSV on either side could get wrong: quotes, delimiters, line breaks, backslashes, a lone `""`, the
// strings "NULL" and "\N", leading/trailing blanks, non-ASCII.
const NASTY = [
  '',
  'comma, "quoted"',
  'line\nbreak',
  'crlf\r\nend',
  'back\\slash',
  '\\N',
  'NULL',
  '""',
  '  padded  ',
  '€ 日本語 🙂 e\u0301',
  '\u0001\u001f control',
  'tab\there',
];
const AMOUNTS = [9223372036854775807n, -9223372036854775807n, 0n, -1n, 123456789012345678n];
const date = (text: string) => text as IsoDate;

function records(): CanonicalRecord[] {
  return NASTY.map((text, i) => ({
    row: i + 1,
    externalId: i % 2 === 0 ? text : null,
    amount: minor(AMOUNTS[i % AMOUNTS.length] ?? 0n),
    currency: i % 3 === 0 ? null : 'EUR',
    scale: 2,
    bookingDate: i % 4 === 0 ? null : date(`2024-0${String((i % 9) + 1)}-2${String(i % 9)}`),
    valueDate: i === 1 ? date('1999-12-31') : null,
    reference: text,
    counterparty: i === 0 ? null : text,
    description: i % 2 === 1 ? text : null,
    account: null,
    extra: { [`k${text}`]: text, nothing: null },
  }));
}

type Row = Record<string, unknown>;

/**
 * A side's records read back from DuckDB with every value as text (extra parsed, so key order is moot),
 * in numeric row order (qualified: the text alias would sort '10' before '2').
 */
async function duckRows(session: Awaited<ReturnType<typeof openSession>>, side: 'left' | 'right') {
  const reader = await session.connection.runAndReadAll(
    `SELECT row_no::VARCHAR AS row_no, external_id, amount_minor::VARCHAR AS amount_minor, currency, scale,
            booking_date::VARCHAR AS booking_date, value_date::VARCHAR AS value_date, reference, counterparty,
            description, account, extra::VARCHAR AS extra FROM records_${side} AS r ORDER BY r.row_no`,
  );
  return reader
    .getRowObjectsJS()
    .map((row: Row): Row => ({ ...row, extra: JSON.parse(String(row.extra)) as unknown }));
}

describe('records between DuckDB and PostgreSQL as CSV', () => {
  it('round-trips nasty text, NULL versus empty, extreme amounts, dates and extra JSON exactly', async () => {
    const source = await openSession({ threads: 1 });
    const target = await openSession({ threads: 1 });
    try {
      await createCanonicalTable(source.connection, 'left');
      await appendRecords(source.connection, 'left', records());
      const expected = await duckRows(source, 'left');

      const file = path.join(folder, 'records.csv');
      await exportRecords(source, dataSourceId, file);
      await copyTransaction(db.db, (tx) => appendRecordsCsvStream(tx, createReadStream(file)));

      const stored = await sql<Row>`
        SELECT row_no::text, external_id, amount_minor::text, currency, scale, booking_date::text,
               value_date::text, reference, counterparty, description, account, extra::text
        FROM records WHERE data_source_id = ${dataSourceId}::uuid ORDER BY records.row_no`.execute(db.db);
      const got = stored.rows.map((row) => ({ ...row, extra: JSON.parse(String(row.extra)) as unknown }));
      expect(got).toEqual(expected);
      // The empty string and NULL stay distinct in PostgreSQL.
      expect(stored.rows[0]?.reference).toBe('');
      expect(stored.rows[0]?.counterparty).toBeNull();

      expect(await loadSide(db.db, target, 'right', dataSourceId)).toBe(NASTY.length);
      const loaded = await duckRows(target, 'right');
      expect(loaded).toEqual(expected);
      expect(loaded[0]?.reference).toBe('');
      expect(loaded[0]?.counterparty).toBeNull();
    } finally {
      source.close();
      target.close();
    }
  });

  it('reads an ingestion’s Parquet snapshot into DuckDB with the values a dump from PostgreSQL gives', async () => {
    const source = await openSession({ threads: 1 });
    const target = await openSession({ threads: 1 });
    const storage = new LocalFileStorage(path.join(folder, 'files'));
    try {
      await createCanonicalTable(source.connection, 'left');
      await appendRecords(source.connection, 'left', records());
      const expected = await duckRows(source, 'left');
      const file = path.join(folder, 'snapshot.parquet');
      expect(await exportSnapshot(source, dataSourceId, file)).toBe(NASTY.length);
      const { key } = await storage.put(createReadStream(file));

      // Left from the snapshot, right dumped from PostgreSQL (the records the test above wrote): the same rows.
      const sources = {
        left: { id: dataSourceId, snapshotKey: key, loadedCount: NASTY.length },
        right: { id: dataSourceId, snapshotKey: null, loadedCount: null },
      };
      expect(await loadSides(db.db, storage, target, sources)).toEqual({
        left: NASTY.length,
        right: NASTY.length,
      });
      expect(await duckRows(target, 'left')).toEqual(expected);
      expect(await duckRows(target, 'right')).toEqual(expected);

      // A snapshot that does not hold the data source's records is refused.
      await expect(
        loadSides(db.db, storage, target, {
          ...sources,
          left: { ...sources.left, loadedCount: NASTY.length + 1 },
        }),
      ).rejects.toThrow(
        `the left snapshot holds ${String(NASTY.length)} records, not ${String(NASTY.length + 1)}`,
      );
    } finally {
      source.close();
      target.close();
    }
  });

  it('refuses an id that is not a UUID rather than put it into the export statement', async () => {
    const session = await openSession({ threads: 1 });
    try {
      await createCanonicalTable(session.connection, 'left');
      await expect(
        exportRecords(session, "x'; DROP TABLE records_left; --", path.join(folder, 'x.csv')),
      ).rejects.toThrow('not a UUID');
    } finally {
      session.close();
    }
  });
});

const RULES = parseRuleSet({
  version: 1,
  confidence_threshold: 0.3,
  auto_confirm_threshold: 0.95,
  passes: [
    {
      name: 'reference',
      comparisons: [
        { type: 'exact', field: 'reference' },
        { type: 'amount', tolerance_minor: 0 },
      ],
    },
    {
      name: 'amount and date',
      comparisons: [
        { type: 'amount', tolerance_minor: 500, weight: 3 },
        { type: 'date', field: 'booking_date', min_days: -3, max_days: 3, weight: 1 },
      ],
    },
  ],
});

function record(row: number, reference: string, amount: bigint, day: string): CanonicalRecord {
  return {
    row,
    externalId: `id-${String(row)}`,
    amount: minor(amount),
    currency: 'EUR',
    scale: 2,
    bookingDate: date(`2024-01-${day}`),
    valueDate: null,
    reference,
    counterparty: null,
    description: null,
    account: null,
    extra: {},
  };
}

describe('results from DuckDB to PostgreSQL as CSV', () => {
  it('writes every match, exception and discrepancy with the explanation the engine gives', async () => {
    const session = await openSession({ threads: 1 });
    try {
      for (const side of ['left', 'right'] as const) await createCanonicalTable(session.connection, side);
      await appendRecords(session.connection, 'left', [
        record(1, 'INV-1', 125000n, '02'),
        record(2, 'A', 30050n, '03'),
        record(3, 'NOPE', 777n, '20'),
      ]);
      await appendRecords(session.connection, 'right', [
        record(1, 'INV-1', 125000n, '02'),
        record(2, 'B', 30300n, '04'),
      ]);
      const stats = await reconcile(session, RULES);
      expect(stats.matches).toBe(2);
      const engine = await readMatches(session, RULES, {});
      expect(engine.map((m) => m.tier).sort()).toEqual(['auto', 'suggested']);

      await explainSuggested(session, RULES);
      // Run 1, as a job's first run: staged, indexed and attached as the job's results partitions.
      const files = await exportResults(session, { jobId, runNo: 1 }, folder);
      await writeResultFiles(db.db, { jobId, runNo: 1 }, files);

      const stored = await db.db
        .selectFrom('recon_matches')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('match_id')
        .execute();
      expect(
        stored.map((m) => ({
          id: Number(m.match_id),
          pass: m.pass_name,
          tier: m.tier,
          status: m.status,
          left: m.left_rows.map(Number),
          right: m.right_rows.map(Number),
          amounts: [m.left_amount, m.right_amount],
        })),
      ).toEqual(
        engine.map((m) => ({
          id: m.id,
          pass: m.pass,
          tier: m.tier,
          status: m.tier === 'auto' ? 'confirmed' : 'suggested',
          left: m.left,
          right: m.right,
          amounts: m.left[0] === 1 ? ['125000', '125000'] : ['30050', '30300'],
        })),
      );
      for (const [i, m] of engine.entries()) {
        const explanation = stored[i]?.explanation;
        // Suggested matches keep every comparison for the reviewer; auto-confirmed ones their decision only.
        if (m.tier === 'suggested') expect(explanation).toEqual(JSON.parse(JSON.stringify(m.explanation)));
        else if (
          m.explanation.runnerUp === null &&
          !m.explanation.ambiguous &&
          m.explanation.decidedBy === null
        )
          // Uncontested: nothing stored (migration 0112); the API shows the same decision.
          expect(explanation).toBeNull();
        else expect(explanation).toEqual({ ...JSON.parse(JSON.stringify(m.explanation)), comparisons: [] });
      }
      const suggested = stored.find((m) => m.tier === 'suggested');
      expect((suggested?.explanation as { comparisons: unknown[] }).comparisons.length).toBeGreaterThan(0);

      const exceptions = await db.db
        .selectFrom('recon_exceptions')
        .select(['side', 'row_no', 'reason'])
        .where('job_id', '=', jobId)
        .execute();
      expect(exceptions.map((e) => [e.side, e.row_no])).toEqual([['left', '3']]);
      expect(exceptions[0]?.reason).not.toBe('');
      const discrepancies = await db.db
        .selectFrom('recon_discrepancies')
        .select(['match_id', 'field', 'delta'])
        .where('job_id', '=', jobId)
        .execute();
      const duck = await session.connection.runAndReadAll(
        'SELECT match_id::VARCHAR, field, delta::VARCHAR FROM recon_discrepancies ORDER BY match_id, field',
      );
      expect(discrepancies.map((d) => [d.match_id, d.field, d.delta])).toEqual(duck.getRowsJS());
      expect(discrepancies.length).toBeGreaterThan(0);
    } finally {
      session.close();
    }
  });
});
