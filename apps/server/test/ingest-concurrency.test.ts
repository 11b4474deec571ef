import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestFile, openSession } from '@recon/engine';
import type { Readable } from 'node:stream';
import pino from 'pino';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { LocalFileStorage } from '../src/storage/local-storage';
import type { FileStorage } from '../src/storage/storage';
import { exportRecords } from '../src/features/data-sources/records-csv';
import { exportRecordParts } from '../src/features/data-sources/records-parts';
import { defaultIngestMemoryLimit, defaultIngestThreads, startWorker } from '../src/worker/worker';
import { loginAdmin, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  upload,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';

/**
 * Storage as an object store (no local path, so every ingestion reads through `get`) whose `get` holds
 * each reader until `expected` readers wait at once or `timeoutMs` passes, and records how many waited
 * together at most: two ingestions that ran one after the other never meet there.
 */
class MeetingStorage implements FileStorage {
  private readonly files: LocalFileStorage;
  private waiting = 0;
  maxTogether = 0;

  constructor(
    root: string,
    private readonly expected: number,
    private readonly timeoutMs: number,
  ) {
    this.files = new LocalFileStorage(root);
  }

  put(...args: Parameters<FileStorage['put']>) {
    return this.files.put(...args);
  }
  readHead(key: string, bytes: number) {
    return this.files.readHead(key, bytes);
  }
  stat(key: string) {
    return this.files.stat(key);
  }
  delete(key: string) {
    return this.files.delete(key);
  }
  localPath(): undefined {
    return undefined;
  }

  async get(key: string): Promise<Readable> {
    this.waiting += 1;
    this.maxTogether = Math.max(this.maxTogether, this.waiting);
    const deadline = Date.now() + this.timeoutMs;
    while (this.waiting < this.expected && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // Once met, the others pass too: the count only goes down after everyone has seen it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.waiting -= 1;
    return this.files.get(key);
  }
}

/** A CSV of `rows` payments whose amounts are `base + i` cents, so each file has its own total. */
function payments(rows: number, base: number): { rows: number; csv: string; totalMinor: bigint } {
  let csv = 'Date,Reference,Description,Amount,Currency\n';
  let totalMinor = 0n;
  for (let i = 1; i <= rows; i += 1) {
    const minor = base + i;
    totalMinor += BigInt(minor);
    csv += `2024-02-${String((i % 28) + 1).padStart(2, '0')},REF-${String(base)}-${String(i)},Payment ${String(i)},${(minor / 100).toFixed(2)},EUR\n`;
  }
  return { rows, csv, totalMinor };
}

let ctx: ReconTestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

async function uploadTwo(concurrency: number, gateMs: number) {
  ctx = await createReconTestApp({ worker: false });
  const storage = new MeetingStorage(path.join(ctx.dataDir, 'files'), 2, gateMs);
  ctx.worker = await startWorker({
    db: ctx.db.db,
    log: pino({ level: 'silent' }),
    dataDir: ctx.dataDir,
    pollingIntervalSeconds: 0.5,
    recon: { storage },
    ingestConcurrency: concurrency,
  });
  const admin: Session = await loginAdmin(ctx.app);
  const projectId = await createProject(ctx.app, admin, 'Two feeds');
  const files = [payments(1500, 10_000), payments(1200, 500_000)];
  const ids: string[] = [];
  for (const [index, file] of files.entries()) {
    const response = await upload(ctx.app, admin, projectId, `feed-${String(index)}.csv`, file.csv);
    expect(response.statusCode, response.body).toBe(201);
    ids.push(response.json<{ id: string }>().id);
  }
  const views = await Promise.all(ids.map((id) => waitForIngestion(ctx!.app, admin, id)));
  return { ctx, storage, files, ids, views, admin };
}

describe('concurrent ingestion', () => {
  it('ingests two uploads at the same time, each to ready with its own records', async () => {
    const { ctx: app, storage, files, ids, views } = await uploadTwo(2, 15_000);
    expect(storage.maxTogether).toBe(2);
    for (const [index, file] of files.entries()) {
      expect(views[index]).toMatchObject({ status: 'ready', loaded_count: file.rows, error_count: 0 });
      const { rows } = await sql<{ n: string; total: string; first: string; last: string }>`
        SELECT count(*)::text AS n, sum(amount_minor)::text AS total, min(row_no)::text AS first,
               max(row_no)::text AS last
        FROM records WHERE data_source_id = ${ids[index]}::uuid`.execute(app.db.db);
      const n = String(file.rows);
      expect(rows[0]).toEqual({ n, total: file.totalMinor.toString(), first: '1', last: n });
    }
  });

  it('runs one ingestion at a time when the concurrency is 1', async () => {
    const { storage, views } = await uploadTwo(1, 1_500);
    expect(storage.maxTogether).toBe(1);
    expect(views.map((view) => view.status)).toEqual(['ready', 'ready']);
  });

  it('refuses a concurrency below 1 when the worker starts', async () => {
    ctx = await createReconTestApp({ worker: false });
    await expect(
      startWorker({
        db: ctx.db.db,
        log: pino({ level: 'silent' }),
        dataDir: ctx.dataDir,
        ingestConcurrency: 0,
      }),
    ).rejects.toThrow(/concurrency of ingest.* must be a positive integer/);
  });
});

describe('ingestion with a mapping', () => {
  it('stores the same profile and raw preview as detection does (profiled while PostgreSQL copies)', async () => {
    ctx = await createReconTestApp();
    const admin = await loginAdmin(ctx.app);
    const projectId = await createProject(ctx.app, admin, 'Profile');
    const file = payments(300, 70_000);
    const created = await upload(ctx.app, admin, projectId, 'feed.csv', file.csv);
    const id = created.json<{ id: string }>().id;
    const detected = await waitForIngestion(ctx.app, admin, id);
    expect(detected).toMatchObject({ status: 'ready', loaded_count: 300 });
    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${id}/mapping`,
      headers: admin.headers,
      payload: { mapping: detected.mapping },
    });
    expect(put.statusCode, put.body).toBe(200);
    const mapped = await waitForIngestion(ctx.app, admin, id);
    expect(mapped).toMatchObject({ status: 'ready', loaded_count: 300, error_count: 0 });
    expect((mapped.profile as unknown[]).length).toBe(5);
    expect(mapped.profile).toEqual(detected.profile);
    const { rows } = await sql<{ raw_preview: string }>`
      SELECT raw_preview::text FROM data_sources WHERE id = ${id}::uuid`.execute(ctx.db.db);
    expect(JSON.parse(rows[0]?.raw_preview ?? 'null')).toMatchObject({
      columns: ['Date', 'Reference', 'Description', 'Amount', 'Currency', expect.any(String)],
    });
  });
});

describe('ingestion settings', () => {
  it('reads WORKER_INGEST_CONCURRENCY and WORKER_INGEST_THREADS, two ingestions and no thread count by default', () => {
    expect(loadConfig({}, []).worker).toMatchObject({ ingestConcurrency: 2, ingestThreads: undefined });
    expect(
      loadConfig({ WORKER_INGEST_CONCURRENCY: '4', WORKER_INGEST_THREADS: '3' }, []).worker,
    ).toMatchObject({
      ingestConcurrency: 4,
      ingestThreads: 3,
    });
  });

  it.each([
    ['WORKER_INGEST_CONCURRENCY', '0'],
    ['WORKER_INGEST_CONCURRENCY', '17'],
    ['WORKER_INGEST_CONCURRENCY', 'two'],
    ['WORKER_INGEST_CONCURRENCY', '1.5'],
    ['WORKER_INGEST_THREADS', '0'],
    ['WORKER_INGEST_THREADS', '65'],
  ])('refuses %s=%s', (key, value) => {
    expect(() => loadConfig({ [key]: value }, [])).toThrow(new RegExp(`${key}: `));
  });

  it('reads WORKER_INGEST_MEMORY_LIMIT as a DuckDB size and refuses anything else', () => {
    expect(loadConfig({}, []).worker.ingestMemoryLimit).toBeUndefined();
    expect(loadConfig({ WORKER_INGEST_MEMORY_LIMIT: '512MiB' }, []).worker.ingestMemoryLimit).toBe('512MiB');
    for (const value of ['4 GB', '0GB', '4gb', 'lots', '-1GB'])
      expect(() => loadConfig({ WORKER_INGEST_MEMORY_LIMIT: value }, [])).toThrow(
        /WORKER_INGEST_MEMORY_LIMIT: /,
      );
  });

  it('shares half the memory out between the sessions a worker can hold, 256 MiB at least', () => {
    const gib = 1024 ** 3;
    // Two ingestions and one reconciliation on 24 GiB: 12 GiB / 3.
    expect(defaultIngestMemoryLimit(2, 24 * gib)).toBe('4096MiB');
    expect(defaultIngestMemoryLimit(1, 3 * gib)).toBe('768MiB');
    expect(defaultIngestMemoryLimit(16, gib)).toBe('256MiB');
  });

  it('shares the cores out between concurrent ingestions, one thread at least', () => {
    expect(defaultIngestThreads(2, 2)).toBe(1);
    expect(defaultIngestThreads(1, 2)).toBe(2);
    expect(defaultIngestThreads(2, 8)).toBe(4);
    expect(defaultIngestThreads(3, 8)).toBe(2);
    expect(defaultIngestThreads(4, 2)).toBe(1);
  });
});

describe('records exported in parts', () => {
  it('streams the same bytes as one export, in row order across row-number gaps, with progress up to 1', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'recon-parts-'));
    const session = await openSession({ threads: 1 });
    try {
      const file = path.join(folder, 'in.csv');
      // Rows 4 and 9 have no amount: rejected, so the records' row numbers have gaps.
      const lines = Array.from({ length: 20 }, (_, i) =>
        i === 3 || i === 8 ? `R${String(i + 1)},,EUR` : `R${String(i + 1)},${String(i + 1)}.25,EUR`,
      );
      await writeFile(file, `Reference,Amount,Currency\n${lines.join('\n')}\n`);
      const result = await ingestFile(session, 'left', {
        path: file,
        mapping: {
          reference: 'Reference',
          amount: { kind: 'signed', column: 'Amount' },
          currency: { column: 'Currency' },
        },
      });
      expect(result.loadedCount).toBe(18);
      const id = '5d0c3c4e-7a7c-4f7e-9a57-3f1f0d1c2b3a';
      const whole = path.join(folder, 'whole.csv');
      await exportRecords(session, id, whole);
      const fractions: number[] = [];
      const parts = await exportRecordParts(session, id, folder, (f) => fractions.push(f), 3n);
      const chunks: Buffer[] = [];
      for await (const chunk of parts.stream) chunks.push(chunk as Buffer);
      await parts.exported;
      const streamed = Buffer.concat(chunks).toString('utf8');
      expect(streamed).toBe(await readFile(whole, 'utf8'));
      expect(streamed.split('\n').filter((line) => line !== '')).toHaveLength(18);
      expect(fractions.at(-1)).toBe(1);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    } finally {
      session.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
