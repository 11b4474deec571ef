import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import client from 'prom-client';
import type pg from 'pg';
import type { Db } from '../db/database';
import { registry } from './platform-metrics';

/** Where the scrape-time gauges read from: the app's database, its pool and its data directory. */
export interface ScrapeSource {
  readonly db: Db;
  readonly pool: pg.Pool | undefined;
  readonly dataDir: string;
}

// Gauges are read when scraped, from the latest app still open in this process (a server runs one; tests
// may build several).
const sources: ScrapeSource[] = [];
let current: ScrapeSource | undefined;

/** Makes `source` the one scrape-time gauges read; returns a function that undoes it. */
export function useScrapeSource(source: ScrapeSource): () => void {
  sources.push(source);
  current = source;
  return () => {
    const index = sources.indexOf(source);
    if (index >= 0) sources.splice(index, 1);
    current = sources.at(-1);
  };
}

/** Jobs by status, from the database, so every instance reports the same numbers. */
export async function jobCountsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('recon_jobs')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/** Jobs waiting in pg-boss (created or waiting to retry); null when the queue schema is not there yet. */
export async function queueDepth(db: Db): Promise<number | null> {
  try {
    const result = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM pgboss.job WHERE state IN ('created', 'retry')`.execute(db);
    return Number(result.rows[0]?.n ?? 0);
  } catch {
    return null;
  }
}

/** Free bytes for unprivileged users on the file system of `dir`; null when it cannot be read. */
export async function freeDiskBytes(dir: string): Promise<number | null> {
  // DATA_DIR may not exist yet (nothing uploaded): measure the nearest existing parent, the same disk.
  for (let candidate = path.resolve(dir); ; candidate = path.dirname(candidate)) {
    try {
      const stats = await statfs(candidate);
      return stats.bavail * stats.bsize;
    } catch {
      if (path.dirname(candidate) === candidate) return null;
    }
  }
}

export function poolStats(pool: pg.Pool | undefined) {
  return pool === undefined
    ? undefined
    : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

new client.Gauge({
  name: 'recon_db_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting requests)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const stats = poolStats(current?.pool);
    if (stats === undefined) return;
    for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
  },
});

new client.Gauge({
  name: 'recon_jobs',
  help: 'Reconciliation jobs by status (from the database)',
  labelNames: ['status'] as const,
  registers: [registry],
  async collect() {
    if (current === undefined) return;
    this.reset();
    const counts = await jobCountsByStatus(current.db).catch(() => ({}));
    for (const [status, value] of Object.entries(counts)) this.set({ status }, value);
  },
});

new client.Gauge({
  name: 'recon_queue_depth',
  help: 'Queued jobs waiting for a worker (pg-boss created + retry)',
  registers: [registry],
  async collect() {
    if (current === undefined) return;
    const depth = await queueDepth(current.db);
    if (depth !== null) this.set(depth);
  },
});

new client.Gauge({
  name: 'recon_data_dir_free_bytes',
  help: 'Free disk space of DATA_DIR in bytes',
  registers: [registry],
  async collect() {
    if (current === undefined) return;
    const free = await freeDiskBytes(current.dataDir);
    if (free !== null) this.set(free);
  },
});
