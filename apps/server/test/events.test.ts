import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { EventSubscriber, publish } from '../src/events/event-bus';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { waitFor } from './fixtures/recon/recon-test-app';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('event bus', () => {
  it('delivers JSON events published after commit, and none from a rolled-back transaction', async () => {
    const subscriber = new EventSubscriber(db.url);
    const seen: Record<string, unknown>[] = [];
    const stop = await subscriber.subscribe('recon_test', (event) => seen.push(event));
    await db.db
      .transaction()
      .execute(async (trx) => {
        await publish(trx, 'recon_test', { n: 1 });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await publish(db.db, 'recon_test', { n: 2, text: 'héllo' });
    await waitFor(() => Promise.resolve(seen.length > 0 ? true : undefined), 5_000, 'event');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([{ n: 2, text: 'héllo' }]);
    await stop();
    await subscriber.close();
  });

  it('refuses payloads of 8000 bytes or more and invalid channel names', async () => {
    await expect(publish(db.db, 'recon_test', { text: 'x'.repeat(8000) })).rejects.toThrow('exceeds');
    await expect(publish(db.db, 'bad channel; drop table', {})).rejects.toThrow('invalid event channel');
  });

  it('reconnects and listens again after the connection is killed', async () => {
    const subscriber = new EventSubscriber(db.url);
    const seen: unknown[] = [];
    let reconnected = false;
    subscriber.onReconnect(() => {
      reconnected = true;
    });
    await subscriber.subscribe('recon_test', (event) => seen.push(event));
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'recon-events' AND datname = current_database()`.execute(
      db.db,
    );
    await waitFor(() => Promise.resolve(reconnected ? true : undefined), 10_000, 'reconnect');
    await publish(db.db, 'recon_test', { after: 'reconnect' });
    await waitFor(() => Promise.resolve(seen.length > 0 ? true : undefined), 5_000, 'event after reconnect');
    expect(seen).toEqual([{ after: 'reconnect' }]);
    await subscriber.close();
  });
});
