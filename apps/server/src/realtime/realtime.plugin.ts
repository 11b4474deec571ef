import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { meResponseSchema } from '@recon/shared';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { collectSystemMetrics } from '../features/system/system.service';
import { recheckAccess } from './access-recheck';
import { EventFanout } from './event-fanout';
import { PresenceSync } from './presence-sync';
import { runConnection } from './ws-connection';
import { WsHub, type WsUser } from './ws-hub';

declare module 'fastify' {
  interface FastifyInstance {
    /** The WebSocket rooms of this process and the event fan-out feeding them. */
    realtime: { readonly hub: WsHub; readonly fanout: EventFanout };
  }
}

export interface RealtimePluginOptions {
  readonly db: Db;
  readonly pool: pg.Pool | undefined;
  readonly dataDir: string;
  readonly ws: Config['ws'];
  /** LISTEN connection for events from other processes; this process only when absent. */
  readonly databaseUrl: string | undefined;
}

/** Frames above this are refused by `ws` itself (close 1009); client messages are tiny. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Authenticates a token the way the HTTP API does (access token or API key, user active, session live) by
 * asking the API itself, so the WebSocket can never accept what the API would refuse.
 */
async function userForToken(app: FastifyInstance, token: string, ip: string): Promise<WsUser | null> {
  // From the client's address, so that bad tokens count against its failed-authentication budget.
  const response = await app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: `Bearer ${token}` },
    remoteAddress: ip,
  });
  if (response.statusCode !== 200) return null;
  const parsed = meResponseSchema.safeParse(response.json());
  return parsed.success
    ? { id: parsed.data.user.id, name: parsed.data.user.name, role: parsed.data.user.role }
    : null;
}

/** `GET /ws`: the real-time channel. Register after the auth and metrics plugins. */
export const realtimePlugin = fp<RealtimePluginOptions>(
  async (app, options) => {
    const hub = new WsHub(options.ws.maxBufferedBytes);
    const fanout = new EventFanout(hub, app.log);
    // Presence crosses instances only where other processes can hear this one (a LISTEN connection).
    const presence =
      options.databaseUrl === undefined
        ? undefined
        : new PresenceSync(hub, {
            db: options.db,
            databaseUrl: options.databaseUrl,
            log: app.log,
            heartbeatMs: options.ws.presenceHeartbeatMs,
          });
    if (presence !== undefined) hub.linkPresence(presence);
    app.decorate('realtime', { hub, fanout });
    await app.register(websocket, { options: { maxPayload: MAX_PAYLOAD_BYTES } });

    // A browser's upgrade carries the session cookie: accept it when valid, otherwise wait for `auth`.
    const epochAtUpgrade = new WeakMap<FastifyRequest, number>();
    const tryCookie = async (request: FastifyRequest, reply: FastifyReply) => {
      epochAtUpgrade.set(request, hub.accessEpoch);
      try {
        await app.authenticate.call(app, request, reply);
      } catch {
        request.auth = null;
      }
    };
    app.get(
      '/ws',
      { websocket: true, preValidation: tryCookie, schema: { hide: true } },
      (socket, request) => {
        // An access change between the cookie check and now may concern this user: make it send `auth`.
        const user =
          request.auth === null || epochAtUpgrade.get(request) !== hub.accessEpoch
            ? null
            : { id: request.auth.user.id, name: request.auth.user.name, role: request.auth.user.role };
        runConnection(
          {
            hub,
            db: options.db,
            log: request.log,
            authTimeoutMs: options.ws.authTimeoutMs,
            heartbeatMs: options.ws.heartbeatMs,
            authenticate: (token) => userForToken(app, token, request.ip),
          },
          socket,
          user,
        );
      },
    );

    const isAdmin = (user: WsUser) => user.role === 'admin';
    const metricsTimer = setInterval(() => {
      if (hub.count(isAdmin) === 0) return;
      collectSystemMetrics({
        db: options.db,
        pool: options.pool,
        dataDir: options.dataDir,
        window: app.requestWindow,
      })
        .then(({ prometheus: _omitted, ...metrics }) => {
          hub.toUsers(isAdmin, { type: 'metrics_update', metrics, timestamp: new Date().toISOString() });
        })
        .catch((error: unknown) => {
          app.log.warn({ err: error }, 'metrics_update failed');
        });
    }, options.ws.metricsIntervalMs);
    metricsTimer.unref();

    fanout.onReconnect(() => {
      recheckAccess(options.db, hub).catch((error: unknown) => {
        app.log.warn({ err: error }, 'access re-check after reconnect failed');
      });
    });
    app.addHook('onReady', async () => {
      await fanout.start(options.databaseUrl);
      await presence?.start();
    });
    app.addHook('preClose', async () => {
      clearInterval(metricsTimer);
      hub.closeAll();
      await presence?.stop();
      await fanout.stop();
    });
  },
  { name: 'realtime', dependencies: ['auth', 'metrics'] },
);
