import { z } from 'zod';
import type { Logger } from 'pino';
import { realtimeEnvelopeSchema, type RealtimeEnvelope, type WsServerMessage } from '@recon/shared';
import type { DbOrTx } from '../db/database';
import { EVENT_CHANNELS, EventSubscriber, publish, type EventHandler } from '../events/event-bus';
import { ACCESS_CHANNEL, accessEventSchema } from './access-events';
import type { WsHub } from './ws-hub';

/** Channel for ready-made WebSocket messages (review changes, notifications) from any process. */
export const REALTIME_CHANNEL = 'recon_realtime';

/**
 * Publishes a `data_changed` or `notification` message to a project's room or to one user, on every API
 * instance. Inside a transaction it goes out on commit only.
 *
 * @example
 * await publishRealtime(trx, { project_id, user_id: null, message: { type: 'data_changed', project_id,
 *   entity: 'match', entity_id: '42', action: 'confirmed', job_id, timestamp: new Date().toISOString() } });
 */
export async function publishRealtime(db: DbOrTx, envelope: RealtimeEnvelope): Promise<void> {
  await publish(db, REALTIME_CHANNEL, realtimeEnvelopeSchema.parse(envelope));
}

const nullableNumber = z.number().nullable().optional();
const jobEventSchema = z.object({
  type: z.string(),
  job_id: z.uuid(),
  job_name: z.string().optional(),
  project_id: z.uuid(),
  status: z.string().optional(),
  progress: nullableNumber,
  phase: z.string().nullable().optional(),
  eta_seconds: nullableNumber,
});
const dataSourceEventSchema = z.object({
  type: z.string(),
  data_source_id: z.uuid(),
  project_id: z.uuid(),
  status: z.string().optional(),
});

const FINAL_NOTES: Record<string, { level: 'success' | 'error' | 'warning'; title: string }> = {
  completed: { level: 'success', title: 'Reconciliation finished' },
  failed: { level: 'error', title: 'Reconciliation failed' },
  cancelled: { level: 'warning', title: 'Reconciliation cancelled' },
};

/** Turns one job event from the bus into the messages for the job's project room. */
export function jobMessages(raw: Record<string, unknown>, now = new Date()): WsServerMessage[] {
  const parsed = jobEventSchema.safeParse(raw);
  if (!parsed.success) return [];
  const event = parsed.data;
  const timestamp = now.toISOString();
  if (event.type === 'job.deleted') {
    return [
      {
        type: 'data_changed',
        project_id: event.project_id,
        entity: 'job',
        entity_id: event.job_id,
        action: 'deleted',
        job_id: event.job_id,
        timestamp,
      },
    ];
  }
  const status = event.status ?? 'running';
  const progress = event.progress ?? (status === 'completed' ? 100 : null);
  const messages: WsServerMessage[] = [
    {
      type: 'job_progress',
      job_id: event.job_id,
      project_id: event.project_id,
      progress,
      status,
      phase: event.phase ?? null,
      eta: event.eta_seconds ?? null,
      timestamp,
    },
  ];
  const note = FINAL_NOTES[status];
  if (event.type === 'job.status' && note !== undefined) {
    messages.push({
      type: 'notification',
      level: note.level,
      title: note.title,
      message:
        event.job_name === undefined
          ? `Job ${event.job_id} is ${status}`
          : `"${event.job_name}" is ${status}`,
      project_id: event.project_id,
      job_id: event.job_id,
      timestamp,
    });
  }
  return messages;
}

function dataSourceMessages(raw: Record<string, unknown>, now = new Date()): WsServerMessage[] {
  const parsed = dataSourceEventSchema.safeParse(raw);
  if (!parsed.success) return [];
  const event = parsed.data;
  return [
    {
      type: 'data_changed',
      project_id: event.project_id,
      entity: 'data_source',
      entity_id: event.data_source_id,
      action: event.status ?? event.type,
      timestamp: now.toISOString(),
    },
  ];
}

/** Channel on which any process says "data changed" so every instance drops its cached reads. */
export const CACHE_CHANNEL = 'recon_cache';

/** Delivers an event to the right room or user of this process. */
export class EventFanout {
  private readonly stops: (() => Promise<void>)[] = [];
  private subscriber: EventSubscriber | undefined;
  private readonly changeListeners = new Set<() => void>();
  private readonly reconnectListeners = new Set<() => void>();

  /** Calls `listener` after the event connection came back, when events may have been missed. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /** Calls `listener` whenever an event says data changed (progress ticks excepted). */
  onDataChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  private changed(payload: Record<string, unknown>): void {
    if (typeof payload.type === 'string' && payload.type.endsWith('.progress')) return;
    for (const listener of this.changeListeners) listener();
  }

  readonly onCacheEvent: EventHandler = (payload) => {
    this.changed(payload);
  };

  constructor(
    private readonly hub: WsHub,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
  ) {}

  readonly onJobEvent: EventHandler = (payload) => {
    this.changed(payload);
    for (const message of jobMessages(payload)) this.deliverToProject(message);
  };

  readonly onDataSourceEvent: EventHandler = (payload) => {
    this.changed(payload);
    for (const message of dataSourceMessages(payload)) this.deliverToProject(message);
  };

  readonly onRealtimeEvent: EventHandler = (payload) => {
    this.changed(payload);
    const parsed = realtimeEnvelopeSchema.safeParse(payload);
    if (!parsed.success) {
      this.log.warn({ channel: REALTIME_CHANNEL }, 'realtime event does not match the schema; dropped');
      return;
    }
    const { project_id: projectId, user_id: userId, message } = parsed.data;
    if (userId !== null) this.hub.toUser(userId, message);
    else if (projectId !== null) this.hub.toProject(projectId, message);
  };

  /** Applies a membership, project or user change to the sockets of this process. */
  readonly onAccessEvent: EventHandler = (payload) => {
    this.changed(payload);
    const parsed = accessEventSchema.safeParse(payload);
    if (!parsed.success) {
      this.log.warn({ channel: ACCESS_CHANNEL }, 'access event does not match the schema; dropped');
      return;
    }
    const event = parsed.data;
    if (event.type === 'member.removed') this.hub.revokeMembership(event.project_id, event.user_id);
    else if (event.type === 'project.deleted') this.hub.closeRoom(event.project_id);
    else if (event.type === 'user.revoked') this.hub.closeUser(event.user_id, event.reason);
    else this.hub.setRole(event.user_id, event.role);
  };

  private deliverToProject(message: WsServerMessage): void {
    if ('project_id' in message && typeof message.project_id === 'string')
      this.hub.toProject(message.project_id, message);
  }

  /** Listens on the event channels over its own connection; without a URL nothing arrives from other processes. */
  async start(databaseUrl: string | undefined): Promise<void> {
    if (databaseUrl === undefined) return;
    this.subscriber = new EventSubscriber(databaseUrl, this.log);
    this.stops.push(
      await this.subscriber.subscribe(EVENT_CHANNELS.jobs, this.onJobEvent),
      await this.subscriber.subscribe(EVENT_CHANNELS.dataSources, this.onDataSourceEvent),
      await this.subscriber.subscribe(REALTIME_CHANNEL, this.onRealtimeEvent),
      await this.subscriber.subscribe(CACHE_CHANNEL, this.onCacheEvent),
      await this.subscriber.subscribe(ACCESS_CHANNEL, this.onAccessEvent),
    );
    // Events sent while the LISTEN connection was down are lost: re-check every room instead.
    this.subscriber.onReconnect(() => {
      for (const listener of this.reconnectListeners) listener();
    });
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) await stop().catch(() => undefined);
    await this.subscriber?.close();
  }
}
