import type pg from 'pg';
import type { SystemMetrics } from '@recon/shared';
import type { Db } from '../../db/database';
import { cacheRequests, registry, wsConnections } from '../../observability/platform-metrics';
import type { RequestWindow } from '../../observability/request-window';
import { freeDiskBytes, jobCountsByStatus, poolStats, queueDepth } from '../../observability/scrape-sources';

export interface SystemMetricsDeps {
  readonly db: Db;
  readonly pool: pg.Pool | undefined;
  readonly dataDir: string;
  readonly window: RequestWindow;
}

async function cacheStats(): Promise<SystemMetrics['cache']> {
  const stats: Record<string, { hits: number; misses: number }> = {};
  for (const sample of (await cacheRequests.get()).values) {
    const level = String(sample.labels.level ?? 'unknown');
    const entry = (stats[level] ??= { hits: 0, misses: 0 });
    if (sample.labels.result === 'hit') entry.hits += sample.value;
    else entry.misses += sample.value;
  }
  return stats;
}

/** The admin view of the platform's health and load; also pushed to admins over the WebSocket. */
export async function collectSystemMetrics(deps: SystemMetricsDeps): Promise<SystemMetrics> {
  const [byStatus, depth, free, prometheus, cache, sockets] = await Promise.all([
    jobCountsByStatus(deps.db),
    queueDepth(deps.db),
    freeDiskBytes(deps.dataDir),
    registry.getMetricsAsJSON(),
    cacheStats(),
    wsConnections.get(),
  ]);
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    timestamp: new Date().toISOString(),
    uptime_seconds: Math.round(process.uptime()),
    http: deps.window.stats(),
    db_pool: poolStats(deps.pool) ?? null,
    jobs: { by_status: byStatus, queue_depth: depth },
    websocket: { connections: sockets.values[0]?.value ?? 0 },
    cache,
    process: {
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      cpu_user_seconds: cpu.user / 1e6,
      cpu_system_seconds: cpu.system / 1e6,
    },
    disk: { data_dir_free_bytes: free },
    prometheus: prometheus.map((family) => ({ ...family })),
  };
}
