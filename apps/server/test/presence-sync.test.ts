import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresenceSync, type PresenceSyncOptions } from '../src/realtime/presence-sync';
import { WsHub, type WsSocket } from '../src/realtime/ws-hub';
import { createTestDatabase, type TestDatabase } from './support/test-db';

const project = '55555555-5555-4555-8555-555555555555';
const elsewhere = '66666666-6666-4666-8666-666666666666';
const other = '88888888-8888-4888-8888-888888888888';
const ana = { id: '11111111-1111-4111-8111-111111111111', name: 'Ana', role: 'user' };
const bo = '22222222-2222-4222-8222-222222222222';
const job = '33333333-3333-4333-8333-333333333333';

/** A socket that keeps what the hub sends it. */
function fakeSocket(sent: unknown[]): WsSocket {
  return {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send: (text: string) => {
      sent.push(JSON.parse(text));
    },
    close: () => undefined,
    terminate: () => undefined,
    ping: () => undefined,
    on: () => undefined,
  } as unknown as WsSocket;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** A hub with Ana in the project's room and a sync that is not listening (only what it is handed). */
function setUp() {
  let now = 1_000_000;
  const clock = () => now;
  const hub = new WsHub(1 << 20, clock);
  const warnings: string[] = [];
  const log = {
    warn: (_object: unknown, message?: string) => warnings.push(message ?? ''),
    info: () => undefined,
  } as unknown as PresenceSyncOptions['log'];
  // Never started: nothing is published or listened to, the test hands it messages itself.
  const sync = new PresenceSync(hub, {
    db: db.db,
    databaseUrl: db.url,
    heartbeatMs: 1000,
    now: clock,
    log,
  });
  hub.linkPresence(sync);
  const sent: unknown[] = [];
  const client = hub.add(fakeSocket(sent));
  client.user = ana;
  hub.join(client, project);
  const rooms = (instanceId: string, projectId: string, viewers: unknown[]) => ({
    type: 'rooms',
    instance_id: instanceId,
    heartbeat_ms: 1000,
    rooms: [{ project_id: projectId, viewers }],
  });
  const boOnJob = { user_id: bo, name: 'Bo', job_id: job, viewed_at: now };
  return {
    hub,
    client,
    sync,
    sent,
    warnings,
    rooms,
    boOnJob,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('presence sync', () => {
  it('adds another instance’s viewers to the room, and ignores its own announcements', () => {
    const { hub, sync, sent, rooms, boOnJob } = setUp();
    const own = { ...boOnJob, user_id: '99999999-9999-4999-8999-999999999999' };
    sync.receive(rooms(sync.instanceId, project, [own]));
    expect(hub.presenceOf(project).map((viewer) => viewer.user_id)).toEqual([ana.id]);
    sent.splice(0);
    sync.receive(rooms(other, project, [boOnJob]));
    expect(sent).toEqual([
      {
        type: 'presence',
        project_id: project,
        viewers: [
          { user_id: ana.id, name: 'Ana', job_id: null },
          { user_id: bo, name: 'Bo', job_id: job },
        ],
      },
    ]);
    // The same again (a heartbeat) sends nothing.
    sync.receive(rooms(other, project, [boOnJob]));
    expect(sent).toHaveLength(1);
  });

  it('keeps nothing for a project without a room here, and drops a project’s viewers when its room closes', () => {
    const { hub, client, sync, rooms, boOnJob } = setUp();
    sync.receive(rooms(other, elsewhere, [boOnJob]));
    expect(sync.board.size).toBe(0);
    sync.receive(rooms(other, project, [boOnJob]));
    expect(sync.board.size).toBe(1);
    hub.leave(client, project);
    expect(sync.board.size).toBe(0);
  });

  it('drops another instance’s viewers after 3 of its heartbeats, on goodbye, and on revocation', () => {
    const { hub, sync, rooms, boOnJob, advance } = setUp();
    const ids = () => hub.presenceOf(project).map((viewer) => viewer.user_id);
    sync.receive(rooms(other, project, [boOnJob]));
    advance(3000);
    expect(ids()).toEqual([ana.id, bo]);
    advance(1);
    expect(ids()).toEqual([ana.id]);

    sync.receive(rooms(other, project, [boOnJob]));
    sync.receive({ type: 'bye', instance_id: other });
    expect(ids()).toEqual([ana.id]);

    sync.receive(rooms(other, project, [boOnJob]));
    sync.receiveAccess({ type: 'member.removed', project_id: project, user_id: bo });
    expect(ids()).toEqual([ana.id]);
  });

  it('drops a message that does not match the schema', () => {
    const { hub, sync, rooms, boOnJob, warnings } = setUp();
    sync.receive(rooms('not-an-instance', project, [boOnJob]));
    sync.receive(rooms(other, project, [{ ...boOnJob, job_id: 'not-a-job' }]));
    expect(hub.presenceOf(project)).toHaveLength(1);
    expect(warnings).toHaveLength(2);
  });
});
