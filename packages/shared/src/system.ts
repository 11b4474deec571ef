import { z } from 'zod';

/**
 * `GET /api/system/metrics` (admins) and the `metrics` of the WebSocket `metrics_update` message: the
 * Prometheus families as JSON plus derived figures over the last `http.window_seconds`.
 *
 * @example
 * { uptime_seconds: 3600, http: { request_rate_per_second: 12.5, error_rate: 0.001,
 *   latency_ms: { p50: 4, p95: 20, p99: 60 }, ... }, jobs: { by_status: { completed: 3 }, queue_depth: 0 }, ... }
 */
export const systemMetricsSchema = z.object({
  timestamp: z.string(),
  uptime_seconds: z.number(),
  http: z.object({
    window_seconds: z.number(),
    requests: z.number().int(),
    request_rate_per_second: z.number(),
    /** Share of 5xx answers, 0–1. */
    error_rate: z.number(),
    latency_ms: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
  }),
  db_pool: z.object({ total: z.number(), idle: z.number(), waiting: z.number() }).nullable(),
  jobs: z.object({
    by_status: z.record(z.string(), z.number()),
    /** Jobs waiting for a worker; null when the queue is not set up. */
    queue_depth: z.number().nullable(),
  }),
  websocket: z.object({ connections: z.number() }),
  cache: z.record(z.string(), z.object({ hits: z.number(), misses: z.number() })),
  process: z.object({
    rss_bytes: z.number(),
    heap_used_bytes: z.number(),
    cpu_user_seconds: z.number(),
    cpu_system_seconds: z.number(),
  }),
  disk: z.object({ data_dir_free_bytes: z.number().nullable() }),
  /** Every Prometheus family as prom-client's JSON (name, help, type, values). */
  prometheus: z.array(z.record(z.string(), z.unknown())),
});
/** See {@link systemMetricsSchema}. */
export type SystemMetrics = z.infer<typeof systemMetricsSchema>;
