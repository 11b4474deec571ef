import { z } from 'zod';
import { systemMetricsSchema } from './system';

// The WebSocket protocol at `/ws`: one JSON object per text frame, `type` says which message it is.

const uuid = z.uuid();
const timestamp = z.string();

/** Close codes the server uses (4000–4999 is the application range). */
export const WS_CLOSE = {
  /** No valid session cookie and no valid `auth` message within the time limit. */
  UNAUTHENTICATED: 4401,
  /** The client sent messages faster than the per-connection limit. */
  TOO_MANY_MESSAGES: 4429,
  /** The client read too slowly: its send buffer passed the server's bound. */
  SLOW_CONSUMER: 4413,
  /** The user was disabled or deleted while connected: do not reconnect with the same credentials. */
  ACCESS_REVOKED: 4403,
  /** The server is shutting down. */
  GOING_AWAY: 1001,
} as const;

/** Messages a client sends. */
export const wsClientMessageSchema = z.discriminatedUnion('type', [
  /** First message when the upgrade carried no session cookie: an access token or API key. */
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  /** Receive the project's job progress, changes and presence; membership is checked. */
  z.object({ type: z.literal('join_project'), project_id: uuid }),
  z.object({ type: z.literal('leave_project'), project_id: uuid }),
  /** Tell colleagues which job of a joined project you are looking at (`null`: none). */
  z.object({ type: z.literal('view_job'), project_id: uuid, job_id: uuid.nullable() }),
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('pong'), id: z.string().max(64).optional() }),
]);
/** See {@link wsClientMessageSchema}. */
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

/** One person viewing a project, and the job they have open. */
export const presenceEntrySchema = z.object({
  user_id: uuid,
  name: z.string(),
  job_id: uuid.nullable(),
});

/** Messages the server sends. */
export const wsServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth_ok'), user_id: uuid, role: z.string() }),
  z.object({ type: z.literal('joined'), project_id: uuid }),
  z.object({ type: z.literal('left'), project_id: uuid }),
  /**
   * The server took the client out of a project's room: its membership was removed or the project deleted.
   * No further events of that project follow; `join_project` again only if access is given back.
   *
   * @example
   * { type: 'left_project', project_id: '…', reason: 'membership_revoked' }
   */
  z.object({
    type: z.literal('left_project'),
    project_id: uuid,
    reason: z.enum(['membership_revoked', 'project_deleted']),
  }),
  z.object({ type: z.literal('presence'), project_id: uuid, viewers: z.array(presenceEntrySchema) }),
  /**
   * Progress of a job in a joined project. `progress` 0–100; `eta` seconds or null.
   *
   * @example
   * { type: 'job_progress', job_id: '…', project_id: '…', progress: 40, status: 'running', phase: 'match',
   *   eta: 12, timestamp: '2026-01-31T10:00:00.000Z' }
   */
  z.object({
    type: z.literal('job_progress'),
    job_id: uuid,
    project_id: uuid,
    progress: z.number().min(0).max(100).nullable(),
    status: z.string(),
    phase: z.string().nullable(),
    eta: z.number().nullable(),
    timestamp,
  }),
  /** Something in a joined project changed (a review action, a data source, a job): refresh open screens. */
  z.object({
    type: z.literal('data_changed'),
    project_id: uuid,
    entity: z.string(),
    entity_id: z.string().nullable(),
    action: z.string(),
    job_id: uuid.nullable().optional(),
    timestamp,
  }),
  /** A job finished or failed, or an exception was assigned to you. */
  z.object({
    type: z.literal('notification'),
    level: z.enum(['info', 'success', 'warning', 'error']),
    title: z.string(),
    message: z.string(),
    project_id: uuid.nullable(),
    job_id: uuid.nullable(),
    timestamp,
  }),
  /** Every few seconds, to administrators. */
  z.object({
    type: z.literal('metrics_update'),
    metrics: systemMetricsSchema.omit({ prometheus: true }),
    timestamp,
  }),
  z.object({ type: z.literal('ping'), id: z.string().optional(), timestamp }),
  z.object({ type: z.literal('pong'), id: z.string().optional(), timestamp }),
  /** `code` is one of the HTTP error codes (`VALIDATION_FAILED`, `PROJECT_NOT_FOUND`, …). */
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
/** See {@link wsServerMessageSchema}. */
export type WsServerMessage = z.infer<typeof wsServerMessageSchema>;

/**
 * What a server process publishes on the `recon_realtime` channel for every instance to fan out: a
 * `data_changed` or `notification` message, addressed to a project's room or to one user.
 */
export const realtimeEnvelopeSchema = z.object({
  project_id: uuid.nullable(),
  user_id: uuid.nullable(),
  message: wsServerMessageSchema,
});
/** See {@link realtimeEnvelopeSchema}. */
export type RealtimeEnvelope = z.infer<typeof realtimeEnvelopeSchema>;
