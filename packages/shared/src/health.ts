import { z } from 'zod';

/** `GET /health/live`. */
export const liveResponseSchema = z.object({ status: z.literal('ok') });

/** `GET /health/ready`: 200 when the database answers and every migration is applied, 503 otherwise. */
export const readyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: z.enum(['ok', 'error']),
    migrations: z.enum(['ok', 'pending', 'unknown']),
  }),
});
