/** Latency percentiles and rates over the recent past, for the admin JSON view (Prometheus does its own). */
export interface WindowStats {
  readonly window_seconds: number;
  readonly requests: number;
  readonly request_rate_per_second: number;
  readonly error_rate: number;
  readonly latency_ms: { readonly p50: number; readonly p95: number; readonly p99: number };
}

const DEFAULT_CAPACITY = 10_000;

/**
 * A fixed-size ring of the latest requests (time, duration, status). Bounded memory whatever the traffic;
 * under very high load the window covers less than `windowMs`, and the rate is computed over what it holds.
 */
export class RequestWindow {
  private readonly at: Float64Array;
  private readonly durations: Float64Array;
  private readonly isError: Uint8Array;
  private next = 0;
  private size = 0;

  constructor(
    private readonly windowMs = 300_000,
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly now: () => number = Date.now,
  ) {
    this.at = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.isError = new Uint8Array(capacity);
  }

  /** Records one finished request; 5xx counts as an error. */
  add(durationMs: number, status: number): void {
    this.at[this.next] = this.now();
    this.durations[this.next] = durationMs;
    this.isError[this.next] = status >= 500 ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  stats(): WindowStats {
    const now = this.now();
    const since = now - this.windowMs;
    const durations: number[] = [];
    let errors = 0;
    let oldest = now;
    for (let index = 0; index < this.size; index += 1) {
      const at = this.at[index] ?? 0;
      if (at < since) continue;
      durations.push(this.durations[index] ?? 0);
      errors += this.isError[index] ?? 0;
      oldest = Math.min(oldest, at);
    }
    durations.sort((a, b) => a - b);
    const spanSeconds = Math.max(1, (now - (this.size === this.capacity ? oldest : since)) / 1000);
    const pick = (q: number) =>
      durations.length === 0
        ? 0
        : round(durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)] ?? 0);
    return {
      window_seconds: Math.round(this.windowMs / 1000),
      requests: durations.length,
      request_rate_per_second: round(durations.length / spanSeconds),
      error_rate: durations.length === 0 ? 0 : round(errors / durations.length),
      latency_ms: { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99) },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
