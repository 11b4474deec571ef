import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp, type App } from '../src/app';
import { closeRedis, connectRedis } from '../src/cache/redis-client';
import { TwoLevelCache } from '../src/cache/two-level-cache';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { cacheRequests } from '../src/observability/platform-metrics';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { loginAdmin, testConfig, type Session } from './support/test-app';

const quiet = { warn: () => undefined };
const parseNumber = (value: unknown) => z.number().parse(value);

async function count(level: string, result: string): Promise<number> {
  return (
    (await cacheRequests.get()).values.find((s) => s.labels.level === level && s.labels.result === result)
      ?.value ?? 0
  );
}

describe('two-level cache', () => {
  it('loads once, then answers from memory and counts hits and misses', async () => {
    const cache = new TwoLevelCache({
      maxEntries: 10,
      ttlSeconds: 60,
      namespace: `t-${randomUUID()}`,
      log: quiet,
    });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    const missesBefore = await count('memory', 'miss');
    const hitsBefore = await count('memory', 'hit');
    expect(await cache.getOrLoad('k', load, parseNumber)).toBe(1);
    expect(await cache.getOrLoad('k', load, parseNumber)).toBe(1);
    expect(loads).toBe(1);
    expect(await count('memory', 'miss')).toBe(missesBefore + 1);
    expect(await count('memory', 'hit')).toBe(hitsBefore + 1);
    await cache.invalidate();
    expect(await cache.getOrLoad('k', load, parseNumber)).toBe(2);
  });

  it('does not keep a value loaded across an invalidation', async () => {
    const cache = new TwoLevelCache({
      maxEntries: 10,
      ttlSeconds: 60,
      namespace: `t-${randomUUID()}`,
      log: quiet,
    });
    let release: () => void = () => undefined;
    const slow = cache.getOrLoad(
      'k',
      () =>
        new Promise<number>((resolve) => {
          release = () => {
            resolve(1);
          };
        }),
      parseNumber,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    await cache.invalidate();
    release();
    expect(await slow).toBe(1);
    expect(cache.memorySize).toBe(0);
  });

  it('works without Redis when the server is unreachable', async () => {
    const redis = connectRedis('redis://127.0.0.1:1', quiet);
    const cache = new TwoLevelCache({ maxEntries: 10, ttlSeconds: 60, namespace: 'down', redis, log: quiet });
    try {
      expect(await cache.getOrLoad('k', () => Promise.resolve(7), parseNumber)).toBe(7);
      await cache.invalidate();
      expect(await cache.getOrLoad('k', () => Promise.resolve(8), parseNumber)).toBe(8);
    } finally {
      redis.disconnect();
    }
  });
});

describe.runIf(process.env.REDIS_URL)('two-level cache with Redis', () => {
  const url = process.env.REDIS_URL ?? '';
  const namespace = `t-${randomUUID()}`;
  const first = connectRedis(url, quiet);
  const second = connectRedis(url, quiet);
  afterAll(async () => {
    await closeRedis(first);
    await closeRedis(second);
  });

  it('shares entries through Redis and invalidates them for every instance', async () => {
    const a = new TwoLevelCache({ maxEntries: 10, ttlSeconds: 60, namespace, redis: first, log: quiet });
    const b = new TwoLevelCache({ maxEntries: 10, ttlSeconds: 60, namespace, redis: second, log: quiet });
    const redisHits = await count('redis', 'hit');
    expect(await a.getOrLoad('k', () => Promise.resolve(1), parseNumber)).toBe(1);
    expect(await b.getOrLoad('k', () => Promise.resolve(2), parseNumber)).toBe(1);
    expect(await count('redis', 'hit')).toBe(redisHits + 1);
    await a.invalidate();
    // b still has its memory copy until its own invalidation (an event), but a new instance misses Redis.
    const c = new TwoLevelCache({ maxEntries: 10, ttlSeconds: 60, namespace, redis: second, log: quiet });
    expect(await c.getOrLoad('k', () => Promise.resolve(3), parseNumber)).toBe(3);
  });
});

describe('cache invalidation across API instances', () => {
  let db: TestDatabase;
  let apps: App[] = [];
  let admin: Session;
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig();
    await ensureFirstAdmin(db.db, config);
    apps = await Promise.all([0, 1].map(() => buildApp(config, { db: db.db, databaseUrl: db.url })));
    await Promise.all(apps.map((app) => app.ready()));
    admin = await loginAdmin(apps[0] as App);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  it('drops the other instance’s cached dashboard after a write on this one', async () => {
    const [one, two] = apps as [App, App];
    const projects = async (app: App) =>
      (await app.inject({ method: 'GET', url: '/api/analytics/dashboard', headers: admin.headers })).json<{
        totals: { projects: number };
      }>().totals.projects;
    expect(await projects(two)).toBe(0);
    expect(await projects(two)).toBe(0);
    const created = await one.inject({
      method: 'POST',
      url: '/api/projects',
      headers: admin.headers,
      payload: { name: 'p' },
    });
    expect(created.statusCode).toBe(201);
    let seen = 0;
    for (let waited = 0; seen !== 1 && waited < 3000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await projects(two);
    }
    expect(seen).toBe(1);
  });
});
