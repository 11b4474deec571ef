import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/database';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_EVENT_BYTES = 7999;

const CHANNEL = /^[a-z][a-z0-9_]{0,62}$/;

/** Channels carrying platform events; the WebSocket channel fans these out to rooms. */
export const EVENT_CHANNELS = {
  /** Job status, progress, phase and ETA: `{ type: 'job.progress' | 'job.status', job_id, project_id, ... }`. */
  jobs: 'recon_jobs',
  /** Data-source ingestion: `{ type: 'data_source.progress' | 'data_source.status', data_source_id, project_id, ... }`. */
  dataSources: 'recon_data_sources',
} as const;

function checkChannel(channel: string): string {
  if (!CHANNEL.test(channel)) throw new Error(`invalid event channel ${JSON.stringify(channel)}`);
  return channel;
}

/**
 * Publishes a JSON event with NOTIFY. Inside a transaction it is delivered only on commit (and dropped on
 * rollback), so listeners never see an event for a change that did not happen.
 */
export async function publish(db: DbOrTx, channel: string, payload: Record<string, unknown>): Promise<void> {
  const text = JSON.stringify(payload);
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES)
    throw new Error(`event payload on ${channel} exceeds ${MAX_EVENT_BYTES} bytes`);
  await sql`SELECT pg_notify(${checkChannel(channel)}, ${text})`.execute(db);
}

export type EventHandler = (payload: Record<string, unknown>) => void;

/**
 * Listens on channels over one dedicated connection (LISTEN needs a session of its own, outside the pool).
 * Reconnects with back-off when the connection drops and listens again on every channel; events sent
 * while disconnected are lost, so consumers re-read state after `onReconnect`.
 */
export class EventSubscriber {
  private client: pg.Client | undefined;
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private isClosed = false;
  private connecting: Promise<void> | undefined;
  private retryDelayMs = 100;
  private reconnectHandlers = new Set<() => void>();

  constructor(
    private readonly connectionString: string,
    private readonly log?: Pick<Logger, 'warn' | 'info'>,
  ) {}

  /** Calls `handler` for each event on `channel`; returns a function that stops it. */
  async subscribe(channel: string, handler: EventHandler): Promise<() => Promise<void>> {
    checkChannel(channel);
    let set = this.handlers.get(channel);
    const isNew = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    await this.connect();
    if (isNew) await this.client?.query(`LISTEN ${channel}`);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  /** Called after a reconnect, when events may have been missed. */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.add(handler);
  }

  private connect(): Promise<void> {
    if (this.client !== undefined) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'recon-events',
    });
    client.on('notification', (message) => {
      this.dispatch(message.channel, message.payload);
    });
    client.on('error', (error) => {
      this.log?.warn({ err: error }, 'event connection error');
      this.dropAndReconnect(client);
    });
    client.on('end', () => {
      this.dropAndReconnect(client);
    });
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
    this.retryDelayMs = 100;
  }

  private dispatch(channel: string, payload: string | undefined): void {
    const set = this.handlers.get(channel);
    if (set === undefined || payload === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.log?.warn({ channel }, 'event payload is not JSON; dropped');
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
    for (const handler of set) handler(parsed as Record<string, unknown>);
  }

  private dropAndReconnect(client: pg.Client): void {
    if (this.client !== client && this.client !== undefined) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.isClosed) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
    setTimeout(() => {
      if (this.isClosed) return;
      this.connect().then(
        () => {
          this.log?.info({}, 'event connection re-established');
          for (const handler of this.reconnectHandlers) handler();
        },
        () => {
          this.dropAndReconnect(client);
        },
      );
    }, delay).unref();
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.isClosed = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      client.removeAllListeners('end');
      await client.end();
    }
  }
}
