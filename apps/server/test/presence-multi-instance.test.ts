import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiInstance, stopApiInstance, type ApiInstance } from './support/api-instances';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { WsTestClient, type ReceivedMessage } from './fixtures/security/ws-test-client';

const ADMIN = { email: 'admin@presence.example.com', password: 'presence-admin-password' };
const PASSWORD = 'presence-user-password';
const jobA = '33333333-3333-4333-8333-333333333333';
const jobB = '44444444-4444-4444-8444-444444444444';
/** The second instance beats fast so that its viewers expire within the test once it is killed. */
const FAST_BEAT_MS = 500;

type Viewer = { user_id: string; name: string; job_id: string | null };
interface User {
  readonly id: string;
  readonly token: string;
}

// Two API processes on one database, reviewers on each: presence crosses instances over NOTIFY.
describe('presence across two API instances', () => {
  let db: TestDatabase;
  let dataDir: string;
  let first: ApiInstance | undefined;
  let second: ApiInstance | undefined;
  let third: ApiInstance | undefined;
  let adminToken: string;
  let ana: User;
  let bo: User;
  let projectId: string;
  let anaOnFirst: WsTestClient;
  const open: WsTestClient[] = [];

  const call = async (
    instance: ApiInstance | undefined,
    method: string,
    url: string,
    token: string,
    body?: unknown,
  ) => {
    if (instance === undefined) throw new Error('not started');
    const response = await fetch(`${instance.base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${url}: ${String(response.status)} ${text}`);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
  const login = async (email: string, password: string) => {
    const response = await fetch(`${first?.base ?? ''}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; user: { id: string } };
    return { id: body.user.id, token: body.access_token };
  };
  const createMember = async (email: string, name: string) => {
    await call(first, 'POST', '/api/users', adminToken, { email, name, password: PASSWORD, role: 'user' });
    const user = await login(email, PASSWORD);
    await call(first, 'POST', `/api/projects/${projectId}/members`, adminToken, {
      user_id: user.id,
      role: 'viewer',
    });
    return user;
  };
  const joinOn = async (instance: ApiInstance | undefined, user: User) => {
    if (instance === undefined) throw new Error('not started');
    const client = await WsTestClient.open(instance.ws);
    open.push(client);
    client.send({ type: 'auth', token: user.token });
    await client.ofType('auth_ok');
    client.send({ type: 'join_project', project_id: projectId });
    await client.ofType('joined');
    return client;
  };
  const viewersOf = (message: ReceivedMessage) => message.viewers as Viewer[];
  /** The next presence message whose viewers satisfy `isWanted`. */
  const presence = async (client: WsTestClient, isWanted: (viewers: Viewer[]) => boolean, timeoutMs = 5000) =>
    viewersOf(
      await client.next((message) => message.type === 'presence' && isWanted(viewersOf(message)), timeoutMs),
    );
  const usersIn = (viewers: Viewer[]) => viewers.map((viewer) => viewer.user_id).sort();
  const are =
    (...users: User[]) =>
    (viewers: Viewer[]) =>
      JSON.stringify(usersIn(viewers)) === JSON.stringify(users.map((user) => user.id).sort());
  /** Forgets what a client received so far, so that only later presence counts. */
  const forget = (...clients: WsTestClient[]) => {
    for (const client of clients) client.messages.splice(0);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'recon-presence-'));
    // The first instance's heartbeat is far longer than any wait below: what reaches it in time came from a
    // change or an answer to an ask, never from a heartbeat.
    first = await startApiInstance(db, dataDir, ADMIN, { WS_PRESENCE_HEARTBEAT_MS: '60000' });
    second = await startApiInstance(db, dataDir, ADMIN, { WS_PRESENCE_HEARTBEAT_MS: String(FAST_BEAT_MS) });
    adminToken = (await login(ADMIN.email, ADMIN.password)).token;
    projectId = String((await call(second, 'POST', '/api/projects', adminToken, { name: 'presence' })).id);
    ana = await createMember('ana@presence.example.com', 'Ana Instance');
    bo = await createMember('bo@presence.example.com', 'Bo Instance');
    // Ana stays on the first instance throughout: every test watches presence through her socket.
    anaOnFirst = await joinOn(first, ana);
  }, 120_000);
  afterAll(async () => {
    for (const client of open) client.close();
    await Promise.all([stopApiInstance(first), stopApiInstance(second), stopApiInstance(third)]);
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows reviewers on different instances to each other, and drops one who leaves or disconnects', async () => {
    await presence(anaOnFirst, are(ana));
    // Let the first instance's own announcement of Ana pass while the second has no room to keep it for.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const boOnSecond = await joinOn(second, bo);
    // The second instance opened its room and asked: the first answers at once (its heartbeat is 60 s).
    const started = Date.now();
    await presence(boOnSecond, are(ana, bo), 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    await presence(anaOnFirst, are(ana, bo));

    boOnSecond.send({ type: 'view_job', project_id: projectId, job_id: jobA });
    const seen = await presence(anaOnFirst, (viewers) =>
      viewers.some((v) => v.user_id === bo.id && v.job_id === jobA),
    );
    expect(seen.find((viewer) => viewer.user_id === bo.id)?.name).toBe('Bo Instance');

    forget(anaOnFirst);
    boOnSecond.send({ type: 'leave_project', project_id: projectId });
    await boOnSecond.ofType('left');
    await presence(anaOnFirst, are(ana));

    const boAgain = await joinOn(second, bo);
    await presence(anaOnFirst, are(ana, bo));
    forget(anaOnFirst);
    boAgain.close();
    await presence(anaOnFirst, are(ana));
  }, 30_000);

  it('lists a user with tabs on both instances once, on the job viewed last, the same on each', async () => {
    const anaOnSecond = await joinOn(second, ana);
    anaOnSecond.send({ type: 'view_job', project_id: projectId, job_id: jobB });
    const onJob = (jobId: string) => (viewers: Viewer[]) =>
      viewers.length === 1 && viewers[0]?.user_id === ana.id && viewers[0].job_id === jobId;
    await presence(anaOnFirst, onJob(jobB));
    await presence(anaOnSecond, onJob(jobB));

    anaOnFirst.send({ type: 'view_job', project_id: projectId, job_id: jobA });
    await presence(anaOnFirst, onJob(jobA));
    await presence(anaOnSecond, onJob(jobA));
    forget(anaOnFirst);
    anaOnSecond.close();
    await presence(anaOnFirst, onJob(jobA));
  }, 30_000);

  it('takes a removed member out of presence on the other instance too', async () => {
    const boOnSecond = await joinOn(second, bo);
    await presence(anaOnFirst, are(ana, bo));
    forget(anaOnFirst);
    await call(first, 'DELETE', `/api/projects/${projectId}/members/${bo.id}`, adminToken);
    expect(await boOnSecond.ofType('left_project')).toMatchObject({ reason: 'membership_revoked' });
    await presence(anaOnFirst, are(ana));
    // Given back, for the next test.
    await call(first, 'POST', `/api/projects/${projectId}/members`, adminToken, {
      user_id: bo.id,
      role: 'viewer',
    });
  }, 30_000);

  it('forgets the viewers of an instance that shuts down at once, without waiting for the timeout', async () => {
    // Its heartbeat would keep its viewers for 3 × 5 s: only the goodbye can remove them sooner.
    third = await startApiInstance(db, dataDir, ADMIN, { WS_PRESENCE_HEARTBEAT_MS: '5000' });
    await joinOn(third, bo);
    await presence(anaOnFirst, are(ana, bo));
    forget(anaOnFirst);
    const stopped = Date.now();
    await stopApiInstance(third, 'SIGTERM');
    await presence(anaOnFirst, are(ana), 10_000);
    expect(Date.now() - stopped).toBeLessThan(5000);
  }, 60_000);

  it('drops the viewers of an instance killed without a word after 3 of its heartbeats', async () => {
    await joinOn(second, bo);
    await presence(anaOnFirst, are(ana, bo));
    // Still listed across several of the second instance's heartbeats while it lives.
    await new Promise((resolve) => setTimeout(resolve, FAST_BEAT_MS * 4));
    const withoutBo = anaOnFirst.messages.filter(
      (message) =>
        message.type === 'presence' && !viewersOf(message).some((viewer) => viewer.user_id === bo.id),
    );
    expect(withoutBo).toEqual([]);
    forget(anaOnFirst);
    const killed = Date.now();
    await stopApiInstance(second, 'SIGKILL');
    await presence(anaOnFirst, are(ana), 10_000);
    const elapsed = Date.now() - killed;
    // Not at once (nothing told the first instance), and not much later than 3 heartbeats plus a sweep.
    expect(elapsed).toBeGreaterThanOrEqual(FAST_BEAT_MS);
    expect(elapsed).toBeLessThan(FAST_BEAT_MS * 3 + 3000);
  }, 30_000);
});
