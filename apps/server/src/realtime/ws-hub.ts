import type { WebSocket } from 'ws';
import { WS_CLOSE, type WsServerMessage } from '@recon/shared';
import { wsConnections, wsMessages } from '../observability/platform-metrics';
import { mergeViewers, onePerUser, type PresenceViewer, type TimedViewer } from './presence-merge';

/** The parts of a `ws` socket the channel uses (structural, so tests and plugins may pass any `ws` build). */
export type WsSocket = Pick<
  WebSocket,
  'readyState' | 'OPEN' | 'bufferedAmount' | 'close' | 'terminate' | 'send' | 'ping' | 'on'
>;

/** Who is on the other end of a socket, once authenticated. */
export interface WsUser {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** One client connection and its state. */
export interface WsClient {
  readonly socket: WsSocket;
  user: WsUser | null;
  readonly projects: Set<string>;
  /** The job this client views, per joined project. */
  readonly viewing: Map<string, string | null>;
  /** When it joined or last changed `viewing` (ms since the epoch), per joined project. */
  readonly viewedAt: Map<string, number>;
}

/** How the hub shares presence with the other API instances (absent: this process only). */
export interface PresenceLink {
  /** Viewers of the project on the other instances. */
  remote(projectId: string): readonly TimedViewer[];
  /** This process's viewers of the project changed; `isNewRoom` when its room just opened. */
  changed(projectId: string, isNewRoom: boolean): void;
}

/**
 * Connections, project rooms and presence of this process. Sending is bounded: a client whose unsent bytes
 * pass `maxBufferedBytes` is closed (4413) instead of letting its queue grow the server's memory.
 */
export class WsHub {
  private readonly clients = new Set<WsClient>();
  private readonly rooms = new Map<string, Set<WsClient>>();
  private epoch = 0;
  private link: PresenceLink | undefined;

  constructor(
    private readonly maxBufferedBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Merges other instances' viewers into presence and tells them about this process's. */
  linkPresence(link: PresenceLink): void {
    this.link = link;
  }

  add(socket: WsSocket): WsClient {
    const client: WsClient = {
      socket,
      user: null,
      projects: new Set(),
      viewing: new Map(),
      viewedAt: new Map(),
    };
    this.clients.add(client);
    wsConnections.inc();
    return client;
  }

  remove(client: WsClient): void {
    if (!this.clients.delete(client)) return;
    wsConnections.dec();
    for (const projectId of [...client.projects]) this.leave(client, projectId);
  }

  get size(): number {
    return this.clients.size;
  }

  join(client: WsClient, projectId: string): void {
    let room = this.rooms.get(projectId);
    const isNewRoom = room === undefined;
    if (room === undefined) {
      room = new Set();
      this.rooms.set(projectId, room);
    }
    room.add(client);
    client.projects.add(projectId);
    client.viewing.set(projectId, null);
    client.viewedAt.set(projectId, this.now());
    this.sendPresence(projectId);
    this.link?.changed(projectId, isNewRoom);
  }

  leave(client: WsClient, projectId: string): void {
    client.projects.delete(projectId);
    client.viewing.delete(projectId);
    client.viewedAt.delete(projectId);
    const room = this.rooms.get(projectId);
    if (room === undefined || !room.delete(client)) return;
    if (room.size === 0) this.rooms.delete(projectId);
    else this.sendPresence(projectId);
    this.link?.changed(projectId, false);
  }

  view(client: WsClient, projectId: string, jobId: string | null): void {
    client.viewing.set(projectId, jobId);
    client.viewedAt.set(projectId, this.now());
    this.sendPresence(projectId);
    this.link?.changed(projectId, false);
  }

  /** This process's viewers of the project, one per user (a user with two tabs: the later view). */
  localViewers(projectId: string): TimedViewer[] {
    const viewers: TimedViewer[] = [];
    for (const client of this.rooms.get(projectId) ?? []) {
      if (client.user === null) continue;
      viewers.push({
        user_id: client.user.id,
        name: client.user.name,
        job_id: client.viewing.get(projectId) ?? null,
        viewed_at: client.viewedAt.get(projectId) ?? 0,
      });
    }
    return onePerUser(viewers);
  }

  /** Everyone viewing the project on any instance, one entry per user (see {@link mergeViewers}). */
  presenceOf(projectId: string): PresenceViewer[] {
    return mergeViewers(this.localViewers(projectId), this.link?.remote(projectId) ?? []);
  }

  /** Whether some socket of this process is in the project's room. */
  hasRoom(projectId: string): boolean {
    return this.rooms.has(projectId);
  }

  /** Projects with a room in this process. */
  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** Sends the room its presence again (other instances' viewers changed). */
  refreshPresence(projectId: string): void {
    this.sendPresence(projectId);
  }

  private sendPresence(projectId: string): void {
    this.toProject(projectId, {
      type: 'presence',
      project_id: projectId,
      viewers: this.presenceOf(projectId),
    });
  }

  toProject(projectId: string, message: WsServerMessage): void {
    const room = this.rooms.get(projectId);
    if (room === undefined) return;
    const text = JSON.stringify(message);
    for (const client of room) this.sendText(client, text);
  }

  toUser(userId: string, message: WsServerMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.clients) if (client.user?.id === userId) this.sendText(client, text);
  }

  /** Authenticated clients matching `isWanted` (for example administrators). */
  count(isWanted: (user: WsUser) => boolean): number {
    let count = 0;
    for (const client of this.clients) if (client.user !== null && isWanted(client.user)) count += 1;
    return count;
  }

  toUsers(isWanted: (user: WsUser) => boolean, message: WsServerMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.clients)
      if (client.user !== null && isWanted(client.user)) this.sendText(client, text);
  }

