/**
 * Wall time of an ingestion's phases, for the `ingestion finished` log record: the engine's own phases
 * (sniff, read, profile, detect, normalise, reported through its progress callback) and the platform's
 * (raw preview, export, COPY, row errors, commit). Measurement only: nothing depends on it.
 */
export class IngestPhases {
  private readonly spent = new Map<string, number>();
  private current: string | undefined;
  private since = performance.now();

  /** Ends the running phase (if any) and starts `phase`; a phase entered twice adds up. */
  enter(phase: string): void {
    const now = performance.now();
    if (this.current !== undefined)
      this.spent.set(this.current, (this.spent.get(this.current) ?? 0) + now - this.since);
    this.current = phase;
    this.since = now;
  }

  /** Milliseconds per phase in the order first entered, the running phase ended now. */
  finish(): Record<string, number> {
    this.enter('done');
    this.spent.delete('done');
    return Object.fromEntries([...this.spent].map(([phase, ms]) => [phase, Math.round(ms)]));
  }
}
