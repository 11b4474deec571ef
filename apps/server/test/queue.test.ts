import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/queue/job-queue';
import { INGEST_JOB } from '../src/queue/job-types';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { waitFor } from './fixtures/recon/recon-test-app';

let db: TestDatabase;
let producer: JobQueue;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  db = await createTestDatabase();
  producer = new JobQueue(db.db, log);
  await producer.start();
});
afterAll(async () => {
  await producer.stop();
  await db.drop();
});

async function queued(): Promise<number> {
  const result = await sql<{
    n: string;
  }>`SELECT count(*)::text AS n FROM pgboss.job WHERE name = ${INGEST_JOB.name}`.execute(db.db);
  return Number(result.rows[0]?.n ?? 0);
}

describe('job queue', () => {
  it('enqueues inside the caller transaction: a rollback leaves no queued job', async () => {
    const before = await queued();
    await db.db
      .transaction()
      .execute(async (trx) => {
        await producer.enqueue(trx, INGEST_JOB, { data_source_id: '00000000-0000-4000-8000-000000000001' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await queued()).toBe(before);
    await db.db.transaction().execute(async (trx) => {
      await producer.enqueue(trx, INGEST_JOB, { data_source_id: '00000000-0000-4000-8000-000000000002' });
    });
    expect(await queued()).toBe(before + 1);
  });

  it('refuses a bad payload at enqueue time', async () => {
    await expect(producer.enqueue(db.db, INGEST_JOB, { data_source_id: 'not-a-uuid' })).rejects.toThrow();
  });

  it('fails a bad payload in the worker without retrying, and retries a throwing handler', async () => {
    const consumer = new JobQueue(db.db, log, { pollingIntervalSeconds: 0.5 });
    const seen: { id: string; retryCount: number }[] = [];
    await consumer.work(INGEST_JOB, (payload, attempt) => {
      seen.push({ id: payload.data_source_id, retryCount: attempt.retryCount });
      if (payload.data_source_id.endsWith('3') && attempt.retryCount === 0)
        return Promise.reject(new Error('transient'));
      return Promise.resolve();
    });
    const bad = await producer.sendUnchecked(INGEST_JOB.name, { data_source_id: 42 });
    const flaky = await db.db
      .transaction()
      .execute((trx) =>
        producer.enqueue(trx, INGEST_JOB, { data_source_id: '00000000-0000-4000-8000-000000000003' }),
      );
    const badState = await waitFor(
      async () => {
        const state = await producer.stateOf(INGEST_JOB.name, bad ?? '');
        return state?.state === 'failed' ? state : undefined;
      },
      15_000,
      'bad payload to fail',
    );
    expect(badState.retryCount).toBe(0);
    // retryDelay is 5 s for ingestion: the retry follows after it.
    const flakyState = await waitFor(
      async () => {
        const state = await producer.stateOf(INGEST_JOB.name, flaky);
        return state?.state === 'completed' ? state : undefined;
      },
      20_000,
      'flaky job to complete',
    );
    expect(flakyState.retryCount).toBe(1);
    expect(seen.filter((s) => s.id.endsWith('3')).map((s) => s.retryCount)).toEqual([0, 1]);
    await consumer.stop();
  });
});
