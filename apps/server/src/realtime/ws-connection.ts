import type { RawData } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, WS_CLOSE, wsClientMessageSchema, type WsClientMessage } from '@recon/shared';
import type { Db } from '../db/database';
import { wsMessages } from '../observability/platform-metrics';
import { assertProjectRole } from '../plugins/project-access.plugin';
import type { WsHub, WsSocket, WsUser } from './ws-hub';

export interface ConnectionOptions {
  readonly hub: WsHub;
  readonly db: Db;
  readonly log: FastifyBaseLogger;
  readonly authTimeoutMs: number;
  readonly heartbeatMs: number;
  /** Resolves an access token or API key to its user; null when it is not valid. */
  readonly authenticate: (token: string) => Promise<WsUser | null>;
}

/** Messages per second a client may send; a burst of three seconds' worth closes the socket. */
const MAX_MESSAGES_PER_SECOND = 20;
/** Rooms one connection may be in at once. */
const MAX_ROOMS = 50;

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function parseMessage(data: RawData): WsClientMessage | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(textOf(data));
  } catch {
    return { error: 'The message is not valid JSON' };
  }
  const parsed = wsClientMessageSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { error: `Invalid message: ${issue?.path.join('.') || 'type'} ${issue?.message ?? 'is invalid'}` };
}

/**
 * Runs one socket: authentication (already done by the upgrade's cookie, or an `auth` message within the
 * time limit, else close 4401), message validation, rooms with a membership check, a message rate limit and
 * the heartbeat (a socket that misses a ping round is terminated).
 */
export function runConnection(
  options: ConnectionOptions,
  socket: WsSocket,
  initialUser: WsUser | null,
): void {
  const { hub, log } = options;
  const client = hub.add(socket);
  let isAlive = true;
  let windowStart = Date.now();
  let windowCount = 0;
  let isAuthenticating = false;

  const sendError = (code: string, message: string) => {
    hub.send(client, { type: 'error', code, message });
  };
  const authenticated = (user: WsUser) => {
    client.user = user;
    clearTimeout(authTimer);
    hub.send(client, { type: 'auth_ok', user_id: user.id, role: user.role });
  };

  const authTimer = setTimeout(() => {
    if (client.user === null) socket.close(WS_CLOSE.UNAUTHENTICATED, 'authentication required');
  }, options.authTimeoutMs);
  if (initialUser !== null) authenticated(initialUser);

  const heartbeat = setInterval(() => {
    if (!isAlive) {
      log.info({ userId: client.user?.id }, 'websocket missed its heartbeat; terminated');
      socket.terminate();
      return;
    }
    isAlive = false;
    socket.ping();
    hub.send(client, { type: 'ping', timestamp: new Date().toISOString() });
  }, options.heartbeatMs);

  const isOverRate = (): boolean => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount += 1;
    if (windowCount > MAX_MESSAGES_PER_SECOND * 3) {
      socket.close(WS_CLOSE.TOO_MANY_MESSAGES, 'too many messages');
      return true;
    }
    if (windowCount > MAX_MESSAGES_PER_SECOND) {
      sendError('RATE_LIMITED', `At most ${MAX_MESSAGES_PER_SECOND} messages per second`);
      return true;
    }
    return false;
  };

  const handle = async (message: WsClientMessage): Promise<void> => {
    if (message.type === 'ping') {
      hub.send(client, {
        type: 'pong',
        ...(message.id === undefined ? {} : { id: message.id }),
        timestamp: new Date().toISOString(),
      });
      return;
    }
    if (message.type === 'pong') return;
    if (message.type === 'auth') {
      if (client.user !== null) {
        sendError('BAD_REQUEST', 'Already authenticated');
        return;
      }
      if (isAuthenticating) return;
      isAuthenticating = true;
      let user: WsUser | null;
      let epoch: number;
      do {
        // Repeated when an access change (a user disabled) was handled while the token was checked.
        epoch = hub.accessEpoch;
        user = await options.authenticate(message.token);
      } while (user !== null && epoch !== hub.accessEpoch);
      isAuthenticating = false;
      if (user === null) {
        sendError('INVALID_TOKEN', 'The token is invalid or expired');
        socket.close(WS_CLOSE.UNAUTHENTICATED, 'invalid token');
        return;
      }
      authenticated(user);
      return;
    }
    const user = client.user;
    if (user === null) {
      sendError('UNAUTHENTICATED', 'Send {"type":"auth","token":...} first');
      return;
    }
    if (message.type === 'join_project') {
      if (client.projects.size >= MAX_ROOMS && !client.projects.has(message.project_id)) {
        sendError('BAD_REQUEST', `At most ${MAX_ROOMS} projects per connection`);
        return;
      }
      try {
        let epoch: number;
        do {
          // A removal handled while the check awaited the database would be missed: check again.
          epoch = hub.accessEpoch;
          await assertProjectRole(options.db, user.id, message.project_id, 'viewer');
        } while (epoch !== hub.accessEpoch);
      } catch (error) {
        if (error instanceof AppError) {
          sendError(error.code, error.message);
          return;
        }
        throw error;
      }
      if (socket.readyState !== socket.OPEN) return;
      hub.send(client, { type: 'joined', project_id: message.project_id });
      hub.join(client, message.project_id);
      return;
    }
    if (!client.projects.has(message.project_id)) {
      sendError('PROJECT_NOT_FOUND', 'Join the project first');
      return;
    }
    if (message.type === 'leave_project') {
      hub.leave(client, message.project_id);
      hub.send(client, { type: 'left', project_id: message.project_id });
      return;
    }
    hub.view(client, message.project_id, message.job_id);
  };

  socket.on('pong', () => {
    isAlive = true;
  });
  socket.on('message', (data, isBinary) => {
    isAlive = true;
    wsMessages.inc({ direction: 'in' });
    if (isOverRate()) return;
    if (isBinary) {
      sendError('BAD_REQUEST', 'Send JSON text frames');
      return;
    }
    const parsed = parseMessage(data);
    if ('error' in parsed) {
      sendError('VALIDATION_FAILED', parsed.error);
      return;
    }
    handle(parsed).catch((error: unknown) => {
      log.error({ err: error }, 'websocket message failed');
      sendError('INTERNAL_ERROR', 'The message could not be handled');
    });
  });
  socket.on('error', (error) => {
    log.info({ err: error }, 'websocket error');
  });
  socket.on('close', () => {
    clearTimeout(authTimer);
    clearInterval(heartbeat);
    hub.remove(client);
  });
}