  send(client: WsClient, message: WsServerMessage): void {
    this.sendText(client, JSON.stringify(message));
  }

  private sendText(client: WsClient, text: string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + text.length > this.maxBufferedBytes) {
      wsMessages.inc({ direction: 'dropped' });
      socket.close(WS_CLOSE.SLOW_CONSUMER, 'slow consumer');
      // A client that does not read will not read the close frame either.
      setTimeout(() => {
        socket.terminate();
      }, 1000).unref();
      return;
    }
    wsMessages.inc({ direction: 'out' });
    socket.send(text);
  }

  /**
   * Counts access revocations handled by this process. A membership check that awaited the database reads
   * it before and after: if it moved, a revocation may have landed in between and the check is repeated.
   */
  get accessEpoch(): number {
    return this.epoch;
  }

  /** Takes the user's sockets out of the project's room and tells them why. */
  revokeMembership(projectId: string, userId: string): void {
    this.epoch += 1;
    for (const client of [...(this.rooms.get(projectId) ?? [])])
      if (client.user?.id === userId) this.evict(client, projectId, 'membership_revoked');
  }

  /** Empties the room of a deleted project. */
  closeRoom(projectId: string): void {
    this.epoch += 1;
    for (const client of [...(this.rooms.get(projectId) ?? [])])
      this.evict(client, projectId, 'project_deleted');
  }

  /** Closes every socket of a user who was disabled or deleted. */
  closeUser(userId: string, reason: string): void {
    this.epoch += 1;
    for (const client of this.clients) {
      if (client.user?.id !== userId) continue;
      // Out of the rooms at once: the close handshake may take a while, events must stop now.
      for (const projectId of [...client.projects]) this.leave(client, projectId);
      client.socket.close(WS_CLOSE.ACCESS_REVOKED, reason);
    }
  }

  /** Updates the platform role of a connected user (admin-only messages follow the new role). */
  setRole(userId: string, role: string): void {
    this.epoch += 1;
    for (const client of this.clients) if (client.user?.id === userId) client.user = { ...client.user, role };
  }

  /** Ids of the authenticated users connected to this process. */
  userIds(): string[] {
    const ids = new Set<string>();
    for (const client of this.clients) if (client.user !== null) ids.add(client.user.id);
    return [...ids];
  }

  /** Every (project, user) pair with a socket in a room: what a full re-check must look at. */
  memberships(): { projectId: string; userId: string }[] {
    const pairs = new Map<string, { projectId: string; userId: string }>();
    for (const [projectId, room] of this.rooms)
      for (const client of room)
        if (client.user !== null)
          pairs.set(`${projectId}:${client.user.id}`, { projectId, userId: client.user.id });
    return [...pairs.values()];
  }

  private evict(client: WsClient, projectId: string, reason: 'membership_revoked' | 'project_deleted'): void {
    this.leave(client, projectId);
    this.send(client, { type: 'left_project', project_id: projectId, reason });
  }

  /** Closes every connection (server shutdown). */
  closeAll(): void {
    for (const client of this.clients) client.socket.close(WS_CLOSE.GOING_AWAY, 'server shutting down');
  }
}
