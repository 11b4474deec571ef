import type { z } from 'zod';

/** A queued job type, defined once: its queue name, payload schema and retry policy. */
export interface JobDefinition<Payload> {
  readonly name: string;
  readonly payload: z.ZodType<Payload>;
  /** Retries after the first attempt fails (a bad payload is never retried). */
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** An attempt running longer than this is failed by pg-boss (the backstop behind heartbeats). */
  readonly expireInSeconds: number;
}

/** Declares a job type; see {@link JobDefinition}. */
export function defineJob<Payload>(definition: JobDefinition<Payload>): JobDefinition<Payload> {
  return definition;
}
