import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/database';
import { EventSubscriber, publish } from '../events/event-bus';
import { ACCESS_CHANNEL, accessEventSchema } from './access-events';
import { RemotePresence } from './presence-board';
import type { TimedViewer } from './presence-merge';
import { PRESENCE_CHANNEL, packRooms, presenceMessageSchema, type PresenceRoom } from './presence-wire';
import type { PresenceLink, WsHub } from './ws-hub';

/** Changes within this window go out as one NOTIFY (a burst of joins, a user clicking through jobs). */
const COALESCE_MS = 50;
/** How often stale entries are looked for: independent of the heartbeat, which may be long. */
const EXPIRY_SWEEP_MS = 1000;

export interface PresenceSyncOptions {
  readonly db: DbOrTx;
  /** For the LISTEN connection (one of its own: the event fan-out's subscriber is not shared). */
  readonly databaseUrl: string;
  readonly log: Pick<Logger, 'warn' | 'info'>;
  /** How often this process re-announces its non-empty rooms. */
  readonly heartbeatMs: number;
  readonly now?: () => number;
}

/**
 * Presence across API instances over NOTIFY. Each process announces the viewers of its rooms when they
 * change and on every heartbeat; it keeps what the others announce for the projects it has a room for, and
 * drops what it has not heard again within 3 of the sender's heartbeats. A room that opens asks the others
 * to answer at once, so a reviewer sees colleagues on other instances within a round trip, not a heartbeat
 * later.
 */
export class PresenceSync implements PresenceLink {
  /** Tells this process's announcements apart from the others' (NOTIFY reaches the sender too). */
  readonly instanceId = randomUUID();
  readonly board: RemotePresence;
  /** Projects to announce, and whether to ask the others to answer. */
  private readonly dirty = new Map<string, boolean>();
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  /** Announcements go out one after the other, so a later state never overtakes an earlier one. */
  private sending: Promise<void> = Promise.resolve();
  private subscriber: EventSubscriber | undefined;
  private isStopped = false;

  constructor(
    private readonly hub: WsHub,
    private readonly options: PresenceSyncOptions,
  ) {
    this.board = new RemotePresence(options.now);
  }

  remote(projectId: string): readonly TimedViewer[] {
    return this.board.viewersOf(projectId);
  }

  changed(projectId: string, isNewRoom: boolean): void {
    // Without a local room this process no longer shows the project to anyone: stop tracking the others.
    if (!this.hub.hasRoom(projectId)) this.board.dropProject(projectId);
    this.mark(projectId, isNewRoom);
  }

  /** Handles one payload from {@link PRESENCE_CHANNEL}. */
  receive(payload: Record<string, unknown>): void {
    const parsed = presenceMessageSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.log.warn(
        { channel: PRESENCE_CHANNEL },
        'presence message does not match the schema; dropped',
      );
      return;
    }
    const message = parsed.data;
    if (message.instance_id === this.instanceId) return;
    if (message.type === 'bye') {
      this.refresh(this.board.dropInstance(message.instance_id));
      return;
    }
    for (const room of message.rooms) {
      // Nobody here to show them to; asked again when a room opens.
      if (!this.hub.hasRoom(room.project_id)) continue;
      if (this.board.set(message.instance_id, room.project_id, room.viewers, message.heartbeat_ms))
        this.hub.refreshPresence(room.project_id);
      if (room.ask === true) this.mark(room.project_id, false);
    }
  }

  /** Takes a removed member or disabled user out of the others' viewers here at once. */
  receiveAccess(payload: Record<string, unknown>): void {
    const parsed = accessEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const event = parsed.data;
    if (event.type === 'member.removed') this.refresh(this.board.dropUser(event.user_id, event.project_id));
    else if (event.type === 'user.revoked') this.refresh(this.board.dropUser(event.user_id));
    else if (event.type === 'project.deleted') this.board.dropProject(event.project_id);
  }

  /** Listens on its own connection and starts the heartbeat. */
  async start(): Promise<void> {
    this.subscriber = new EventSubscriber(this.options.databaseUrl, this.options.log);
    await this.subscriber.subscribe(PRESENCE_CHANNEL, (payload) => {
      this.receive(payload);
    });
    await this.subscriber.subscribe(ACCESS_CHANNEL, (payload) => {
      this.receiveAccess(payload);
    });
    // Announcements missed while disconnected: announce every room and ask the others to answer.
    this.subscriber.onReconnect(() => {
      for (const projectId of this.hub.roomIds()) this.mark(projectId, true);
    });
    this.heartbeat = setInterval(() => {
      this.beat();
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.sweep = setInterval(
      () => {
        this.refresh(this.board.expire());
      },
      Math.min(EXPIRY_SWEEP_MS, this.options.heartbeatMs),
    );
    this.sweep.unref();
    for (const projectId of this.hub.roomIds()) this.mark(projectId, true);
  }

  /** Re-announces every room. */
  beat(): void {
    for (const projectId of this.hub.roomIds()) this.mark(projectId, false);
    this.flushSoon(0);
  }

  /** Says goodbye (the others drop this process's viewers at once) and stops listening. */
  async stop(): Promise<void> {
    if (this.isStopped) return;
    this.isStopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.sweep);
    clearTimeout(this.flushTimer);
    this.dirty.clear();
    await this.sending;
    if (this.subscriber !== undefined) {
      await publish(this.options.db, PRESENCE_CHANNEL, { type: 'bye', instance_id: this.instanceId }).catch(
        (error: unknown) => {
          this.options.log.warn({ err: error }, 'presence goodbye failed');
        },
      );
      await this.subscriber.close();
    }
  }

  private refresh(projectIds: readonly string[]): void {
    for (const projectId of projectIds) this.hub.refreshPresence(projectId);
  }

  private mark(projectId: string, ask: boolean): void {
    if (this.isStopped || this.subscriber === undefined) return;
    this.dirty.set(projectId, ask || (this.dirty.get(projectId) ?? false));
    this.flushSoon(COALESCE_MS);
  }

  private flushSoon(delayMs: number): void {
    if (this.flushTimer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.flushTimer);
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.sending = this.sending
        .then(() => this.flush())
        .catch((error: unknown) => {
          // Kept from breaking the chain: every later announcement waits on it.
          this.options.log.warn({ err: error }, 'presence announcement failed');
        });
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0 || this.isStopped) return;
    const rooms: PresenceRoom[] = [];
    for (const [projectId, ask] of this.dirty) {
      const viewers = this.hub.localViewers(projectId);
      // Asking only makes sense with someone here to show the answers to.
      rooms.push({ project_id: projectId, viewers, ...(ask && viewers.length > 0 && { ask: true }) });
    }
    this.dirty.clear();
    for (const message of packRooms(this.instanceId, this.options.heartbeatMs, rooms)) {
      try {
        await publish(this.options.db, PRESENCE_CHANNEL, message);
      } catch (error) {
        // The next heartbeat announces the rooms again.
        this.options.log.warn({ err: error }, 'presence announcement failed');
      }
    }
  }
}
