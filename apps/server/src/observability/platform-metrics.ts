import client from 'prom-client';

// One registry per process: the HTTP layer, the cache, the WebSocket channel and the job runners of this
// process all count into it, and `/metrics` exposes it. Separate processes (api, worker) each have their own;
// gauges read from the database (jobs by status, queue depth) agree across them.

/** The process-wide Prometheus registry. */
export const registry = new client.Registry();

// CPU, memory, heap, GC and event-loop lag, under their conventional names.
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export const httpRequests = new client.Counter({
  name: 'recon_http_requests_total',
  help: 'HTTP requests by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'recon_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: HTTP_BUCKETS,
  registers: [registry],
});

export const cacheRequests = new client.Counter({
  name: 'recon_cache_requests_total',
  help: 'Cache lookups by level (memory, redis) and result (hit, miss)',
  labelNames: ['level', 'result'] as const,
  registers: [registry],
});

export const jobsActive = new client.Gauge({
  name: 'recon_jobs_active',
  help: 'Jobs this process is running now, by kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const jobsFinished = new client.Counter({
  name: 'recon_jobs_finished_total',
  help: 'Jobs this process finished, by kind and final status',
  labelNames: ['kind', 'status'] as const,
  registers: [registry],
});

export const jobDuration = new client.Histogram({
  name: 'recon_job_duration_seconds',
  help: 'Duration of finished jobs by kind and final status',
  labelNames: ['kind', 'status'] as const,
  buckets: JOB_BUCKETS,
  registers: [registry],
});

export const recordsProcessed = new client.Counter({
  name: 'recon_records_processed_total',
  help: 'Records ingested or reconciled by this process, by kind (ingest, reconcile)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const wsConnections = new client.Gauge({
  name: 'recon_websocket_connections',
  help: 'Open WebSocket connections (authenticated or not)',
  registers: [registry],
});

export const wsMessages = new client.Counter({
  name: 'recon_websocket_messages_total',
  help: 'WebSocket messages by direction (in, out, dropped)',
  labelNames: ['direction'] as const,
  registers: [registry],
});

/**
 * The calls job runners make, in one small object so they need not know prom-client.
 *
 * @example
 * const done = metrics.jobStarted('reconcile');
 * // ... run ...
 * done('completed'); // or 'failed' / 'cancelled'
 * metrics.recordsProcessed('reconcile', leftCount + rightCount);
 */
export const metrics = {
  /** Marks a job as running; call the returned function once with its final status. */
  jobStarted(kind: string): (status: string) => void {
    const startedAt = process.hrtime.bigint();
    jobsActive.inc({ kind });
    let isDone = false;
    return (status) => {
      if (isDone) return;
      isDone = true;
      jobsActive.dec({ kind });
      metrics.jobFinished(status, Number(process.hrtime.bigint() - startedAt) / 1e9, kind);
    };
  },
  /** Counts a finished job and its duration in seconds. */
  jobFinished(status: string, seconds: number, kind = 'reconcile'): void {
    jobsFinished.inc({ kind, status });
    jobDuration.observe({ kind, status }, seconds);
  },
  /** Adds `count` records handled by an ingest or reconcile run. */
  recordsProcessed(kind: string, count: number): void {
    if (count > 0) recordsProcessed.inc({ kind }, count);
  },
  /** Counts a cache lookup. */
  cacheLookup(level: 'memory' | 'redis', isHit: boolean): void {
    cacheRequests.inc({ level, result: isHit ? 'hit' : 'miss' });
  },
};
